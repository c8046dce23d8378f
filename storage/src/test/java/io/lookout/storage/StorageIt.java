package io.lookout.storage;

import io.lookout.storage.config.StorageConfig;
import java.util.Locale;
import java.util.UUID;

/** What integration tests share: the stack's settings (conf + env overrides) and unique names. */
public final class StorageIt {

  private StorageIt() {
  }

  public static StorageConfig config() {
    return StorageConfig.load();
  }

  /** A name no other test uses: {@code prefix_<12 hex>}, valid as schema, database, topic or key part. */
  public static String uniqueName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
  }
}

package io.lookout.storage.postgres;

import io.lookout.storage.config.StorageConfig;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the Postgres ITs share: settings from conf/storage.json (+ env overrides) and a schema of their own. */
public final class PgTestSupport {

  private PgTestSupport() {
  }

  /** {@code prefix} plus random hex, so parallel or repeated runs never share a schema. */
  public static String randomSchema(String prefix) {
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return prefix + "_" + HexFormat.of().formatHex(random);
  }

  public static PostgresConfig config(String schema) {
    return StorageConfig.load().postgres().withSchema(schema);
  }

  /** For set-up and tear-down on the test thread (never an event loop). */
  public static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  public static void dropSchema(Pool pool, String schema) {
    await(pool.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute());
  }
}

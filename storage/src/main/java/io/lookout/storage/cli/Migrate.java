package io.lookout.storage.cli;

import io.lookout.storage.config.StorageConfig;

/** {@code bin/lookout migrate}: Postgres then ClickHouse migrations. */
final class Migrate {

  private Migrate() {
  }

  static int run(StorageConfig config) {
    throw new IllegalStateException("migrations land with the postgres and clickhouse parts");
  }
}

package io.lookout.storage.cli;

import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout migrate}: Postgres migrations, the nodestore's day partitions for today and
 * the next {@code nodestore.precreate_days}, then ClickHouse migrations. Idempotent.
 */
final class Migrate {

  private static final Logger LOG = LoggerFactory.getLogger(Migrate.class);
  private static final long TIMEOUT_S = 300;

  private Migrate() {
  }

  static int run(StorageConfig config) throws Exception {
    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, config.postgres());
    try {
      List<String> pg = PostgresMigrator.migrate(pool, config.postgres().schema()).await(TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("postgres {}/{}: {}", config.postgres().database(), config.postgres().schema(),
          pg.isEmpty() ? "up to date" : "applied " + pg);

      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      int created = Nodestore.create(vertx, pool, config.nodestore())
          .ensurePartitions(today, today.plusDays(config.nodestore().precreateDays()))
          .await(TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("nodestore: {} day partitions created", created);

      List<String> ch = ClickHouseMigrator.create(vertx, config.clickhouse()).migrate().await(TIMEOUT_S, TimeUnit.SECONDS);
      LOG.info("clickhouse {}: {}", config.clickhouse().database(), ch.isEmpty() ? "up to date" : "applied " + ch);
      return 0;
    } finally {
      pool.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}

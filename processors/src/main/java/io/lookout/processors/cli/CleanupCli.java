package io.lookout.processors.cli;

import io.lookout.processors.cleanup.Cleanup;
import io.lookout.processors.cleanup.CleanupConfig;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout cleanup [--days N] [--dry-run] [--no-clickhouse]}: deletes everything older
 * than N days (default {@code cleanup.retention_days}) once and prints what it deleted as one JSON
 * line; {@code --dry-run} prints what it would delete and deletes nothing. Safe while ingest runs.
 */
public final class CleanupCli {

  private static final Logger LOG = LoggerFactory.getLogger(CleanupCli.class);

  private CleanupCli() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, ConfLoader.fromEnvironment()));
  }

  static int run(String[] args, PrintStream out, ConfLoader loader) {
    Integer days = null;
    boolean dryRun = false;
    boolean clickhouse = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--dry-run" -> dryRun = true;
        case "--no-clickhouse" -> clickhouse = false;
        case "--days" -> {
          if (i + 1 >= args.length || !args[i + 1].matches("\\d{1,6}") || Integer.parseInt(args[i + 1]) < 1) {
            return usage("--days needs a positive number of days");
          }
          days = Integer.parseInt(args[++i]);
        }
        default -> {
          return usage("unknown option " + args[i]);
        }
      }
    }
    CleanupConfig config;
    StorageConfig storage;
    try {
      JsonObject processors = loader.load("processors");
      config = CleanupConfig.fromJson(processors.getJsonObject("cleanup", new JsonObject()));
      storage = StorageConfig.load(loader);
    } catch (ConfigException e) {
      LOG.error("lookout cleanup: {}", e.getMessage());
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, storage.postgres());
    ClickHouseWriter writer = clickhouse ? ClickHouseWriter.create(vertx, storage.clickhouse()) : null;
    try {
      Cleanup cleanup = new Cleanup(pool, Nodestore.create(vertx, pool, storage.nodestore()), writer, config,
          Instant::now);
      Cleanup.Report report = cleanup.run(days != null ? days : config.retentionDays(), dryRun)
          .await(6, TimeUnit.HOURS);
      out.println(report.toJson().encode());
      return 0;
    } catch (Exception e) {
      LOG.error("lookout cleanup failed", e);
      return 1;
    } finally {
      if (writer != null) {
        writer.close();
      }
      pool.close();
      vertx.close();
    }
  }

  private static int usage(String problem) {
    LOG.error("lookout cleanup: {}\nusage: lookout cleanup [--days N] [--dry-run] [--no-clickhouse]", problem);
    return 2;
  }
}

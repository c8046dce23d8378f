package io.lookout.storage.clickhouse.impl;

import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

public final class ClickHouseMigratorImpl implements ClickHouseMigrator {

  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseMigratorImpl.class);

  static final String TABLE = "lookout_migrations";

  // ReplacingMergeTree: two migrators racing (no lock) record a migration twice; this keeps one
  private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
      + "name String, checksum String, applied_at DateTime"
      + ") ENGINE = ReplacingMergeTree() ORDER BY name";

  private final Vertx vertx;
  private final ClickHouseConfig config;
  private final List<Migration> migrations;

  public ClickHouseMigratorImpl(Vertx vertx, ClickHouseConfig config, List<Migration> migrations) {
    this.vertx = vertx;
    this.config = config;
    this.migrations = List.copyOf(migrations);
  }

  @Override
  public Future<List<String>> migrate() {
    return createDatabase().compose(v -> {
      ClickHouseWriter writer = new ClickHouseWriterImpl(vertx, config, config.database());
      return writer.execute(CREATE_TABLE)
          .compose(x -> writer.query("SELECT name, checksum FROM " + TABLE + " FINAL"))
          .compose(rows -> applyPending(writer, applied(rows)))
          .eventually(writer::close);
    });
  }

  /** Through a connection bound to {@code system}: one naming a missing database is refused. */
  private Future<Void> createDatabase() {
    ClickHouseWriter system = new ClickHouseWriterImpl(vertx, config, "system");
    return system.execute("CREATE DATABASE IF NOT EXISTS " + config.database())
        .eventually(system::close);
  }

  private static Map<String, String> applied(List<JsonObject> rows) {
    Map<String, String> applied = new HashMap<>();
    for (JsonObject row : rows) {
      applied.put(row.getString("name"), row.getString("checksum"));
    }
    return applied;
  }

  private Future<List<String>> applyPending(ClickHouseWriter writer, Map<String, String> applied) {
    List<Migration> pending = new ArrayList<>();
    for (Migration m : migrations) {
      String checksum = applied.remove(m.name());
      if (checksum == null) {
        pending.add(m);
      } else if (!checksum.equals(m.checksum())) {
        // not fatal: a comment fix changes the checksum too, and ClickHouse DDL cannot be re-run
        // to match anyway; a changed schema needs a new migration
        LOG.warn("ClickHouse migration {} was changed after it was applied to {}; "
            + "the change is not applied (add a new migration instead)", m.name(), config.database());
      }
    }
    for (String unknown : applied.keySet()) {
      LOG.warn("ClickHouse database {} has migration {} that this build does not know (a newer Lookout?)",
          config.database(), unknown);
    }
    if (pending.isEmpty()) {
      LOG.debug("ClickHouse database {} is up to date", config.database());
      return Future.succeededFuture(List.of());
    }
    List<String> done = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Migration m : pending) {
      chain = chain.compose(v -> apply(writer, m)).map(v -> {
        done.add(m.name());
        return null;
      });
    }
    return chain.map(v -> List.copyOf(done));
  }

  private Future<Void> apply(ClickHouseWriter writer, Migration m) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : m.statements()) {
      chain = chain.compose(v -> writer.execute(statement));
    }
    JsonObject record = new JsonObject()
        .put("name", m.name())
        .put("checksum", m.checksum())
        .put("applied_at", ClickHouseWriter.dateTime(Instant.now()));
    return chain
        .compose(v -> writer.insert(TABLE, List.of(record)))
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("ClickHouse migration {} applied to {}", m.name(), config.database()))
        .recover(e -> Future.failedFuture(new IllegalStateException(
            "ClickHouse migration " + m.name() + " failed on " + config.database() + ": " + e.getMessage(), e)));
  }
}

package io.lookout.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.clickhouse.impl.ClickHouseMigratorImpl;
import io.lookout.storage.clickhouse.impl.Migration;
import io.lookout.storage.config.StorageConfig;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class ClickHouseMigratorIT {

  private ClickHouseConfig config;
  private ClickHouseWriter system;

  @BeforeEach
  void ownDatabase(Vertx vertx) {
    // every test its own database, so tests (and parallel runs) never see each other's tables
    String database = "it_ch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    config = StorageConfig.load().clickhouse().withDatabase(database);
    system = ClickHouseWriter.create(vertx, config.withDatabase("system"));
  }

  @AfterEach
  void dropDatabase(VertxTestContext ctx) {
    system.execute("DROP DATABASE IF EXISTS " + config.database())
        .eventually(system::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void secondRunAppliesNothingAndAllTablesAndViewsExist(Vertx vertx, VertxTestContext ctx) {
    List<String> all = Migration.fromClasspath().stream().map(Migration::name).toList();
    ClickHouseMigrator migrator = ClickHouseMigrator.create(vertx, config);

    migrator.migrate()
        .compose(first -> {
          ctx.verify(() -> assertThat(first).containsExactlyElementsOf(all));
          return migrator.migrate();
        })
        .compose(second -> {
          ctx.verify(() -> assertThat(second).isEmpty());
          return system.query("SELECT name, engine FROM system.tables WHERE database = '" + config.database() + "'");
        })
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          Map<String, String> engines = rows.stream()
              .collect(Collectors.toMap(r -> r.getString("name"), r -> r.getString("engine")));
          assertThat(engines).containsEntry("errors", "ReplacingMergeTree")
              .containsEntry("transactions", "ReplacingMergeTree")
              .containsEntry("outcomes_raw", "MergeTree")
              .containsEntry("outcomes_hourly", "SummingMergeTree")
              .containsEntry("outcomes_mv_hourly", "MaterializedView")
              .containsEntry("sessions", "MergeTree")
              .containsEntry("sessions_hourly", "AggregatingMergeTree")
              .containsEntry("sessions_mv_hourly", "MaterializedView")
              .containsEntry("lookout_migrations", "ReplacingMergeTree");
          ctx.completeNow();
        })));
  }

  @Test
  void migrationsAddedByALaterBuildAreAppliedInOrderAndRecorded(Vertx vertx, VertxTestContext ctx) {
    List<Migration> all = Migration.fromClasspath();
    ClickHouseMigrator older = new ClickHouseMigratorImpl(vertx, config, all.subList(0, 3));
    ClickHouseMigrator newer = ClickHouseMigrator.create(vertx, config);
    ClickHouseWriter writer = ClickHouseWriter.create(vertx, config);

    older.migrate()
        .compose(first -> newer.migrate())
        .compose(second -> {
          ctx.verify(() -> assertThat(second)
              .containsExactlyElementsOf(all.subList(3, all.size()).stream().map(Migration::name).toList()));
          return writer.query("SELECT name, checksum, toUnixTimestamp(applied_at) AS at FROM lookout_migrations FINAL"
              + " ORDER BY name");
        })
        .eventually(writer::close)
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          assertThat(rows).extracting(r -> r.getString("name"))
              .containsExactlyElementsOf(all.stream().map(Migration::name).toList());
          assertThat(rows).extracting(r -> r.getString("checksum"))
              .containsExactlyElementsOf(all.stream().map(Migration::checksum).toList());
          assertThat(rows).allSatisfy(r -> assertThat(r.getLong("at")).isPositive());
          ctx.completeNow();
        })));
  }

  @Test
  void aFailingMigrationStopsTheRunAndIsNotRecorded(Vertx vertx, VertxTestContext ctx) {
    List<Migration> broken = List.of(
        Migration.of("0001_ok.sql", "CREATE TABLE IF NOT EXISTS ok (x UInt8) ENGINE = MergeTree() ORDER BY x"),
        Migration.of("0002_broken.sql", "CREATE TABLE IF NOT EXISTS broken (x NoSuchType) ENGINE = Memory"),
        Migration.of("0003_never.sql", "CREATE TABLE IF NOT EXISTS never (x UInt8) ENGINE = Memory"));
    ClickHouseWriter writer = ClickHouseWriter.create(vertx, config);

    new ClickHouseMigratorImpl(vertx, config, broken).migrate()
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).hasMessageContaining("0002_broken.sql").hasMessageContaining("NoSuchType");
          writer.query("SELECT name FROM lookout_migrations FINAL")
              .eventually(writer::close)
              .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
                assertThat(rows).extracting(r -> r.getString("name")).containsExactly("0001_ok.sql");
                ctx.completeNow();
              })));
        })));
  }
}

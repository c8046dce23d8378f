package io.lookout.storage.postgres;

import static io.lookout.storage.postgres.PgTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.postgres.PostgresMigrator.Migration;
import io.lookout.storage.postgres.PostgresMigrator.MigrationException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class PostgresMigratorIT {

  private static final String BASE = PgTestSupport.randomSchema("it_migrator");
  private static final List<String> SCHEMAS = new CopyOnWriteArrayList<>();
  private static final List<String> TABLES = List.of("organizations", "projects", "project_keys",
      "project_counters", "groups", "group_hashes", "releases", "release_projects", "environments",
      "environment_projects", "file_blobs", "event_attachments", "user_reports", "monitors",
      "monitor_checkins", "nodestore_node", "lookout_migrations");

  private static Pool pool;

  @BeforeAll
  static void connect(Vertx vertx) {
    pool = PgPools.create(vertx, PgTestSupport.config(BASE));
  }

  @AfterAll
  static void dropSchemas() {
    for (String schema : SCHEMAS) {
      PgTestSupport.dropSchema(pool, schema);
    }
    await(pool.close());
  }

  private static String schema(String suffix) {
    String schema = BASE + "_" + suffix;
    SCHEMAS.add(schema);
    return schema;
  }

  private static List<String> allVersions() {
    return PostgresMigrator.migrations().stream().map(Migration::version).toList();
  }

  @Test
  void secondRunAppliesNothingAndVersionsAreRecorded(VertxTestContext ctx) {
    String schema = schema("twice");
    PostgresMigrator.migrate(pool, schema)
        .compose(first -> PostgresMigrator.migrate(pool, schema).map(second -> List.of(first, second)))
        .compose(runs -> pool.query("SELECT version, name, checksum, applied_at FROM \"" + schema
                + "\".lookout_migrations ORDER BY version").execute()
            .map(rows -> {
              ctx.verify(() -> {
                assertThat(runs.get(0)).containsExactlyElementsOf(allVersions());
                assertThat(runs.get(1)).isEmpty();
                List<String> recorded = new ArrayList<>();
                List<Migration> migrations = PostgresMigrator.migrations();
                int i = 0;
                for (Row row : rows) {
                  Migration m = migrations.get(i++);
                  assertThat(row.getString("version")).isEqualTo(m.version());
                  assertThat(row.getString("name")).isEqualTo(m.name());
                  assertThat(row.getString("checksum")).isEqualTo(m.checksum());
                  assertThat(row.getOffsetDateTime("applied_at")).isNotNull();
                  recorded.add(row.getString("version"));
                }
                assertThat(recorded).containsExactlyElementsOf(allVersions());
              });
              return rows;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void everyTableExistsInTheSchema(VertxTestContext ctx) {
    String schema = schema("tables");
    PostgresMigrator.migrate(pool, schema)
        .compose(v -> pool.preparedQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = $1")
            .execute(Tuple.of(schema)))
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          List<String> tables = new ArrayList<>();
          rows.forEach(r -> tables.add(r.getString(0)));
          assertThat(tables).containsAll(TABLES);
          ctx.completeNow();
        })));
  }

  @Test
  void nodestoreIsPartitionedByDayWithoutDefaultPartition(VertxTestContext ctx) {
    String schema = schema("parts");
    PostgresMigrator.migrate(pool, schema)
        .compose(v -> pool.preparedQuery("SELECT pg_get_partkeydef(c.oid), "
                + "(SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid) "
                + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = $1 AND c.relname = 'nodestore_node'")
            .execute(Tuple.of(schema)))
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          Row row = rows.iterator().next();
          assertThat(row.getString(0)).isEqualTo("RANGE (\"timestamp\")");
          assertThat(row.getLong(1)).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void twoPoolsMigratingAtOnceApplyEachVersionOnce(Vertx vertx, VertxTestContext ctx) {
    String schema = schema("race");
    Pool other = PgPools.create(vertx, PgTestSupport.config(schema));
    Pool third = PgPools.create(vertx, PgTestSupport.config(schema));
    Future<List<String>> a = PostgresMigrator.migrate(other, schema);
    Future<List<String>> b = PostgresMigrator.migrate(third, schema);
    Future.join(a, b)
        .compose(v -> pool.query("SELECT count(*) FROM \"" + schema + "\".lookout_migrations").execute())
        .eventually(() -> Future.join(other.close(), third.close()))
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          List<String> applied = new ArrayList<>(a.result());
          applied.addAll(b.result());
          assertThat(applied).containsExactlyInAnyOrderElementsOf(allVersions());
          assertThat(rows.iterator().next().getLong(0)).isEqualTo(allVersions().size());
          ctx.completeNow();
        })));
  }

  @Test
  void changedMigrationIsAnErrorNamingTheFile(VertxTestContext ctx) {
    String schema = schema("changed");
    Migration third = PostgresMigrator.migrations().get(2);
    PostgresMigrator.migrate(pool, schema)
        .compose(v -> pool.preparedQuery("UPDATE \"" + schema + "\".lookout_migrations SET checksum = 'edited' "
            + "WHERE version = $1").execute(Tuple.of(third.version())))
        .compose(v -> PostgresMigrator.migrate(pool, schema))
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(MigrationException.class).hasMessageContaining(third.file());
          ctx.completeNow();
        })));
  }

  @Test
  void invalidSchemaNameIsRefused(VertxTestContext ctx) {
    PostgresMigrator.migrate(pool, "Robert'); DROP TABLE students;--")
        .onComplete(ctx.failing(err -> ctx.verify(() -> {
          assertThat(err).isInstanceOf(MigrationException.class);
          ctx.completeNow();
        })));
  }

  @Test
  void poolConnectionsUseTheSchemaAndStatementTimeout(VertxTestContext ctx) {
    PostgresConfig config = PgTestSupport.config(BASE);
    // pg_settings.setting is in the parameter's base unit: milliseconds for statement_timeout
    pool.query("SELECT current_setting('search_path'), "
            + "(SELECT setting FROM pg_settings WHERE name = 'statement_timeout'), "
            + "current_setting('application_name')").execute()
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          Row row = rows.iterator().next();
          assertThat(row.getString(0)).isEqualTo(BASE);
          assertThat(row.getString(1)).isEqualTo(Integer.toString(config.statementTimeoutMs()));
          assertThat(row.getString(2)).isEqualTo(PgPools.APPLICATION_NAME);
          ctx.completeNow();
        })));
  }
}

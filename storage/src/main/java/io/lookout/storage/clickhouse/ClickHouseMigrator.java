package io.lookout.storage.clickhouse;

import io.lookout.storage.clickhouse.impl.ClickHouseMigratorImpl;
import io.lookout.storage.clickhouse.impl.Migration;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Brings {@link ClickHouseConfig#database()} to the schema of this build: creates the database,
 * then applies, in order, the migrations listed in {@code db/clickhouse/migrations.txt} that its
 * {@code lookout_migrations} table does not record yet, recording each one after it succeeds.
 *
 * <p>Every migration statement is written to be harmless when repeated ({@code IF NOT EXISTS}):
 * there is no lock, so two processes migrating at once, or a crash between a migration and its
 * record, only repeat work.
 */
public interface ClickHouseMigrator {

  /** The migrator for Lookout's schema ({@link Migration#fromClasspath()}). */
  static ClickHouseMigrator create(Vertx vertx, ClickHouseConfig config) {
    return new ClickHouseMigratorImpl(vertx, config, Migration.fromClasspath());
  }

  /** Applies what is pending; completes with the names applied by this call, empty when up to date. */
  Future<List<String>> migrate();
}

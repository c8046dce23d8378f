package io.lookout.storage.postgres;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.concurrent.TimeUnit;

/** Builds the Postgres connection pools every Lookout component uses, from {@link PostgresConfig}. */
public final class PgPools {

  /** Shows up in {@code pg_stat_activity}, so an operator can tell Lookout's sessions apart. */
  static final String APPLICATION_NAME = "lookout";

  private PgPools() {
  }

  /**
   * A pool whose connections start with {@code search_path} = the configured schema and the
   * configured {@code statement_timeout}. Both are startup parameters rather than {@code SET}
   * statements, so they hold from the first statement of every connection, including the ones the
   * pool opens again after a network error, and cost no round trip.
   */
  public static Pool create(Vertx vertx, PostgresConfig config) {
    PoolOptions poolOptions = new PoolOptions()
        .setName("lookout-pg-" + config.schema())
        .setMaxSize(config.poolSize())
        .setMaxWaitQueueSize(config.maxWaitQueue())
        // waiting for a free connection is bounded like every other external call
        .setConnectionTimeout(config.connectTimeoutMs())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
        .setIdleTimeout(config.idleTimeoutMs())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
    NetClientOptions netOptions = new NetClientOptions()
        .setConnectTimeout(config.connectTimeoutMs())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true);
    return PgBuilder.pool()
        .with(poolOptions)
        .with(netOptions)
        .connectingTo(connectOptions(config))
        .using(vertx)
        .build();
  }

  /** The connect options of {@link #create}; exposed for tools that open a single connection. */
  public static PgConnectOptions connectOptions(PostgresConfig config) {
    PgConnectOptions options = new PgConnectOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setDatabase(config.database())
        .setUser(config.user())
        .setPassword(config.password())
        .setPipeliningLimit(config.pipeliningLimit())
        // the save path runs the same few statements all day: parse and plan them once per connection
        .setCachePreparedStatements(true);
    // addProperty, not setProperties: the driver's defaults (client_encoding, DateStyle...) must stay
    options.addProperty("application_name", APPLICATION_NAME);
    options.addProperty("search_path", config.schema());
    options.addProperty("statement_timeout", Integer.toString(config.statementTimeoutMs()));
    // NOTICEs ("already exists, skipping" of every IF NOT EXISTS) would each become a client WARN log
    options.addProperty("client_min_messages", "warning");
    return options;
  }
}

package io.lookout.storage.postgres;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.tcpPort;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.vertx.core.json.JsonObject;

/**
 * Postgres connection and pool settings ({@code storage.json: postgres}).
 *
 * @param schema the schema every connection uses ({@code search_path}); tests use their own
 * @param poolSize connections in the pool
 * @param maxWaitQueue requests waiting for a connection before new ones fail at once
 * @param statementTimeoutMs server-side {@code statement_timeout} of every connection
 * @param pipeliningLimit statements one connection may have in flight before waiting for answers
 */
public record PostgresConfig(
    String host,
    int port,
    String database,
    String user,
    String password,
    String schema,
    int poolSize,
    int maxWaitQueue,
    int connectTimeoutMs,
    int idleTimeoutMs,
    int statementTimeoutMs,
    int pipeliningLimit) {

  public PostgresConfig {
    notBlank("postgres.host", host);
    tcpPort("postgres.port", port);
    notBlank("postgres.database", database);
    notBlank("postgres.user", user);
    notBlank("postgres.schema", schema);
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new io.lookout.storage.config.ConfigException(
          "'postgres.schema' must be a lower-case SQL identifier, got '" + schema + "'");
    }
    positive("postgres.pool_size", poolSize);
    positive("postgres.max_wait_queue", maxWaitQueue);
    positive("postgres.connect_timeout_ms", connectTimeoutMs);
    positive("postgres.idle_timeout_ms", idleTimeoutMs);
    positive("postgres.statement_timeout_ms", statementTimeoutMs);
    positive("postgres.pipelining_limit", pipeliningLimit);
  }

  public static PostgresConfig fromJson(JsonObject json) {
    return new PostgresConfig(
        string(json, "host", "127.0.0.1"),
        integer(json, "port", 5432),
        string(json, "database", "lookout"),
        string(json, "user", "lookout"),
        string(json, "password", "lookout"),
        string(json, "schema", "public"),
        integer(json, "pool_size", 8),
        integer(json, "max_wait_queue", 1024),
        integer(json, "connect_timeout_ms", 5000),
        integer(json, "idle_timeout_ms", 60000),
        integer(json, "statement_timeout_ms", 30000),
        integer(json, "pipelining_limit", 256));
  }

  public PostgresConfig withSchema(String otherSchema) {
    return new PostgresConfig(host, port, database, user, password, otherSchema, poolSize, maxWaitQueue,
        connectTimeoutMs, idleTimeoutMs, statementTimeoutMs, pipeliningLimit);
  }
}

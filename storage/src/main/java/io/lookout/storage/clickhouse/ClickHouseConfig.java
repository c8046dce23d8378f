package io.lookout.storage.clickhouse;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.tcpPort;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.vertx.core.json.JsonObject;

/**
 * ClickHouse settings ({@code storage.json: clickhouse}). Lookout talks HTTP; the native port is
 * only for {@code clickhouse-client} and the local stack.
 *
 * @param database the database that holds Lookout's tables; tests use their own
 * @param maxConnections HTTP connections of the client
 * @param socketTimeoutMs an insert or query fails after this long without an answer
 */
public record ClickHouseConfig(
    String host,
    int httpPort,
    int nativePort,
    String database,
    String user,
    String password,
    int maxConnections,
    int connectTimeoutMs,
    int socketTimeoutMs) {

  public ClickHouseConfig {
    notBlank("clickhouse.host", host);
    tcpPort("clickhouse.http_port", httpPort);
    tcpPort("clickhouse.native_port", nativePort);
    notBlank("clickhouse.database", database);
    if (!database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new io.lookout.storage.config.ConfigException(
          "'clickhouse.database' must be an identifier, got '" + database + "'");
    }
    notBlank("clickhouse.user", user);
    positive("clickhouse.max_connections", maxConnections);
    positive("clickhouse.connect_timeout_ms", connectTimeoutMs);
    positive("clickhouse.socket_timeout_ms", socketTimeoutMs);
  }

  public static ClickHouseConfig fromJson(JsonObject json) {
    return new ClickHouseConfig(
        string(json, "host", "127.0.0.1"),
        integer(json, "http_port", 8123),
        integer(json, "native_port", 19000),
        string(json, "database", "lookout"),
        string(json, "user", "default"),
        string(json, "password", ""),
        integer(json, "max_connections", 8),
        integer(json, "connect_timeout_ms", 5000),
        integer(json, "socket_timeout_ms", 30000));
  }

  public ClickHouseConfig withDatabase(String otherDatabase) {
    return new ClickHouseConfig(host, httpPort, nativePort, otherDatabase, user, password, maxConnections,
        connectTimeoutMs, socketTimeoutMs);
  }

  public String httpUrl() {
    return "http://" + host + ":" + httpPort;
  }
}

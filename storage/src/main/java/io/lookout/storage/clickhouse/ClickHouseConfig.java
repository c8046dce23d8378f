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
 * @param insertFormat how {@link ClickHouseWriter#insert} sends rows
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
    int socketTimeoutMs,
    InsertFormat insertFormat) {

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
    if (insertFormat == null) {
      throw new io.lookout.storage.config.ConfigException("'clickhouse.insert_format' must be set");
    }
  }

  /** The settings without {@code insert_format}, which then is the default ({@link InsertFormat#ROW_BINARY}). */
  public ClickHouseConfig(String host, int httpPort, int nativePort, String database, String user, String password,
      int maxConnections, int connectTimeoutMs, int socketTimeoutMs) {
    this(host, httpPort, nativePort, database, user, password, maxConnections, connectTimeoutMs, socketTimeoutMs,
        InsertFormat.ROW_BINARY);
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
        integer(json, "socket_timeout_ms", 30000),
        InsertFormat.parse(string(json, "insert_format", InsertFormat.ROW_BINARY.value())));
  }

  public ClickHouseConfig withDatabase(String otherDatabase) {
    return new ClickHouseConfig(host, httpPort, nativePort, otherDatabase, user, password, maxConnections,
        connectTimeoutMs, socketTimeoutMs, insertFormat);
  }

  public ClickHouseConfig withInsertFormat(InsertFormat format) {
    return new ClickHouseConfig(host, httpPort, nativePort, database, user, password, maxConnections,
        connectTimeoutMs, socketTimeoutMs, format);
  }

  public String httpUrl() {
    return "http://" + host + ":" + httpPort;
  }

  /**
   * The body format of an insert. RowBinary costs the writer and the server about half of what JSON
   * does; JSONEachRow needs no knowledge of the table, and is what a table whose column types the
   * writer cannot encode gets anyway.
   */
  public enum InsertFormat {
    ROW_BINARY("RowBinary"),
    JSON_EACH_ROW("JSONEachRow");

    private final String value;

    InsertFormat(String value) {
      this.value = value;
    }

    /** The name in {@code clickhouse.insert_format} and in ClickHouse's {@code FORMAT} clause. */
    public String value() {
      return value;
    }

    public static InsertFormat parse(String value) {
      for (InsertFormat f : values()) {
        if (f.value.equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new io.lookout.storage.config.ConfigException(
          "'clickhouse.insert_format' must be RowBinary or JSONEachRow, got '" + value + "'");
    }
  }
}

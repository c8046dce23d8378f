package io.lookout.storage.redis;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.tcpPort;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.vertx.core.json.JsonObject;

/**
 * Redis connection settings ({@code storage.json: redis}).
 *
 * @param password empty for none
 * @param keyPrefix prepended to every key Lookout writes; tests use their own
 * @param poolSize connections in the pool
 * @param maxPoolWaiting requests waiting for a pooled connection before new ones fail
 * @param maxWaitingHandlers commands in flight on one connection (pipelining depth) before new ones fail
 * @param commandTimeoutMs every command or pipeline fails after this long
 */
public record RedisConfig(
    String host,
    int port,
    String password,
    int database,
    String keyPrefix,
    int poolSize,
    int maxPoolWaiting,
    int maxWaitingHandlers,
    int connectTimeoutMs,
    int commandTimeoutMs) {

  public RedisConfig {
    notBlank("redis.host", host);
    tcpPort("redis.port", port);
    if (database < 0) {
      throw new io.lookout.storage.config.ConfigException("'redis.database' must be >= 0");
    }
    positive("redis.pool_size", poolSize);
    positive("redis.max_pool_waiting", maxPoolWaiting);
    positive("redis.max_waiting_handlers", maxWaitingHandlers);
    positive("redis.connect_timeout_ms", connectTimeoutMs);
    positive("redis.command_timeout_ms", commandTimeoutMs);
  }

  public static RedisConfig fromJson(JsonObject json) {
    return new RedisConfig(
        string(json, "host", "127.0.0.1"),
        integer(json, "port", 6379),
        string(json, "password", ""),
        integer(json, "database", 0),
        string(json, "key_prefix", ""),
        integer(json, "pool_size", 8),
        integer(json, "max_pool_waiting", 1024),
        integer(json, "max_waiting_handlers", 4096),
        integer(json, "connect_timeout_ms", 5000),
        integer(json, "command_timeout_ms", 5000));
  }

  public RedisConfig withKeyPrefix(String prefix) {
    return new RedisConfig(host, port, password, database, prefix, poolSize, maxPoolWaiting, maxWaitingHandlers,
        connectTimeoutMs, commandTimeoutMs);
  }

  /** The connection string the Vert.x client takes. */
  public String connectionString() {
    String auth = password.isEmpty() ? "" : ":" + java.net.URLEncoder.encode(password,
        java.nio.charset.StandardCharsets.UTF_8) + "@";
    return "redis://" + auth + host + ":" + port + "/" + database;
  }
}

package io.lookout.storage.rabbitmq;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.tcpPort;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.vertx.core.json.JsonObject;

/**
 * RabbitMQ connection settings ({@code storage.json: rabbitmq}).
 *
 * @param heartbeatS AMQP heartbeat; a dead peer is noticed after about two of these
 * @param reconnectAttempts attempts to reconnect after a lost connection (0 = never)
 */
public record RabbitMqConfig(
    String host,
    int port,
    String vhost,
    String user,
    String password,
    int connectTimeoutMs,
    int heartbeatS,
    int reconnectAttempts,
    long reconnectIntervalMs) {

  public RabbitMqConfig {
    notBlank("rabbitmq.host", host);
    tcpPort("rabbitmq.port", port);
    notBlank("rabbitmq.vhost", vhost);
    notBlank("rabbitmq.user", user);
    positive("rabbitmq.connect_timeout_ms", connectTimeoutMs);
    positive("rabbitmq.heartbeat_s", heartbeatS);
    if (reconnectAttempts < 0) {
      throw new io.lookout.storage.config.ConfigException("'rabbitmq.reconnect_attempts' must be >= 0");
    }
    positive("rabbitmq.reconnect_interval_ms", reconnectIntervalMs);
  }

  public static RabbitMqConfig fromJson(JsonObject json) {
    return new RabbitMqConfig(
        string(json, "host", "127.0.0.1"),
        integer(json, "port", 5672),
        string(json, "vhost", "lookout"),
        string(json, "user", "lookout"),
        string(json, "password", "lookout"),
        integer(json, "connect_timeout_ms", 5000),
        integer(json, "heartbeat_s", 30),
        integer(json, "reconnect_attempts", 30),
        longValue(json, "reconnect_interval_ms", 1000));
  }
}

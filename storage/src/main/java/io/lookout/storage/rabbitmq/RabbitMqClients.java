package io.lookout.storage.rabbitmq;

import io.vertx.core.Vertx;
import io.vertx.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;

/** Builds the Vert.x RabbitMQ client from conf; the broker's queues and confirms are the processors' concern. */
public final class RabbitMqClients {

  private RabbitMqClients() {
  }

  public static RabbitMQOptions options(RabbitMqConfig config) {
    RabbitMQOptions options = new RabbitMQOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setVirtualHost(config.vhost())
        .setUser(config.user())
        .setPassword(config.password())
        .setConnectionTimeout(config.connectTimeoutMs())
        .setRequestedHeartbeat(config.heartbeatS())
        .setReconnectAttempts(config.reconnectAttempts())
        .setReconnectInterval(config.reconnectIntervalMs())
        // Vert.x reconnects and re-runs the connection establishedCallback; the Java client's own
        // recovery would race with it
        .setAutomaticRecoveryEnabled(false);
    options.setConnectionName("lookout");
    return options;
  }

  /** An unstarted client: call {@code start()} (it connects, honouring the timeouts above). */
  public static RabbitMQClient create(Vertx vertx, RabbitMqConfig config) {
    return RabbitMQClient.create(vertx, options(config));
  }
}

package io.lookout.processors.broker.impl;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.lookout.storage.rabbitmq.RabbitMqConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AMQP connection (RabbitMQ Java client) that reconnects by itself after it is lost
 * ({@code rabbitmq.reconnect_attempts} every {@code rabbitmq.reconnect_interval_ms}) and then tells
 * its listeners, which re-open their channels and re-subscribe. The client's own automatic
 * recovery is off: it would re-create consumers behind our back with stale delivery tags.
 *
 * <p>Blocking calls of the Java client (connect, channel RPCs, socket writes) go through
 * {@code executeBlocking}; the client's own threads hop back onto {@link #context()}.
 */
final class AmqpConnection {

  private static final Logger LOG = LoggerFactory.getLogger(AmqpConnection.class);

  private final Vertx vertx;
  private final Context context;
  private final ConnectionFactory factory;
  private final RabbitMqConfig config;
  private final String name;
  private final List<Runnable> reconnectListeners = new CopyOnWriteArrayList<>();
  private volatile Connection connection;
  private volatile boolean closed;
  private boolean reconnecting;

  AmqpConnection(Vertx vertx, Context context, RabbitMqConfig config, long rpcTimeoutMs, String name) {
    this.vertx = vertx;
    this.context = context;
    this.config = config;
    this.name = name;
    this.factory = factory(config, rpcTimeoutMs);
  }

  static ConnectionFactory factory(RabbitMqConfig config, long rpcTimeoutMs) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(config.host());
    f.setPort(config.port());
    f.setVirtualHost(config.vhost());
    f.setUsername(config.user());
    f.setPassword(config.password());
    f.setConnectionTimeout(config.connectTimeoutMs());
    f.setHandshakeTimeout(config.connectTimeoutMs());
    f.setRequestedHeartbeat(config.heartbeatS());
    f.setChannelRpcTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(rpcTimeoutMs, config.connectTimeoutMs())));
    f.setShutdownTimeout(config.connectTimeoutMs());
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    return f;
  }

  Context context() {
    return context;
  }

  Vertx vertx() {
    return vertx;
  }

  long reconnectIntervalMs() {
    return config.reconnectIntervalMs();
  }

  /** The open connection, or null while it is down. */
  Connection current() {
    Connection c = connection;
    return c != null && c.isOpen() ? c : null;
  }

  /** Runs on {@link #context()} after every successful reconnection. */
  void onReconnect(Runnable listener) {
    reconnectListeners.add(listener);
  }

  void removeReconnectListener(Runnable listener) {
    reconnectListeners.remove(listener);
  }

  Future<Void> open() {
    return vertx.executeBlocking(() -> {
      connect();
      return null;
    }, false);
  }

  private void connect() throws Exception {
    Connection c = factory.newConnection(name);
    c.addShutdownListener(this::lost);
    connection = c;
    if (closed) {
      c.abort();
    }
  }

  private void lost(ShutdownSignalException cause) {
    if (closed || cause.isInitiatedByApplication()) {
      return;
    }
    LOG.warn("rabbitmq connection {} lost: {}; reconnecting", name, cause.getMessage());
    context.runOnContext(v -> reconnect(1));
  }

  private void reconnect(int attempt) {
    if (closed || (attempt == 1 && reconnecting)) {
      return;
    }
    if (attempt > config.reconnectAttempts()) {
      reconnecting = false;
      LOG.error("rabbitmq connection {}: gave up after {} reconnect attempts; its consumers are stopped",
          name, config.reconnectAttempts());
      return;
    }
    reconnecting = true;
    vertx.setTimer(config.reconnectIntervalMs(), t -> open().onComplete(ar -> {
      if (ar.succeeded()) {
        reconnecting = false;
        LOG.info("rabbitmq connection {} re-established (attempt {})", name, attempt);
        reconnectListeners.forEach(Runnable::run);
      } else {
        LOG.warn("rabbitmq connection {}: reconnect attempt {} failed: {}", name, attempt,
            ar.cause().getMessage());
        reconnect(attempt + 1);
      }
    }));
  }

  /** Closes the connection cleanly: the broker requeues what its channels left unacked. */
  Future<Void> close() {
    closed = true;
    Connection c = connection;
    if (c == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      if (c.isOpen()) {
        c.close(config.connectTimeoutMs());
      }
      return null;
    }, false);
  }

  /** Drops the socket without the closing handshake, as a crashed process would. */
  Future<Void> abort() {
    closed = true;
    Connection c = connection;
    if (c == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      c.abort(config.connectTimeoutMs());
      return null;
    }, false);
  }
}

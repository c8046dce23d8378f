package io.lookout.processors.broker;

import io.lookout.processors.broker.impl.RabbitMqTaskBroker;
import io.lookout.processors.broker.impl.RedisTaskBroker;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The queue between the pipeline's stages ({@link TaskQueues}): at-least-once delivery of opaque
 * task bodies, with retries, a dead-letter queue per queue, and redelivery of what a crashed
 * worker held. Two transports, chosen by {@code broker.transport}: RabbitMQ (durable queues,
 * persistent messages, publisher confirms, manual acks) and Redis lists (reliable-queue pattern
 * with a processing list per consumer and a heartbeat).
 *
 * <p>Handlers must be idempotent: a task is delivered again when its worker dies before acking.
 */
public interface TaskBroker {

  static TaskBroker create(Vertx vertx, BrokerConfig config, StorageConfig storage, MeterRegistry registry) {
    TaskBroker broker = switch (config.transport()) {
      case BrokerConfig.REDIS -> new RedisTaskBroker(vertx, config, RedisConnector.create(vertx, storage.redis()),
          BrokerMetrics.of(registry, BrokerConfig.REDIS));
      default -> new RabbitMqTaskBroker(vertx, config, storage.rabbitmq(),
          BrokerMetrics.of(registry, BrokerConfig.RABBITMQ));
    };
    return config.queuePrefix().isEmpty() ? broker : new PrefixedTaskBroker(broker, config.queuePrefix());
  }

  /** Connects; fails when the transport cannot be reached. Queues are declared on first use. */
  Future<Void> start();

  /**
   * Durable when the future succeeds: RabbitMQ publisher confirm received for every message /
   * Redis LPUSH acknowledged. One round trip for the whole list where the transport allows
   * (RabbitMQ: publish all, then wait for the confirms; Redis: one pipelined LPUSH). Fails with
   * {@link BrokerUnavailableException} when not connected or not confirmed within
   * {@code publish_timeout_ms}, with {@link BrokerFullException} when too much is unconfirmed.
   */
  Future<Void> publish(String queue, List<Buffer> bodies);

  default Future<Void> publish(String queue, Buffer body) {
    return publish(queue, List.of(body));
  }

  /**
   * Starts consuming {@code queue} with at most {@code prefetch} unacknowledged tasks in the
   * handler at once. The handler's future decides: success -> ack; failure -> retried
   * (re-published with attempt+1, after {@code retry_delay_ms}) until {@code max_attempts}, then
   * moved to the dead-letter queue {@code <queue>.dead} with the error message and attempt count
   * recorded, and acked. The handler runs on the Vert.x context that called {@code consume}.
   */
  Future<TaskConsumer> consume(String queue, int prefetch, TaskHandler handler);

  /** Cancels every consumer (each waits at most {@code close_timeout_ms}), then closes the connections. */
  Future<Void> close();

  /** {@code "rabbitmq"} or {@code "redis"}. */
  String transport();
}

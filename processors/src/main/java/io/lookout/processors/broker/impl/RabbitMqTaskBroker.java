package io.lookout.processors.broker.impl;

import io.lookout.processors.broker.BrokerConfig;
import io.lookout.processors.broker.BrokerMetrics;
import io.lookout.processors.broker.BrokerUnavailableException;
import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskBrokerException;
import io.lookout.processors.broker.TaskConsumer;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.processors.broker.TaskQueues;
import io.lookout.storage.rabbitmq.RabbitMqConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RabbitMQ transport. Layout, per queue {@code Q} (all durable, default exchange):
 * <ul>
 *   <li>{@code Q}: the tasks; messages persistent (delivery mode 2), one task each with no headers on
 *       first publish, or up to {@code rabbitmq_tasks_per_message} tasks with header
 *       {@code x-lookout-tasks} ({@link TaskBundle}); retried and dead-lettered tasks go alone
 *   <li>{@code Q.retry}: failed tasks waiting {@code retry_delay_ms} (per-message expiration), then
 *       dead-lettered by RabbitMQ back to {@code Q} ({@code x-dead-letter-exchange=""},
 *       {@code x-dead-letter-routing-key=Q}); header {@code x-lookout-attempt} = next attempt,
 *       {@code x-lookout-error} = the last error
 *   <li>{@code Q.dead}: tasks that failed {@code max_attempts} times, headers
 *       {@code x-lookout-attempt}, {@code x-lookout-error}, {@code x-lookout-failed-at} (epoch ms),
 *       {@code x-lookout-queue}
 * </ul>
 * Two connections: one publishes (confirm mode), one carries the consumers (a channel each), so a
 * publisher throttled by the broker's flow control never holds up acks.
 *
 * <p>This drives the RabbitMQ Java client directly (the library under vertx-rabbitmq-client)
 * because a broker needs a channel per consumer, per-channel delivery tags and asynchronous
 * confirm listeners, which the Vert.x client's single shared channel does not give.
 */
public final class RabbitMqTaskBroker implements TaskBroker, Abortable {

  private final Vertx vertx;
  private final BrokerConfig config;
  private final BrokerMetrics metrics;
  private final AmqpConnection publishConnection;
  private final AmqpConnection consumeConnection;
  private final RabbitMqPublisher publisher;
  private final Set<RabbitMqConsumer> consumers = ConcurrentHashMap.newKeySet();

  public RabbitMqTaskBroker(Vertx vertx, BrokerConfig config, RabbitMqConfig rabbitmq, BrokerMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.metrics = metrics;
    Context context = vertx.getOrCreateContext();
    long rpcTimeout = Math.max(config.publishTimeoutMs(), rabbitmq.connectTimeoutMs());
    // names shown in RabbitMQ's connection list: which process, which role
    String instance = ProcessHandle.current().pid() + "-"
        + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & 0xffffffL);
    this.publishConnection = new AmqpConnection(vertx, context, rabbitmq, rpcTimeout,
        "lookout-broker-publish-" + instance);
    this.consumeConnection = new AmqpConnection(vertx, context, rabbitmq, rpcTimeout,
        "lookout-broker-consume-" + instance);
    this.publisher = new RabbitMqPublisher(publishConnection, config.publishTimeoutMs(),
        config.rabbitmqMaxUnconfirmed());
  }

  @Override
  public Future<Void> start() {
    return publishConnection.open()
        .compose(v -> consumeConnection.open())
        .recover(err -> {
          publishConnection.close();
          consumeConnection.close();
          return Future.failedFuture(new BrokerUnavailableException("cannot connect to rabbitmq: " + err.getMessage(),
              err));
        });
  }

  @Override
  public Future<Void> publish(String queue, List<Buffer> bodies) {
    TaskQueues.requireValid(queue);
    if (bodies.isEmpty()) {
      return Future.succeededFuture();
    }
    int perMessage = config.rabbitmqTasksPerMessage();
    List<RabbitMqPublisher.Message> messages = new ArrayList<>((bodies.size() + perMessage - 1) / perMessage);
    for (int from = 0; from < bodies.size(); from += perMessage) {
      int to = Math.min(bodies.size(), from + perMessage);
      messages.add(to - from == 1
          ? new RabbitMqPublisher.Message(bodies.get(from).getBytes(), RabbitMqPublisher.PERSISTENT)
          : TaskBundle.message(bodies.subList(from, to)));
    }
    BrokerMetrics.QueueMeters meters = metrics.queue(queue);
    long start = System.nanoTime();
    return publisher.publish(queue, queue, messages)
        .onSuccess(v -> meters.publishedSince(start, bodies.size()))
        .onFailure(err -> metrics.publishFailed(queue, reason(err), bodies.size()));
  }

  static String reason(Throwable err) {
    if (err instanceof io.lookout.processors.broker.BrokerFullException) {
      return "full";
    }
    if (err instanceof BrokerUnavailableException || !(err instanceof TaskBrokerException)) {
      return "unavailable";
    }
    return "rejected";
  }

  @Override
  public Future<TaskConsumer> consume(String queue, int prefetch, TaskHandler handler) {
    TaskQueues.requireValid(queue);
    if (prefetch < 1 || prefetch > 65535) {
      return Future.failedFuture(new IllegalArgumentException("prefetch must be 1..65535, got " + prefetch));
    }
    Context context = vertx.getOrCreateContext();
    // prefetch counts tasks; RabbitMQ's basic.qos counts messages, which hold up to rabbitmq_tasks_per_message
    int messages = Math.max(1, prefetch / config.rabbitmqTasksPerMessage());
    RabbitMqConsumer consumer = new RabbitMqConsumer(consumeConnection, publisher, config, metrics.queue(queue),
        queue, messages, handler, context);
    Promise<TaskConsumer> started = Promise.promise();
    context.runOnContext(v -> consumer.start().onComplete(ar -> {
      if (ar.succeeded()) {
        consumers.add(consumer);
      }
      started.handle(ar);
    }));
    return started.future();
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> cancels = new ArrayList<>();
    for (RabbitMqConsumer c : consumers) {
      cancels.add(c.cancel());
    }
    consumers.clear();
    return Future.join(cancels)
        .transform(ar -> publisher.close())
        .transform(ar -> Future.join(publishConnection.close(), consumeConnection.close()))
        .mapEmpty();
  }

  @Override
  public Future<Void> abort() {
    consumers.forEach(RabbitMqConsumer::stop);
    consumers.clear();
    return Future.join(publishConnection.abort(), consumeConnection.abort()).mapEmpty();
  }

  @Override
  public String transport() {
    return BrokerConfig.RABBITMQ;
  }
}

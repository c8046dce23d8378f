package io.lookout.processors.broker.impl;

import io.lookout.processors.broker.BrokerConfig;
import io.lookout.processors.broker.BrokerMetrics;
import io.lookout.processors.broker.BrokerUnavailableException;
import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskConsumer;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.processors.broker.TaskQueues;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The Redis transport. Keys, per queue {@code Q} ({@code P} = {@code redis.key_prefix}):
 * <ul>
 *   <li>{@code P q:Q} (list): tasks; publishers LPUSH, consumers take from the right (FIFO)
 *   <li>{@code P q:Q:processing:<consumer>} (list): tasks a consumer took and has not settled
 *   <li>{@code P q:Q:inbox:<consumer>} (list, at most one item): where its BLMOVE lands a task
 *   <li>{@code P q:Q:consumer:<consumer>} (string, PX TTL = visibility timeout): its heartbeat
 *   <li>{@code P q:Q:consumers} (set): consumer ids, for the reaper
 *   <li>{@code P q:Q:delayed} (sorted set, score = due epoch ms): retries waiting for their delay
 *   <li>{@code P q:Q.dead} (list): dead-lettered tasks as JSON (see {@link RedisTaskCodec#deadLetter})
 * </ul>
 * List items are {@link RedisTaskCodec} frames (attempt + id + body).
 */
public final class RedisTaskBroker implements TaskBroker, Abortable {

  /** Values per LPUSH command; a bigger list is several commands in one pipeline. */
  private static final int PUSH_CHUNK = 1000;

  private final Vertx vertx;
  private final BrokerConfig config;
  private final RedisConnector redis;
  private final BrokerMetrics metrics;
  private final String instanceId;
  private final Set<RedisQueueConsumer> consumers = ConcurrentHashMap.newKeySet();

  public RedisTaskBroker(Vertx vertx, BrokerConfig config, RedisConnector redis, BrokerMetrics metrics) {
    this.vertx = vertx;
    this.config = config;
    this.redis = redis;
    this.metrics = metrics;
    this.instanceId = ProcessHandle.current().pid() + "-"
        + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL);
  }

  @Override
  public Future<Void> start() {
    return redis.send(Request.cmd(Command.PING))
        .timeout(config.publishTimeoutMs(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(err -> Future.failedFuture(
            new BrokerUnavailableException("cannot reach redis: " + err.getMessage(), err)));
  }

  @Override
  public Future<Void> publish(String queue, List<Buffer> bodies) {
    TaskQueues.requireValid(queue);
    if (bodies.isEmpty()) {
      return Future.succeededFuture();
    }
    String key = RedisQueueConsumer.queueKey(redis, queue);
    List<Request> pushes = new ArrayList<>(bodies.size() / PUSH_CHUNK + 1);
    Request push = null;
    int inPush = 0;
    for (Buffer body : bodies) {
      if (push == null || inPush == PUSH_CHUNK) {
        push = Request.cmd(Command.LPUSH).arg(key);
        pushes.add(push);
        inPush = 0;
      }
      push.arg(RedisTaskCodec.encode(body, 1));
      inPush++;
    }
    BrokerMetrics.QueueMeters meters = metrics.queue(queue);
    long start = System.nanoTime();
    Future<?> sent = pushes.size() == 1 ? redis.send(pushes.get(0)) : redis.batch(pushes);
    return sent.timeout(config.publishTimeoutMs(), TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .onSuccess(v -> meters.publishedSince(start, bodies.size()))
        .recover(err -> {
          metrics.publishFailed(queue, "unavailable", bodies.size());
          return Future.failedFuture(new BrokerUnavailableException("redis: publish of " + bodies.size()
              + " task(s) to " + queue + " failed: " + err.getMessage(), err));
        });
  }

  @Override
  public Future<TaskConsumer> consume(String queue, int prefetch, TaskHandler handler) {
    TaskQueues.requireValid(queue);
    if (prefetch < 1) {
      return Future.failedFuture(new IllegalArgumentException("prefetch must be at least 1, got " + prefetch));
    }
    Context context = vertx.getOrCreateContext();
    String consumerId = instanceId + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    RedisQueueConsumer consumer = new RedisQueueConsumer(vertx, context, redis, config, metrics.queue(queue), queue,
        prefetch, handler, consumerId);
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
    for (RedisQueueConsumer c : consumers) {
      cancels.add(c.cancel());
    }
    consumers.clear();
    return Future.join(cancels).transform(ar -> redis.close());
  }

  @Override
  public Future<Void> abort() {
    consumers.forEach(RedisQueueConsumer::abort);
    consumers.clear();
    return redis.close();
  }

  @Override
  public String transport() {
    return BrokerConfig.REDIS;
  }
}

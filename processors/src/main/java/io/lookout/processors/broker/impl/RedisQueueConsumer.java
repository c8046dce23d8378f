package io.lookout.processors.broker.impl;

import io.lookout.processors.broker.BrokerConfig;
import io.lookout.processors.broker.BrokerMetrics;
import io.lookout.processors.broker.Task;
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
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of one queue on Redis lists (reliable-queue pattern). It owns
 * {@code q:<queue>:processing:<id>} (tasks it took and has not settled), {@code q:<queue>:inbox:<id>}
 * (where its blocking BLMOVE lands a task) and {@code q:<queue>:consumer:<id>} (heartbeat, TTL
 * {@code redis_visibility_timeout_ms}, refreshed three times per TTL), and is listed in
 * {@code q:<queue>:consumers}.
 *
 * <p>Loop: {@link RedisScripts#TAKE} moves up to {@code prefetch - held} tasks into the processing
 * list in one round trip; when the queue is empty, one BLMOVE on a connection of its own waits up
 * to {@code redis_poll_timeout_ms} for the next task, which it moves into the inbox; the next TAKE
 * collects the inbox too (so even a BLMOVE whose reply was lost delivers its task). Acks
 * ({@code LREM}) of the same moment go in one pipeline. Every consumer runs the reaper, which
 * requeues the tasks of consumers whose heartbeat expired.
 *
 * <p>All state is touched on {@link #context} only.
 */
final class RedisQueueConsumer implements TaskConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(RedisQueueConsumer.class);

  private final Vertx vertx;
  private final Context context;
  private final RedisConnector redis;
  private final BrokerConfig config;
  private final BrokerMetrics.QueueMeters meters;
  private final String queue;
  private final int prefetch;
  private final TaskHandler handler;
  private final String id;
  private final String queueKey;
  private final String inboxKey;
  private final String processingKey;
  private final String heartbeatKey;
  private final String consumersKey;
  private final String delayedKey;
  private final String deadKey;

  private Redis blocking;
  private long heartbeatTimer = -1;
  private long reaperTimer = -1;
  private boolean stopped;
  private boolean fetching;
  private boolean waiting;
  private boolean acking;
  private int held;
  private volatile int inFlight;
  private List<Buffer> pendingAcks = new ArrayList<>();
  private Promise<Void> drained;
  private Future<Void> cancelling;

  RedisQueueConsumer(Vertx vertx, Context context, RedisConnector redis, BrokerConfig config,
      BrokerMetrics.QueueMeters meters, String queue, int prefetch, TaskHandler handler, String id) {
    this.vertx = vertx;
    this.context = context;
    this.redis = redis;
    this.config = config;
    this.meters = meters;
    this.queue = queue;
    this.prefetch = prefetch;
    this.handler = handler;
    this.id = id;
    this.queueKey = queueKey(redis, queue);
    this.inboxKey = queueKey + ":inbox:" + id;
    this.processingKey = queueKey + ":processing:" + id;
    this.heartbeatKey = queueKey + ":consumer:" + id;
    this.consumersKey = queueKey + ":consumers";
    this.delayedKey = queueKey + ":delayed";
    this.deadKey = queueKey(redis, TaskQueues.deadLetterQueue(queue));
  }

  static String queueKey(RedisConnector redis, String queue) {
    return redis.key("q:" + queue);
  }

  /** Must run on {@link #context}. */
  Future<TaskConsumer> start() {
    return redis.batch(heartbeatRequests()).map(v -> {
      long ttl = config.redisVisibilityTimeoutMs();
      heartbeatTimer = vertx.setPeriodic(ttl / 3, t -> heartbeat());
      reaperTimer = vertx.setPeriodic(ttl / 2, t -> reap());
      reap();
      fill();
      return this;
    });
  }

  private List<Request> heartbeatRequests() {
    // SADD too: a consumer the reaper wrongly took for dead (a long pause) registers again
    return List.of(
        Request.cmd(Command.SET).arg(heartbeatKey).arg("1").arg("PX").arg(config.redisVisibilityTimeoutMs()),
        Request.cmd(Command.SADD).arg(consumersKey).arg(id));
  }

  private void heartbeat() {
    redis.batch(heartbeatRequests()).onFailure(err ->
        LOG.warn("redis consumer {} of {}: heartbeat failed: {}", id, queue, err.getMessage()));
  }

  private void reap() {
    RedisScripts.REAP.run(redis, List.of(), List.of(queueKey)).onComplete(ar -> {
      if (ar.succeeded()) {
        long moved = ar.result().toLong();
        if (moved > 0) {
          meters.requeued.increment(moved);
          LOG.info("redis: requeued {} task(s) of dead consumers of {}", moved, queue);
        }
      } else {
        LOG.debug("redis reaper of {} failed: {}", queue, ar.cause().getMessage());
      }
    });
  }

  private void fill() {
    if (stopped || fetching || waiting) {
      return;
    }
    int room = prefetch - held;
    if (room <= 0) {
      return; // a settled task calls fill() again
    }
    fetching = true;
    RedisScripts.TAKE.run(redis, List.of(queueKey, inboxKey, processingKey, delayedKey, heartbeatKey),
        List.of(room, config.redisVisibilityTimeoutMs())).onComplete(ar -> {
          fetching = false;
          if (stopped) {
            return; // what it took is in our processing list: RELEASE (or the reaper) requeues it
          }
          if (ar.failed()) {
            LOG.warn("redis consumer {} of {}: take failed: {}", id, queue, ar.cause().getMessage());
            vertx.setTimer(config.redisPollTimeoutMs(), t -> fill());
            return;
          }
          Response items = ar.result();
          int n = items == null ? 0 : items.size();
          for (int i = 0; i < n; i++) {
            dispatch(items.get(i).toBuffer());
          }
          if (n == 0) {
            awaitTasks();
          } else if (n < room) {
            fill();
          }
        });
  }

  /** One BLMOVE on our own connection: wakes as soon as a task is published, or after the poll timeout. */
  private void awaitTasks() {
    if (blocking == null) {
      blocking = redis.dedicated();
    }
    waiting = true;
    Redis conn = blocking;
    String seconds = String.format(Locale.ROOT, "%.3f", config.redisPollTimeoutMs() / 1000.0);
    conn.send(Request.cmd(Command.BLMOVE).arg(queueKey).arg(inboxKey).arg("RIGHT").arg("LEFT").arg(seconds))
        .timeout(config.redisPollTimeoutMs() + config.publishTimeoutMs(), TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          waiting = false;
          if (stopped) {
            return;
          }
          if (ar.failed()) {
            LOG.warn("redis consumer {} of {}: blocking wait failed: {}", id, queue, ar.cause().getMessage());
            if (blocking == conn) {
              blocking = null;
              conn.close();
            }
            vertx.setTimer(config.redisPollTimeoutMs(), t -> fill());
          } else {
            fill();
          }
        });
  }

  private void dispatch(Buffer item) {
    Task task = RedisTaskCodec.decode(queue, item);
    held++;
    inFlight++;
    meters.inFlight.incrementAndGet();
    Future<Void> result;
    try {
      result = handler.handle(task);
      if (result == null) {
        result = Future.failedFuture(new IllegalStateException("task handler returned null"));
      }
    } catch (Throwable t) {
      result = Future.failedFuture(t);
    }
    result.onComplete(ar -> onContext(() -> {
      inFlight--;
      meters.inFlight.decrementAndGet();
      if (ar.succeeded()) {
        ack(item);
      } else {
        failed(item, task, ar.cause());
      }
    }));
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void ack(Buffer item) {
    pendingAcks.add(item);
    if (!acking) {
      acking = true;
      // the other handlers finishing in this same moment join the pipeline
      context.runOnContext(v -> flushAcks());
    }
  }

  private void flushAcks() {
    List<Buffer> items = pendingAcks;
    pendingAcks = new ArrayList<>();
    List<Request> lrems = new ArrayList<>(items.size());
    for (Buffer item : items) {
      lrems.add(Request.cmd(Command.LREM).arg(processingKey).arg(1).arg(item));
    }
    redis.batch(lrems).onComplete(ar -> {
      if (ar.succeeded()) {
        long lost = ar.result().stream().filter(r -> r.toLong() == 0).count();
        if (lost > 0) {
          LOG.warn("redis consumer {} of {}: {} acked task(s) had been requeued already (heartbeat lapsed);"
              + " they will run again", id, queue, lost);
        }
        meters.acked.increment(items.size());
        settled(items.size());
      } else {
        LOG.warn("redis consumer {} of {}: ack of {} task(s) failed: {}; retrying", id, queue, items.size(),
            ar.cause().getMessage());
        items.addAll(pendingAcks);
        pendingAcks = items;
      }
      if (pendingAcks.isEmpty()) {
        acking = false;
      } else if (ar.succeeded()) {
        flushAcks();
      } else {
        vertx.setTimer(config.redisPollTimeoutMs(), t -> flushAcks());
      }
    });
  }

  private void failed(Buffer item, Task task, Throwable cause) {
    String error = RabbitMqConsumer.errorMessage(cause);
    boolean dead = task.attempt() >= config.maxAttempts();
    Future<Response> step;
    if (dead) {
      LOG.warn("task on {} failed {} times, dead-lettered to {}: {}", queue, task.attempt(), deadKey, error);
      step = RedisScripts.DEAD.run(redis, List.of(processingKey, deadKey),
          List.of(item, RedisTaskCodec.deadLetter(task, error, id)));
    } else {
      LOG.debug("task on {} failed (attempt {}), retrying: {}", queue, task.attempt(), error);
      step = RedisScripts.RETRY.run(redis, List.of(processingKey, queueKey, delayedKey),
          List.of(item, RedisTaskCodec.encode(task.body(), task.attempt() + 1), config.retryDelayMs()));
    }
    step.onComplete(ar -> {
      if (ar.succeeded()) {
        (dead ? meters.deadLettered : meters.retried).increment();
        settled(1);
      } else {
        LOG.warn("redis consumer {} of {}: could not record a failed task: {}; trying again", id, queue,
            ar.cause().getMessage());
        vertx.setTimer(config.redisPollTimeoutMs(), t -> failed(item, task, cause));
      }
    });
  }

  private void settled(int n) {
    held -= n;
    if (stopped) {
      if (held == 0 && drained != null) {
        drained.tryComplete();
      }
    } else {
      fill();
    }
  }

  @Override
  public Future<Void> cancel() {
    Promise<Void> done = Promise.promise();
    onContext(() -> cancelOnContext().onComplete(done::handle));
    return done.future();
  }

  private Future<Void> cancelOnContext() {
    if (cancelling != null) {
      return cancelling;
    }
    stopped = true;
    closeBlocking();
    drained = Promise.promise();
    if (held == 0) {
      drained.tryComplete();
    }
    cancelling = drained.future()
        .timeout(config.closeTimeoutMs(), TimeUnit.MILLISECONDS)
        .recover(err -> {
          LOG.warn("closing redis consumer {} of {}: {} task(s) still unsettled after {} ms go back to the queue",
              id, queue, held, config.closeTimeoutMs());
          return Future.succeededFuture();
        })
        .compose(v -> RedisScripts.RELEASE.run(redis,
            List.of(processingKey, inboxKey, queueKey, heartbeatKey, consumersKey), List.of(id)))
        .map(moved -> {
          if (moved.toLong() > 0) {
            meters.requeued.increment(moved.toLong());
          }
          return (Void) null;
        })
        .recover(err -> {
          // the heartbeat stops below, so the reaper of another consumer requeues them
          LOG.warn("closing redis consumer {} of {}: release failed: {}", id, queue, err.getMessage());
          return Future.succeededFuture();
        })
        .onComplete(ar -> cancelTimers());
    return cancelling;
  }

  private void closeBlocking() {
    if (blocking != null) {
      blocking.close();
      blocking = null;
    }
  }

  private void cancelTimers() {
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(reaperTimer);
  }

  /** As a crash: stop everything, settle and release nothing. */
  void abort() {
    onContext(() -> {
      stopped = true;
      cancelTimers();
      closeBlocking();
    });
  }

  @Override
  public int inFlight() {
    return inFlight;
  }
}

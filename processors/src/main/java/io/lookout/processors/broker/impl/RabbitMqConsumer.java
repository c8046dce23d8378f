package io.lookout.processors.broker.impl;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.lookout.processors.broker.BrokerConfig;
import io.lookout.processors.broker.BrokerMetrics;
import io.lookout.processors.broker.BrokerUnavailableException;
import io.lookout.processors.broker.Task;
import io.lookout.processors.broker.TaskConsumer;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.processors.broker.TaskQueues;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: a channel of its own with {@code basic.qos(prefetch)} and manual acks, so the
 * broker never lets more than {@code prefetch} tasks be unacknowledged here. Deliveries arrive on
 * the Java client's threads and are handed to the handler on {@link #context}; every piece of
 * state below is touched on that context only.
 *
 * <p>A delivery tag means something only on the channel it came from: after a reconnection the
 * old channel's tasks are already back on the queue (RabbitMQ requeues what a closed channel left
 * unacked), so their late acks are dropped rather than sent on the new channel.
 */
final class RabbitMqConsumer implements TaskConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitMqConsumer.class);
  private static final int MAX_ERROR_CHARS = 1000;

  private final AmqpConnection connection;
  private final RabbitMqPublisher publisher;
  private final BrokerConfig config;
  private final BrokerMetrics.QueueMeters meters;
  private final String queue;
  private final int prefetch;
  private final TaskHandler handler;
  private final Vertx vertx;
  private final Context context;
  private final Runnable onReconnect = this::resubscribe;
  private final ConcurrentLinkedQueue<Settlement> settlements = new ConcurrentLinkedQueue<>();

  private Channel channel;
  private String consumerTag;
  private boolean cancelled;
  private boolean flushing;
  private volatile int inFlight;
  private int unsettled;
  private Promise<Void> drained;
  private Future<Void> cancelling;

  RabbitMqConsumer(AmqpConnection connection, RabbitMqPublisher publisher, BrokerConfig config,
      BrokerMetrics.QueueMeters meters, String queue, int prefetch, TaskHandler handler, Context context) {
    this.connection = connection;
    this.publisher = publisher;
    this.config = config;
    this.meters = meters;
    this.queue = queue;
    this.prefetch = prefetch;
    this.handler = handler;
    this.vertx = connection.vertx();
    this.context = context;
  }

  /** Must run on {@link #context}. */
  Future<TaskConsumer> start() {
    connection.onReconnect(onReconnect);
    return subscribe().map(v -> (TaskConsumer) this);
  }

  private Future<Void> subscribe() {
    Connection c = connection.current();
    if (c == null) {
      return Future.failedFuture(new BrokerUnavailableException("rabbitmq is not connected; cannot consume " + queue));
    }
    return vertx.<Subscription>executeBlocking(() -> {
      Channel ch = c.createChannel();
      try {
        RabbitMqPublisher.declareTopology(ch, queue);
        ch.basicQos(prefetch);
        return new Subscription(ch, ch.basicConsume(queue, false, new Deliveries(ch)));
      } catch (Exception e) {
        if (ch.isOpen()) {
          ch.abort();
        }
        throw e;
      }
    }, false).map(sub -> {
      if (cancelled) {
        closeChannel(sub.channel());
      } else {
        channel = sub.channel();
        consumerTag = sub.tag();
      }
      return null;
    });
  }

  private void resubscribe() {
    if (cancelled) {
      return;
    }
    subscribe().onFailure(err -> {
      LOG.warn("rabbitmq: could not re-subscribe to {}: {}; trying again", queue, err.getMessage());
      vertx.setTimer(connection.reconnectIntervalMs(), t -> {
        if (connection.current() != null) {
          resubscribe();
        }
      });
    });
  }

  private final class Deliveries extends DefaultConsumer {

    Deliveries(Channel channel) {
      super(channel);
    }

    @Override
    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
      Channel ch = getChannel();
      context.runOnContext(v -> deliver(ch, envelope.getDeliveryTag(), props, body));
    }

    @Override
    public void handleCancel(String tag) {
      // the queue was deleted or the broker cancelled us: subscribe again (declaring the queue)
      context.runOnContext(v -> {
        LOG.warn("rabbitmq cancelled the consumer of {}; re-subscribing", queue);
        if (channel == getChannel()) {
          closeChannel(channel);
          channel = null;
        }
        resubscribe();
      });
    }

    @Override
    public void handleShutdownSignal(String tag, ShutdownSignalException sig) {
      if (sig.isInitiatedByApplication() || !sig.isHardError() && connection.current() == null) {
        return;
      }
      if (!sig.isHardError()) {
        // the channel alone failed (the connection lives on, so no reconnect will come): subscribe again
        context.runOnContext(v -> {
          if (!cancelled && channel == getChannel()) {
            LOG.warn("rabbitmq channel of {} closed: {}; re-subscribing", queue, sig.getMessage());
            channel = null;
            vertx.setTimer(connection.reconnectIntervalMs(), t -> resubscribe());
          }
        });
      }
    }
  }

  private void deliver(Channel ch, long tag, AMQP.BasicProperties props, byte[] body) {
    if (cancelled) {
      return; // unacked: back on the queue when the channel closes
    }
    int attempt = attempt(props);
    int bundled = TaskBundle.count(props);
    if (bundled > 0) {
      List<byte[]> tasks;
      try {
        tasks = TaskBundle.tasks(body, bundled);
      } catch (IllegalArgumentException e) {
        // no retry can mend it: straight to the dead-letter queue, as it came
        unsettled++;
        failed(ch, tag, new Task(queue, Buffer.buffer(body), Math.max(attempt, config.maxAttempts())), props, body, e);
        return;
      }
      deliverBundle(ch, tag, props, tasks, attempt);
      return;
    }
    Task task = new Task(queue, Buffer.buffer(body), attempt);
    inFlight++;
    unsettled++;
    meters.inFlight.incrementAndGet();
    run(task).onComplete(ar -> onContext(() -> {
      inFlight--;
      meters.inFlight.decrementAndGet();
      if (ar.succeeded()) {
        settle(new Settlement(ch, tag, false));
        meters.acked.increment();
      } else {
        failed(ch, tag, task, props, body, ar.cause());
      }
    }));
  }

  /**
   * The tasks of one message ({@link TaskBundle}): each goes to the handler; once all have
   * finished, each failed one is published alone to be retried (or dead-lettered), then the message
   * is acked. If a failure cannot be recorded, the whole message goes back to the queue.
   */
  private void deliverBundle(Channel ch, long tag, AMQP.BasicProperties props, List<byte[]> bodies, int attempt) {
    inFlight++;
    unsettled++;
    meters.inFlight.addAndGet(bodies.size());
    List<Task> tasks = new ArrayList<>(bodies.size());
    List<Future<Void>> results = new ArrayList<>(bodies.size());
    for (byte[] body : bodies) {
      Task task = new Task(queue, Buffer.buffer(body), attempt);
      tasks.add(task);
      results.add(run(task));
    }
    Future.join(results).onComplete(joined -> onContext(() -> {
      inFlight--;
      meters.inFlight.addAndGet(-bodies.size());
      List<Future<Void>> recorded = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Future<Void> result = results.get(i);
        if (result.succeeded()) {
          meters.acked.increment();
        } else {
          recorded.add(recordFailure(tasks.get(i), props, bodies.get(i), result.cause(), true));
        }
      }
      settleOnceRecorded(Future.all(recorded), ch, tag);
    }));
  }

  private Future<Void> run(Task task) {
    try {
      Future<Void> result = handler.handle(task);
      return result == null ? Future.failedFuture(new IllegalStateException("task handler returned null")) : result;
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
  }

  /** A handler may complete its future elsewhere: state changes happen on our context. */
  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  static int attempt(AMQP.BasicProperties props) {
    Map<String, Object> headers = props == null ? null : props.getHeaders();
    Object value = headers == null ? null : headers.get(RabbitMqPublisher.ATTEMPT_HEADER);
    if (value instanceof Number n && n.intValue() >= 1) {
      return n.intValue();
    }
    return 1;
  }

  private void failed(Channel ch, long tag, Task task, AMQP.BasicProperties props, byte[] body, Throwable cause) {
    settleOnceRecorded(recordFailure(task, props, body, cause, false), ch, tag);
  }

  /**
   * Acks a delivery once the failures of its task(s) are recorded; until they can be, the delivery
   * stays ours, and is handed back to the queue after a pause.
   */
  private void settleOnceRecorded(Future<?> recorded, Channel ch, long tag) {
    recorded.onComplete(ar -> {
      if (ar.succeeded()) {
        settle(new Settlement(ch, tag, false));
      } else {
        LOG.warn("could not record a failed task of {}: {}; requeueing its message", queue, ar.cause().getMessage());
        vertx.setTimer(Math.max(1, config.retryDelayMs()), t -> settle(new Settlement(ch, tag, true)));
      }
    });
  }

  /**
   * Publishes a failed task alone to the retry queue with its attempt and error, or after
   * {@code max_attempts} to the dead-letter queue; succeeds once RabbitMQ confirmed it.
   *
   * @param oneOfBundle {@code body} is one task of the message that {@code props} came with
   */
  private Future<Void> recordFailure(Task task, AMQP.BasicProperties props, byte[] body, Throwable cause,
      boolean oneOfBundle) {
    String error = errorMessage(cause);
    Map<String, Object> headers = new HashMap<>();
    if (props != null && props.getHeaders() != null) {
      headers.putAll(props.getHeaders());
    }
    headers.remove("x-death"); // RabbitMQ's record of the retry queue's expiries: grows with every retry
    if (oneOfBundle) {
      headers.remove(TaskBundle.TASKS_HEADER); // it goes on alone
    }
    AMQP.BasicProperties.Builder out = new AMQP.BasicProperties.Builder().deliveryMode(2);
    String target;
    boolean dead = task.attempt() >= config.maxAttempts();
    if (dead) {
      headers.put(RabbitMqPublisher.ATTEMPT_HEADER, task.attempt());
      headers.put(RabbitMqPublisher.ERROR_HEADER, error);
      headers.put(RabbitMqPublisher.FAILED_AT_HEADER, System.currentTimeMillis());
      headers.put(RabbitMqPublisher.QUEUE_HEADER, queue);
      target = TaskQueues.deadLetterQueue(queue);
      LOG.warn("task on {} failed {} times, dead-lettered to {}: {}", queue, task.attempt(), target, error);
    } else {
      headers.put(RabbitMqPublisher.ATTEMPT_HEADER, task.attempt() + 1);
      headers.put(RabbitMqPublisher.ERROR_HEADER, error);
      if (config.retryDelayMs() > 0) {
        target = queue + RabbitMqPublisher.RETRY_SUFFIX;
        out.expiration(Long.toString(config.retryDelayMs()));
      } else {
        target = queue;
      }
      LOG.debug("task on {} failed (attempt {}), retrying: {}", queue, task.attempt(), error);
    }
    out.headers(headers);
    return publisher.publish(queue, target, List.of(new RabbitMqPublisher.Message(body, out.build())))
        .onSuccess(v -> (dead ? meters.deadLettered : meters.retried).increment());
  }

  static String errorMessage(Throwable cause) {
    String message = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
    return message.length() <= MAX_ERROR_CHARS ? message : message.substring(0, MAX_ERROR_CHARS);
  }

  /** Acks (or requeues) through one worker hop for all settlements of the moment. */
  private void settle(Settlement s) {
    settlements.add(s);
    if (!flushing) {
      flushing = true;
      flush();
    }
  }

  private void flush() {
    vertx.<Integer>executeBlocking(() -> {
      int n = 0;
      Settlement s;
      while ((s = settlements.poll()) != null) {
        n++;
        if (!s.channel.isOpen()) {
          continue; // its tasks are back on the queue already
        }
        try {
          if (s.requeue) {
            s.channel.basicNack(s.tag, false, true);
          } else {
            s.channel.basicAck(s.tag, false);
          }
        } catch (Exception e) {
          LOG.debug("rabbitmq ack on {} failed: {}", queue, e.getMessage());
        }
      }
      return n;
    }, false).onComplete(ar -> {
      unsettled -= ar.succeeded() ? ar.result() : 0;
      if (!settlements.isEmpty()) {
        flush();
      } else {
        flushing = false;
        if (unsettled == 0 && drained != null) {
          drained.tryComplete();
        }
      }
    });
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
    cancelled = true;
    connection.removeReconnectListener(onReconnect);
    Channel ch = channel;
    String tag = consumerTag;
    drained = Promise.promise();
    if (unsettled == 0 && !flushing) {
      drained.tryComplete();
    }
    Future<Void> stopDeliveries = ch == null ? Future.succeededFuture() : vertx.<Void>executeBlocking(() -> {
      ch.basicCancel(tag);
      return null;
    }, false).recover(err -> Future.succeededFuture());
    cancelling = stopDeliveries
        .compose(v -> drained.future().timeout(config.closeTimeoutMs(), TimeUnit.MILLISECONDS)
            .recover(err -> {
              LOG.warn("closing the consumer of {}: {} task(s) still unsettled after {} ms go back to the queue",
                  queue, unsettled, config.closeTimeoutMs());
              return Future.succeededFuture();
            }))
        .compose(v -> ch == null ? Future.succeededFuture() : closeChannel(ch));
    return cancelling;
  }

  private Future<Void> closeChannel(Channel ch) {
    return vertx.<Void>executeBlocking(() -> {
      if (ch.isOpen()) {
        ch.close();
      }
      return null;
    }, false).recover(err -> Future.succeededFuture());
  }

  /** For an abort: no more handler calls; the connection's loss gives the tasks back. */
  void stop() {
    context.runOnContext(v -> {
      cancelled = true;
      connection.removeReconnectListener(onReconnect);
    });
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  private record Subscription(Channel channel, String tag) {
  }

  private record Settlement(Channel channel, long tag, boolean requeue) {
  }
}

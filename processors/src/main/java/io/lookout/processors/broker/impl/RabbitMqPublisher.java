package io.lookout.processors.broker.impl;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.lookout.processors.broker.BrokerFullException;
import io.lookout.processors.broker.BrokerUnavailableException;
import io.lookout.processors.broker.TaskBrokerException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes on one channel in confirm mode: a list is written in one go (one worker hop), then
 * the caller's future waits for the confirms of all its messages, which the broker sends
 * asynchronously (often one {@code multiple} ack for the lot). Messages awaiting a confirm are
 * bounded ({@code rabbitmq_max_unconfirmed}); a lost channel fails what it had not confirmed.
 */
final class RabbitMqPublisher {

  /** Header holding the attempt number of a retried task (absent = 1). */
  static final String ATTEMPT_HEADER = "x-lookout-attempt";
  static final String ERROR_HEADER = "x-lookout-error";
  static final String FAILED_AT_HEADER = "x-lookout-failed-at";
  static final String QUEUE_HEADER = "x-lookout-queue";
  static final String RETRY_SUFFIX = ".retry";

  static final AMQP.BasicProperties PERSISTENT = new AMQP.BasicProperties.Builder().deliveryMode(2).build();

  record Message(byte[] body, AMQP.BasicProperties props) {
  }

  private final AmqpConnection connection;
  private final long timeoutMs;
  private final int maxUnconfirmed;
  private final Object lock = new Object();
  private final Set<String> declared = ConcurrentHashMap.newKeySet();
  private final AtomicInteger unconfirmed = new AtomicInteger();
  private ConfirmChannel current; // guarded by lock

  RabbitMqPublisher(AmqpConnection connection, long timeoutMs, int maxUnconfirmed) {
    this.connection = connection;
    this.timeoutMs = timeoutMs;
    this.maxUnconfirmed = maxUnconfirmed;
    connection.onReconnect(declared::clear);
  }

  /**
   * Publishes {@code messages} to {@code target} (a queue of {@code queue}'s topology: the queue
   * itself, its {@code .retry} or its {@code .dead}), declaring that topology first if this
   * publisher has not yet. Succeeds once every message is confirmed.
   */
  Future<Void> publish(String queue, String target, List<Message> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    Vertx vertx = connection.vertx();
    if (connection.current() == null) {
      return Future.failedFuture(new BrokerUnavailableException("rabbitmq is not connected; cannot publish to " + target));
    }
    int n = messages.size();
    if (unconfirmed.addAndGet(n) > maxUnconfirmed) {
      unconfirmed.addAndGet(-n);
      return Future.failedFuture(new BrokerFullException("rabbitmq: more than " + maxUnconfirmed
          + " messages await a confirm; cannot publish " + n + " more to " + target));
    }
    Context context = vertx.getOrCreateContext();
    Batch batch = new Batch(n, context);
    vertx.executeBlocking(() -> {
      write(queue, target, messages, batch);
      return null;
    }, false).onFailure(batch::fail);
    return batch.promise.future()
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(err -> Future.failedFuture(err instanceof TaskBrokerException ? err
            : new BrokerUnavailableException("rabbitmq did not confirm " + n + " message(s) to " + target
                + " within " + timeoutMs + " ms", err)));
  }

  private void write(String queue, String target, List<Message> messages, Batch batch) throws Exception {
    int written = 0;
    try {
      synchronized (lock) {
        ConfirmChannel cc = channel();
        declare(cc.channel, queue);
        for (Message m : messages) {
          long seq = cc.channel.getNextPublishSeqNo();
          cc.pending.put(seq, batch);
          written++;
          cc.channel.basicPublish("", target, false, m.props(), m.body());
        }
      }
    } finally {
      // what never reached the pending map does not await a confirm
      unconfirmed.addAndGet(written - messages.size());
    }
  }

  private ConfirmChannel channel() throws Exception {
    if (current != null && current.channel.isOpen()) {
      return current;
    }
    Connection c = connection.current();
    if (c == null) {
      throw new BrokerUnavailableException("rabbitmq is not connected");
    }
    Channel ch = c.createChannel();
    ch.confirmSelect();
    ConfirmChannel cc = new ConfirmChannel(ch);
    ch.addConfirmListener((seq, multiple) -> cc.settle(seq, multiple, null),
        (seq, multiple) -> cc.settle(seq, multiple,
            new TaskBrokerException("rabbitmq refused the message (basic.nack)")));
    ch.addShutdownListener(cause -> cc.failAll(
        new BrokerUnavailableException("rabbitmq channel closed before the confirm: " + cause.getMessage())));
    current = cc;
    return cc;
  }

  /** Declares {@code queue}, {@code queue.dead} and {@code queue.retry} (durable), once per connection. */
  void declare(Channel channel, String queue) throws Exception {
    if (declared.contains(queue)) {
      return;
    }
    declareTopology(channel, queue);
    declared.add(queue);
  }

  static void declareTopology(Channel channel, String queue) throws Exception {
    channel.queueDeclare(queue, true, false, false, null);
    channel.queueDeclare(io.lookout.processors.broker.TaskQueues.deadLetterQueue(queue), true, false, false, null);
    // a retried task waits here for its per-message TTL, then is dead-lettered back to the queue
    channel.queueDeclare(queue + RETRY_SUFFIX, true, false, false,
        Map.of("x-dead-letter-exchange", "", "x-dead-letter-routing-key", queue));
  }

  int unconfirmed() {
    return unconfirmed.get();
  }

  Future<Void> close() {
    ConfirmChannel cc;
    synchronized (lock) {
      cc = current;
      current = null;
    }
    if (cc == null) {
      return Future.succeededFuture();
    }
    return connection.vertx().<Void>executeBlocking(() -> {
      if (cc.channel.isOpen()) {
        cc.channel.close();
      }
      return null;
    }, false).recover(err -> Future.succeededFuture());
  }

  /** The messages of one publish call; completes once all are confirmed, fails on the first refusal. */
  private static final class Batch {
    final AtomicInteger remaining;
    final AtomicBoolean done = new AtomicBoolean();
    final Promise<Void> promise = Promise.promise();
    final Context context;

    Batch(int n, Context context) {
      this.remaining = new AtomicInteger(n);
      this.context = context;
    }

    void confirmed() {
      if (remaining.decrementAndGet() == 0) {
        finish(null);
      }
    }

    void fail(Throwable cause) {
      finish(cause);
    }

    private void finish(Throwable cause) {
      if (done.compareAndSet(false, true)) {
        context.runOnContext(v -> {
          if (cause == null) {
            promise.tryComplete();
          } else {
            promise.tryFail(cause);
          }
        });
      }
    }
  }

  /** A channel in confirm mode and its messages awaiting a confirm, by publish sequence number. */
  private final class ConfirmChannel {
    final Channel channel;
    final ConcurrentSkipListMap<Long, Batch> pending = new ConcurrentSkipListMap<>();

    ConfirmChannel(Channel channel) {
      this.channel = channel;
    }

    void settle(long seq, boolean multiple, Throwable refusal) {
      if (multiple) {
        ConcurrentNavigableMap<Long, Batch> head = pending.headMap(seq, true);
        for (Long s : head.keySet()) {
          settleOne(s, refusal);
        }
      } else {
        settleOne(seq, refusal);
      }
    }

    private void settleOne(long seq, Throwable refusal) {
      Batch b = pending.remove(seq);
      if (b == null) {
        return;
      }
      unconfirmed.decrementAndGet();
      if (refusal == null) {
        b.confirmed();
      } else {
        b.fail(refusal);
      }
    }

    void failAll(Throwable cause) {
      for (Long s : pending.keySet()) {
        settleOne(s, cause);
      }
    }
  }
}

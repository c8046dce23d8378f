package io.lookout.gateway.produce.impl;

import io.lookout.gateway.produce.Delivery;
import io.lookout.gateway.produce.ProduceFailedException;
import io.lookout.gateway.produce.ProduceMetrics;
import io.lookout.gateway.produce.ProducedRecord;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.produce.RecordSender;
import io.lookout.storage.kafka.KafkaConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecordSender} on a plain Kafka {@link KafkaProducer}, fed by one sender thread.
 *
 * <p>The Kafka client's {@code send} can block (up to {@code max_block_ms}, for metadata or buffer
 * space), so event loops never call it: {@link #sendAll} puts the group of records on a bounded
 * queue and returns. One daemon thread takes the groups in order, takes whatever else has queued
 * up meanwhile, and calls {@code send} for each record; the client's callbacks (on its network
 * thread) count the group down and complete the caller's promises with one
 * {@code runOnContext} per group, plus one for an early failure. {@code flush}, {@code partitionsFor}
 * and {@code close} run on the same thread, in queue order.
 *
 * <p>This replaces vertx-kafka-client, whose write stream hops to a worker thread for every
 * record and back to the caller for every ack: at gateway rates that hop cost more than the send.
 */
public final class KafkaRecordSender implements RecordSender {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordSender.class);
  /** Groups the sender thread takes off the queue at once. */
  private static final int DRAIN_MAX = 256;

  private final Vertx vertx;
  private final Producer<byte[], byte[]> producer;
  private final ProducerConfig config;
  private final MeterRegistry registry;
  private final BlockingQueue<Task> queue;
  private final Map<String, Counter> failedByTopic = new ConcurrentHashMap<>();
  private final Thread thread;
  private final Promise<Void> closed = Promise.promise();
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean stopping;
  private volatile boolean terminated;

  private KafkaRecordSender(Vertx vertx, Producer<byte[], byte[]> producer, ProducerConfig config,
      MeterRegistry registry) {
    this.vertx = vertx;
    this.producer = producer;
    this.config = config;
    this.registry = registry;
    this.queue = new ArrayBlockingQueue<>(config.sendQueueSize());
    Gauge.builder(ProduceMetrics.SEND_QUEUE, queue, BlockingQueue::size)
        .description("Groups of records waiting for the Kafka sender thread")
        .register(registry);
    this.thread = new Thread(this::run, "lookout-kafka-sender-" + config.clientId());
    thread.setDaemon(true);
  }

  public static Future<RecordSender> create(Vertx vertx, KafkaConfig kafka, ProducerConfig config,
      MeterRegistry registry) {
    Map<String, Object> properties = new HashMap<>(config.toProducerProperties(kafka));
    return vertx.executeBlocking(() -> {
      KafkaRecordSender sender = new KafkaRecordSender(vertx, new KafkaProducer<>(properties),
          config, registry);
      sender.thread.start();
      return sender;
    }, false);
  }

  @Override
  public Delivery sendAll(List<ProducedRecord> records) {
    Group group = new Group(callerContext(), records.size());
    if (records.isEmpty()) {
      group.acked.complete();
      group.settled.complete();
    } else if (stopping) {
      group.failAll(records, new IllegalStateException("the kafka sender is closed"));
    } else if (!queue.offer(new SendTask(records, group))) {
      group.failAll(records, new IllegalStateException("the kafka send queue is full ("
          + config.sendQueueSize() + " groups waiting)"));
    } else if (terminated) {
      failQueued();
    }
    return new Delivery(group.acked.future(), group.settled.future());
  }

  @Override
  public Future<Void> warmUp(Collection<String> topics) {
    List<Future<?>> lookups = new ArrayList<>(topics.size());
    for (String topic : topics) {
      lookups.add(onSenderThread(() -> producer.partitionsFor(topic)).onFailure(e ->
          LOG.warn("no metadata for topic {} yet: {}", topic, e.toString())));
    }
    return Future.all(lookups).mapEmpty();
  }

  @Override
  public Future<Void> flush() {
    return onSenderThread(() -> {
      producer.flush();
      return null;
    });
  }

  /** Sends what is queued, then closes the producer, waiting at most {@code close_timeout_ms}. */
  @Override
  public Future<Void> close() {
    if (closing.compareAndSet(false, true)) {
      stopping = true;
      // wakes the thread if it waits on an empty queue; a full queue wakes it anyway
      queue.offer(new BlockingTask<>(() -> null, null));
    }
    return closed.future();
  }

  private Context callerContext() {
    Context current = Vertx.currentContext();
    return current != null ? current : vertx.getOrCreateContext();
  }

  private <T> Future<T> onSenderThread(Callable<T> action) {
    Promise<T> promise = Promise.promise();
    BlockingTask<T> task = new BlockingTask<>(action, new Completion<>(callerContext(), promise));
    if (stopping) {
      return Future.failedFuture(new IllegalStateException("the kafka sender is closed"));
    }
    if (!queue.offer(task)) {
      return Future.failedFuture(new IllegalStateException("the kafka send queue is full ("
          + config.sendQueueSize() + " groups waiting)"));
    }
    if (terminated) {
      failQueued();
    }
    return promise.future();
  }

  private void run() {
    List<Task> tasks = new ArrayList<>(DRAIN_MAX);
    while (true) {
      Task first;
      try {
        first = stopping ? queue.poll() : queue.take();
      } catch (InterruptedException e) {
        continue;
      }
      if (first == null) {
        break;
      }
      tasks.add(first);
      queue.drainTo(tasks, DRAIN_MAX - 1);
      for (Task task : tasks) {
        task.run();
      }
      tasks.clear();
    }
    try {
      producer.close(Duration.ofMillis(config.closeTimeoutMs()));
    } catch (RuntimeException e) {
      LOG.warn("closing the kafka producer failed", e);
    }
    terminated = true;
    failQueued();
    closed.complete();
  }

  /** After the thread has ended: fails what a racing caller still managed to queue. */
  private void failQueued() {
    Task task;
    while ((task = queue.poll()) != null) {
      task.fail(new IllegalStateException("the kafka sender is closed"));
    }
  }

  private Counter failed(String topic) {
    return failedByTopic.computeIfAbsent(topic, t -> Counter.builder(ProduceMetrics.FAILED)
        .description("Kafka records that were not acknowledged")
        .tag(ProduceMetrics.TAG_TOPIC, t)
        .register(registry));
  }

  private static ProducerRecord<byte[], byte[]> toKafka(ProducedRecord r) {
    List<Header> headers = null;
    if (!r.headers().isEmpty()) {
      headers = new ArrayList<>(r.headers().size());
      for (Map.Entry<String, String> h : r.headers().entrySet()) {
        headers.add(new RecordHeader(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)));
      }
    }
    return new ProducerRecord<>(r.topic(), null, null, r.key(), r.value(), headers);
  }

  private sealed interface Task permits SendTask, BlockingTask {

    /** On the sender thread. */
    void run();

    /** Never ran: the sender is closed. */
    void fail(Throwable cause);
  }

  private final class SendTask implements Task {

    private final List<ProducedRecord> records;
    private final Group group;

    SendTask(List<ProducedRecord> records, Group group) {
      this.records = records;
      this.group = group;
    }

    @Override
    public void run() {
      for (ProducedRecord r : records) {
        String topic = r.topic();
        try {
          producer.send(toKafka(r), (metadata, e) -> group.completed(topic, e));
        } catch (RuntimeException e) {
          // the client reports most failures through the callback; the others arrive here
          group.completed(topic, e);
        }
      }
    }

    @Override
    public void fail(Throwable cause) {
      group.failAll(records, cause);
    }
  }

  private record Completion<T>(Context context, Promise<T> promise) {
  }

  private static final class BlockingTask<T> implements Task {

    private final Callable<T> action;
    private final Completion<T> completion;

    BlockingTask(Callable<T> action, Completion<T> completion) {
      this.action = action;
      this.completion = completion;
    }

    @Override
    public void run() {
      T result;
      try {
        result = action.call();
      } catch (Exception e) {
        fail(e);
        return;
      }
      if (completion != null) {
        completion.context().runOnContext(v -> completion.promise().complete(result));
      }
    }

    @Override
    public void fail(Throwable cause) {
      if (completion != null) {
        completion.context().runOnContext(v -> completion.promise().fail(cause));
      }
    }
  }

  /** One {@link #sendAll} call: counts its records down as the client completes them. */
  private final class Group {

    private final Context context;
    private final Promise<Void> acked = Promise.promise();
    private final Promise<Void> settled = Promise.promise();
    private final AtomicInteger remaining;
    private final AtomicReference<ProduceFailedException> failure = new AtomicReference<>();

    Group(Context context, int records) {
      this.context = context;
      this.remaining = new AtomicInteger(records);
    }

    /** On the client's network thread (or the sender thread): one record completed. */
    void completed(String topic, Exception error) {
      if (error != null) {
        failed(topic).increment();
        ProduceFailedException first = new ProduceFailedException(topic, error);
        if (failure.compareAndSet(null, first)) {
          context.runOnContext(v -> acked.tryFail(first));
        }
      }
      // a failure set by another thread before its own decrement is seen here
      if (remaining.decrementAndGet() == 0) {
        context.runOnContext(v -> {
          ProduceFailedException first = failure.get();
          if (first == null) {
            acked.tryComplete();
          } else {
            acked.tryFail(first);
          }
          settled.complete();
        });
      }
    }

    /** None of {@code records} reached the client. */
    void failAll(List<ProducedRecord> records, Throwable cause) {
      for (ProducedRecord r : records) {
        failed(r.topic()).increment();
      }
      ProduceFailedException failure = new ProduceFailedException(records.get(0).topic(), cause);
      context.runOnContext(v -> {
        acked.tryFail(failure);
        settled.complete();
      });
    }
  }
}

package io.lookout.processors.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka consumer that hands each poll's records to a {@link BatchHandler} on a Vert.x context and
 * commits an offset only once the handler's future for it, and for every earlier batch, has
 * succeeded (Arroyo's model: the step that owns the work owns the commit).
 *
 * <p>The Kafka client is not thread-safe and blocks, so it lives on its own thread: it polls,
 * commits what the context reports done, and pauses every assigned partition while
 * {@code maxBatchesInFlight} batches are unfinished (backpressure: nothing more is fetched while the
 * next stage is full), resuming once one completes. A batch whose handler fails is retried, in
 * place and in order, with a growing delay: later batches may finish meanwhile, but no offset
 * passes the failed one until it succeeds.
 */
public final class KafkaBatchConsumer {

  /** What the consumer does with one poll's records; the future succeeds once the hand-off is durable. */
  @FunctionalInterface
  public interface BatchHandler {
    Future<Void> handle(List<ConsumerRecord<byte[], byte[]>> records);
  }

  /**
   * Told about offsets Kafka has confirmed as committed (the analytics consumer publishes them to
   * {@code snuba-commit-log}). Runs on the consumer's own thread: hand the work to a context.
   */
  @FunctionalInterface
  public interface CommitListener {
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets);
  }

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBatchConsumer.class);
  private static final long MAX_RETRY_DELAY_MS = 10_000;
  /**
   * How long a rebalance waits for the batches in flight before giving up the partitions (the group
   * waits for this member meanwhile); what is still in flight then is read again by the next owner.
   */
  private static final long REVOKE_WAIT_MS = 10_000;

  private final String name;
  private final Context context;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final BatchHandler handler;
  private final int maxBatchesInFlight;
  private final Duration pollTimeout;
  private final long retryDelayMs;
  private final Thread thread;

  /** Offsets the context has released for commit; drained by the consumer thread. */
  private final ConcurrentLinkedQueue<Map<TopicPartition, OffsetAndMetadata>> toCommit = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Batches in poll order; touched only on {@link #context}. */
  private final ArrayDeque<InFlightBatch> batches = new ArrayDeque<>();
  private final Promise<Void> stopped = Promise.promise();
  private final Counter records;
  private final Counter retries;
  private volatile boolean running = true;
  private boolean paused;
  private volatile CommitListener commitListener;

  /**
   * @param properties extra consumer properties (bootstrap servers, group id, timeouts); auto
   *     commit is always off
   */
  public KafkaBatchConsumer(String name, Context context, String topic, Properties properties,
      BatchHandler handler, int maxBatchesInFlight, long pollTimeoutMs, long retryDelayMs,
      MeterRegistry registry) {
    this.name = name;
    this.context = context;
    this.topic = topic;
    this.handler = handler;
    this.maxBatchesInFlight = maxBatchesInFlight;
    this.pollTimeout = Duration.ofMillis(pollTimeoutMs);
    this.retryDelayMs = retryDelayMs;
    Properties props = new Properties();
    props.putAll(properties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, name);
    this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Tags tags = Tags.of("consumer", name, "topic", topic);
    this.records = Counter.builder("lookout.consumer.records").tags(tags)
        .description("records polled from Kafka").register(registry);
    this.retries = Counter.builder("lookout.consumer.batch.retries").tags(tags)
        .description("batches whose hand-off failed and was retried").register(registry);
    Gauge.builder("lookout.consumer.batches.in_flight", inFlight, AtomicInteger::get).tags(tags)
        .description("polled batches not yet committed").register(registry);
    this.thread = new Thread(this::loop, "lookout-consumer-" + name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Sets who hears of confirmed commits; call before {@link #start()}. */
  public KafkaBatchConsumer onCommitted(CommitListener listener) {
    this.commitListener = listener;
    return this;
  }

  /** Stops polling, waits for the batches in flight, commits them, closes the client. */
  public Future<Void> stop() {
    running = false;
    consumer.wakeup();
    return stopped.future();
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          // finish and commit what was polled before the partitions go: their next owner starts at
          // the last commit, and would otherwise process every batch in flight a second time
          awaitInFlight(REVOKE_WAIT_MS);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          if (paused) {
            consumer.pause(partitions);
          }
        }
      });
      while (running) {
        commitReleased(false);
        boolean full = inFlight.get() >= maxBatchesInFlight;
        if (full && !paused) {
          consumer.pause(consumer.assignment());
          paused = true;
        } else if (!full && paused) {
          consumer.resume(consumer.paused());
          paused = false;
        }
        ConsumerRecords<byte[], byte[]> polled;
        try {
          polled = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
          continue;
        }
        if (polled.isEmpty()) {
          continue;
        }
        List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(polled.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : polled) {
          list.add(record);
          offsets.put(new TopicPartition(record.topic(), record.partition()),
              new OffsetAndMetadata(record.offset() + 1));
        }
        records.increment(list.size());
        inFlight.incrementAndGet();
        context.runOnContext(v -> dispatch(new InFlightBatch(list, offsets)));
      }
      drain();
    } catch (RuntimeException e) {
      LOG.error("consumer {} stopped on an error", name, e);
    } finally {
      try {
        consumer.close(Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        LOG.warn("consumer {}: close failed", name, e);
      }
      stopped.tryComplete();
    }
  }

  /** After stop: waits (bounded) for batches in flight so their offsets get committed. */
  private void drain() {
    awaitInFlight(30_000);
  }

  /** Waits at most {@code maxMs} for the batches in flight, committing as they finish, then commits. */
  private void awaitInFlight(long maxMs) {
    long deadline = System.currentTimeMillis() + maxMs;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      commitReleased(false);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    commitReleased(true);
  }

  private void commitReleased(boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> merged = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> next;
    while ((next = toCommit.poll()) != null) {
      merged.putAll(next);
    }
    if (merged.isEmpty()) {
      return;
    }
    try {
      if (sync) {
        try {
          consumer.commitSync(merged);
        } catch (WakeupException e) {
          // the wakeup was meant for poll (a batch finished, or stop); it is spent now: commit again
          consumer.commitSync(merged);
        }
        notifyCommitted(merged);
      } else {
        consumer.commitAsync(merged, (offsets, err) -> {
          if (err != null) {
            // a rebalance took the partition: its new owner re-reads from the last commit (idempotent)
            LOG.warn("consumer {}: commit of {} failed: {}", name, offsets, err.toString());
          } else {
            notifyCommitted(offsets);
          }
        });
      }
    } catch (RuntimeException e) {
      LOG.warn("consumer {}: commit failed: {}", name, e.toString());
    }
  }

  private void notifyCommitted(Map<TopicPartition, OffsetAndMetadata> offsets) {
    CommitListener listener = commitListener;
    if (listener == null) {
      return;
    }
    try {
      listener.committed(offsets);
    } catch (RuntimeException e) {
      LOG.warn("consumer {}: commit listener failed: {}", name, e.toString());
    }
  }

  // --- on the context -------------------------------------------------------------------------

  private void dispatch(InFlightBatch batch) {
    batches.addLast(batch);
    attempt(batch, retryDelayMs);
  }

  private void attempt(InFlightBatch batch, long delay) {
    Future<Void> result;
    try {
      result = handler.handle(batch.records);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        batch.done = true;
        releaseDone();
        return;
      }
      retries.increment();
      LOG.warn("consumer {}: hand-off of {} records failed, retrying in {} ms: {}", name,
          batch.records.size(), delay, String.valueOf(ar.cause()));
      context.owner().setTimer(delay, t -> attempt(batch, Math.min(delay * 2, MAX_RETRY_DELAY_MS)));
    });
  }

  private void releaseDone() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    while (!batches.isEmpty() && batches.peekFirst().done) {
      offsets.putAll(batches.pollFirst().offsets);
      inFlight.decrementAndGet();
    }
    if (!offsets.isEmpty()) {
      toCommit.add(offsets);
      consumer.wakeup();
    }
  }

  private static final class InFlightBatch {
    final List<ConsumerRecord<byte[], byte[]>> records;
    final Map<TopicPartition, OffsetAndMetadata> offsets;
    boolean done;

    InFlightBatch(List<ConsumerRecord<byte[], byte[]>> records, Map<TopicPartition, OffsetAndMetadata> offsets) {
      this.records = records;
      this.offsets = offsets;
    }
  }
}

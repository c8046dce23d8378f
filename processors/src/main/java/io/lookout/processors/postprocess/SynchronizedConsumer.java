package io.lookout.processors.postprocess;

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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer of one topic that never hands on a record the followed consumer group has not yet
 * committed: Sentry's post-process forwarder run with {@code --synchronize-commit-log-topic} and
 * {@code --synchronize-commit-group} (Arroyo's {@code SynchronizedConsumer}). The followed group
 * publishes its commits to a commit log ({@link CommitLogEntry}); for each partition the offset it
 * last committed there is the watermark, and only records below it pass.
 *
 * <p>One thread owns two Kafka clients: the commit log, assigned to all its partitions, read from
 * the beginning, without a group; and the topic, in this consumer's group. Before each poll a
 * partition whose next offset is at or beyond its watermark (or that has none yet) is paused, and
 * resumed once the watermark moves past it; a record fetched at or beyond the watermark is not
 * handed on and the partition is sought back to it. Batches go to the {@link BatchHandler} on a
 * Vert.x context; an offset is committed only once its batch, and every earlier one, succeeded
 * (a failed batch is retried in place with a growing delay). At {@code maxBatchesInFlight}
 * unfinished batches every partition is paused.
 */
public final class SynchronizedConsumer {

  /** What the consumer does with one poll's records; the future succeeds once they are handed on durably. */
  @FunctionalInterface
  public interface BatchHandler {
    Future<Void> handle(List<ConsumerRecord<byte[], byte[]>> records);
  }

  private static final Logger LOG = LoggerFactory.getLogger(SynchronizedConsumer.class);
  private static final long MAX_RETRY_DELAY_MS = 10_000;
  private static final Duration COMMIT_LOG_POLL = Duration.ofMillis(5);

  private final String name;
  private final Context context;
  private final String topic;
  private final Set<String> followedTopicNames;
  private final String commitLogTopic;
  private final String followedGroup;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaConsumer<byte[], byte[]> commitLog;
  private final BatchHandler handler;
  private final int maxBatchesInFlight;
  private final Duration pollTimeout;
  private final long retryDelayMs;
  private final Thread thread;

  /** Watermark per partition of {@link #topic}: the followed group's committed offset. Written by the thread only. */
  private final Map<Integer, Long> watermarks = new ConcurrentHashMap<>();
  /** Next offset to hand on per assigned partition; thread only. */
  private final Map<TopicPartition, Long> next = new HashMap<>();
  private final ConcurrentLinkedQueue<Map<TopicPartition, OffsetAndMetadata>> toCommit = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** Batches in poll order; touched only on {@link #context}. */
  private final ArrayDeque<InFlightBatch> batches = new ArrayDeque<>();
  private final Promise<Void> stopped = Promise.promise();
  private final Counter handedOn;
  private final Counter heldBack;
  private final Counter badCommitLog;
  private final Counter retries;
  private volatile boolean running = true;
  private long nextCommitLogLookup;

  /**
   * @param topic the topic to consume (as named in Kafka)
   * @param followedTopicNames the names the followed group's commit-log keys may give that topic
   *     (the actual name, and e.g. Sentry's unprefixed one)
   * @param properties consumer properties for {@code topic} (bootstrap servers, group id, timeouts);
   *     auto commit is always off; the commit-log client takes the bootstrap servers from them
   */
  public SynchronizedConsumer(String name, Context context, String topic, Collection<String> followedTopicNames,
      String commitLogTopic, String followedGroup, Properties properties, BatchHandler handler,
      int maxBatchesInFlight, long pollTimeoutMs, long retryDelayMs, MeterRegistry registry) {
    this.name = name;
    this.context = context;
    this.topic = topic;
    this.followedTopicNames = Set.copyOf(followedTopicNames);
    this.commitLogTopic = commitLogTopic;
    this.followedGroup = followedGroup;
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
    Properties logProps = new Properties();
    logProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, props.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
    logProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    logProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    logProps.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-commit-log");
    this.commitLog = new KafkaConsumer<>(logProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Tags tags = Tags.of("consumer", name, "topic", topic);
    this.handedOn = Counter.builder("lookout.postprocess.forwarder.records").tags(tags)
        .description("records handed on (below the followed group's commit)").register(registry);
    this.heldBack = Counter.builder("lookout.postprocess.forwarder.held_back").tags(tags)
        .description("records fetched at or beyond the followed group's commit and sought back").register(registry);
    this.badCommitLog = Counter.builder("lookout.postprocess.commit_log.invalid").tags(tags)
        .description("commit-log records that could not be read").register(registry);
    this.retries = Counter.builder("lookout.postprocess.forwarder.batch.retries").tags(tags)
        .description("batches whose hand-off failed and was retried").register(registry);
    Gauge.builder("lookout.postprocess.forwarder.batches.in_flight", inFlight, AtomicInteger::get).tags(tags)
        .description("batches handed on and not yet committed").register(registry);
    this.thread = new Thread(this::loop, "lookout-sync-consumer-" + name);
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Stops polling, waits (bounded) for the batches in flight, commits them, closes both clients. */
  public Future<Void> stop() {
    running = false;
    consumer.wakeup();
    return stopped.future();
  }

  /** The followed group's committed offset for a partition, as last read from the commit log. */
  public Long watermark(int partition) {
    return watermarks.get(partition);
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          commitReleased(true);
          partitions.forEach(next::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // nothing is fetched until the loop has checked the watermark
          consumer.pause(partitions);
          for (TopicPartition tp : partitions) {
            next.put(tp, consumer.position(tp));
          }
        }
      });
      while (running) {
        commitReleased(false);
        readCommitLog();
        ConsumerRecords<byte[], byte[]> polled;
        try {
          updatePauses();
          polled = consumer.poll(pollTimeout);
        } catch (WakeupException e) {
          continue;
        }
        if (!polled.isEmpty()) {
          take(polled);
        }
      }
      drain();
    } catch (RuntimeException e) {
      LOG.error("synchronized consumer {} stopped on an error", name, e);
    } finally {
      close();
      stopped.tryComplete();
    }
  }

  private void readCommitLog() {
    if (commitLog.assignment().isEmpty()) {
      long now = System.currentTimeMillis();
      if (now < nextCommitLogLookup) {
        return;
      }
      nextCommitLogLookup = now + 1000;
      List<PartitionInfo> infos = commitLog.partitionsFor(commitLogTopic, Duration.ofSeconds(5));
      if (infos == null || infos.isEmpty()) {
        LOG.warn("consumer {}: commit log topic {} has no partitions yet; nothing is handed on", name, commitLogTopic);
        return;
      }
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : infos) {
        partitions.add(new TopicPartition(commitLogTopic, info.partition()));
      }
      commitLog.assign(partitions);
      commitLog.seekToBeginning(partitions);
    }
    for (ConsumerRecord<byte[], byte[]> record : commitLog.poll(COMMIT_LOG_POLL)) {
      CommitLogEntry entry;
      try {
        entry = CommitLogEntry.decode(record.key(), record.value());
      } catch (IllegalArgumentException e) {
        badCommitLog.increment();
        LOG.debug("consumer {}: skipping commit log record at {}: {}", name, record.offset(), e.getMessage());
        continue;
      }
      if (entry.group().equals(followedGroup) && followedTopicNames.contains(entry.topic())) {
        watermarks.merge(entry.partition(), entry.offset(), Math::max);
      }
    }
  }

  /** Pauses what must not be fetched (at the watermark, or everything when full), resumes the rest. */
  private void updatePauses() {
    Set<TopicPartition> assignment = consumer.assignment();
    if (assignment.isEmpty()) {
      return;
    }
    boolean full = inFlight.get() >= maxBatchesInFlight;
    Set<TopicPartition> pause = new HashSet<>();
    for (TopicPartition tp : assignment) {
      Long watermark = watermarks.get(tp.partition());
      Long position = next.get(tp);
      if (position == null) {
        // the assignment callback was interrupted (a wakeup) before it got here
        position = consumer.position(tp);
        next.put(tp, position);
      }
      if (full || watermark == null || position >= watermark) {
        pause.add(tp);
      }
    }
    Set<TopicPartition> paused = consumer.paused();
    Set<TopicPartition> toPause = new HashSet<>(pause);
    toPause.removeAll(paused);
    Set<TopicPartition> toResume = new HashSet<>(paused);
    toResume.removeAll(pause);
    toResume.retainAll(assignment);
    if (!toPause.isEmpty()) {
      consumer.pause(toPause);
    }
    if (!toResume.isEmpty()) {
      consumer.resume(toResume);
    }
  }

  private void take(ConsumerRecords<byte[], byte[]> polled) {
    List<ConsumerRecord<byte[], byte[]>> list = new ArrayList<>(polled.count());
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition tp : polled.partitions()) {
      Long watermark = watermarks.get(tp.partition());
      for (ConsumerRecord<byte[], byte[]> record : polled.records(tp)) {
        if (watermark == null || record.offset() >= watermark) {
          // fetched before the pause took effect: read it again once the followed group has it
          consumer.seek(tp, record.offset());
          next.put(tp, record.offset());
          heldBack.increment();
          break;
        }
        list.add(record);
        next.put(tp, record.offset() + 1);
        offsets.put(tp, new OffsetAndMetadata(record.offset() + 1));
      }
    }
    if (list.isEmpty()) {
      return;
    }
    handedOn.increment(list.size());
    inFlight.incrementAndGet();
    InFlightBatch batch = new InFlightBatch(list, offsets);
    context.runOnContext(v -> dispatch(batch));
  }

  private void drain() {
    long deadline = System.currentTimeMillis() + 30_000;
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

  private void close() {
    try {
      consumer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      LOG.warn("consumer {}: close failed", name, e);
    }
    try {
      commitLog.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("consumer {}: commit log close failed", name, e);
    }
  }

  private void commitReleased(boolean sync) {
    Map<TopicPartition, OffsetAndMetadata> merged = new HashMap<>();
    Map<TopicPartition, OffsetAndMetadata> more;
    while ((more = toCommit.poll()) != null) {
      merged.putAll(more);
    }
    if (merged.isEmpty()) {
      return;
    }
    try {
      if (sync) {
        consumer.commitSync(merged);
      } else {
        consumer.commitAsync(merged, (offsets, err) -> {
          if (err != null) {
            LOG.warn("consumer {}: commit of {} failed: {}", name, offsets, err.toString());
          }
        });
      }
    } catch (WakeupException e) {
      // a wakeup meant for the poll: the offsets go with the next commit
      toCommit.add(merged);
    } catch (RuntimeException e) {
      LOG.warn("consumer {}: commit failed: {}", name, e.toString());
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

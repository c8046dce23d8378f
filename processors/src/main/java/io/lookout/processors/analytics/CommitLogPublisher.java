package io.lookout.processors.analytics;

import io.lookout.processors.kafka.BatchProducer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the analytics consumer's committed offsets to {@code snuba-commit-log} ({@link CommitLog}),
 * after Kafka confirmed the commit, so that the post-process forwarder only passes events that are in
 * ClickHouse. Holds at most one unpublished commit per partition (a later one replaces an earlier):
 * a failed publish is retried after a delay, and the next commit supersedes it anyway.
 *
 * <p>{@code orig_message_ts} is the Kafka timestamp of the last message below the committed offset,
 * remembered per poll by {@link #track}. Everything runs on the verticle's context.
 */
final class CommitLogPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(CommitLogPublisher.class);

  private final Vertx vertx;
  private final BatchProducer producer;
  private final String commitLogTopic;
  private final String group;
  private final long retryDelayMs;
  private final Counter published;
  private final Counter failed;

  /** Per partition: next offset after a poll's last record of it, to that record's timestamp (ms). */
  private final Map<TopicPartition, TreeMap<Long, Long>> timestamps = new HashMap<>();
  private final Map<TopicPartition, CommitLog.Commit> unpublished = new LinkedHashMap<>();
  private Future<Void> sending;
  private boolean retryScheduled;

  CommitLogPublisher(Vertx vertx, BatchProducer producer, String commitLogTopic, String group, long retryDelayMs,
      String topic, MeterRegistry registry) {
    this.vertx = vertx;
    this.producer = producer;
    this.commitLogTopic = commitLogTopic;
    this.group = group;
    this.retryDelayMs = retryDelayMs;
    Tags tags = Tags.of("topic", topic);
    this.published = Counter.builder(AnalyticsMetrics.COMMIT_LOG).tags(tags.and("result", "published"))
        .description("commits published to the commit log").register(registry);
    this.failed = Counter.builder(AnalyticsMetrics.COMMIT_LOG).tags(tags.and("result", "failed"))
        .description("commit-log publishes that failed (retried)").register(registry);
  }

  /** Remembers the timestamp of each partition's last record of a poll. */
  void track(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, ConsumerRecord<byte[], byte[]>> last = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      last.put(new TopicPartition(r.topic(), r.partition()), r);
    }
    for (Map.Entry<TopicPartition, ConsumerRecord<byte[], byte[]>> e : last.entrySet()) {
      timestamps.computeIfAbsent(e.getKey(), k -> new TreeMap<>())
          .put(e.getValue().offset() + 1, e.getValue().timestamp());
    }
  }

  /** Kafka confirmed these offsets: publish them. */
  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      TopicPartition tp = e.getKey();
      long offset = e.getValue().offset();
      TreeMap<Long, Long> known = timestamps.get(tp);
      Map.Entry<Long, Long> ts = known == null ? null : known.floorEntry(offset);
      if (known != null) {
        known.headMap(offset, true).clear();
        if (known.isEmpty()) {
          timestamps.remove(tp);
        }
      }
      double seconds = (ts == null ? System.currentTimeMillis() : ts.getValue()) / 1000.0;
      CommitLog.Commit previous = unpublished.get(tp);
      if (previous == null || previous.offset() <= offset) {
        unpublished.put(tp, new CommitLog.Commit(tp.topic(), tp.partition(), group, offset, seconds));
      }
    }
    send();
  }

  /** Completes when what is unpublished now has been sent once (successfully or not). */
  Future<Void> flush() {
    if (sending != null) {
      return sending.transform(ar -> unpublished.isEmpty() ? Future.succeededFuture() : send());
    }
    return unpublished.isEmpty() ? Future.succeededFuture() : send();
  }

  private Future<Void> send() {
    if (sending != null) {
      return sending;
    }
    if (unpublished.isEmpty()) {
      return Future.succeededFuture();
    }
    List<CommitLog.Commit> batch = new ArrayList<>(unpublished.values());
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(batch.size());
    for (CommitLog.Commit c : batch) {
      records.add(CommitLog.record(commitLogTopic, c));
    }
    Future<Void> sent = producer.send(records);
    sending = sent;
    return sent.andThen(ar -> {
      sending = null;
      if (ar.succeeded()) {
        published.increment(batch.size());
        for (CommitLog.Commit c : batch) {
          unpublished.remove(new TopicPartition(c.topic(), c.partition()), c);
        }
        send();
      } else {
        failed.increment(batch.size());
        LOG.warn("publishing {} commit(s) to {} failed, retrying in {} ms: {}", batch.size(), commitLogTopic,
            retryDelayMs, String.valueOf(ar.cause()));
        if (!retryScheduled) {
          retryScheduled = true;
          vertx.setTimer(retryDelayMs, t -> {
            retryScheduled = false;
            send();
          });
        }
      }
    });
  }
}

package io.lookout.gateway.produce;

import io.lookout.gateway.produce.impl.KafkaRecordSender;
import io.lookout.storage.kafka.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;
import java.util.List;

/**
 * Sends {@link ProducedRecord}s with one Kafka producer ({@code acks=all}). Safe to share
 * between verticles and threads: each future completes on the context of its caller.
 *
 * <p>Nothing here blocks the caller: the Kafka client's {@code send} (which may wait up to
 * {@code max_block_ms} for metadata or buffer space) runs on one sender thread of the producer's
 * own, one record after another in call order, so records sent by one call reach a partition in
 * that order.
 */
public interface RecordSender {

  /**
   * A sender for {@code kafka}'s brokers. The Kafka producer is built on a worker thread (it
   * resolves the bootstrap addresses).
   */
  static Future<RecordSender> create(Vertx vertx, KafkaConfig kafka, ProducerConfig config,
      MeterRegistry registry) {
    return KafkaRecordSender.create(vertx, kafka, config, registry);
  }

  /**
   * Hands {@code records} to Kafka in order, as one group: they reach the Kafka client one after
   * the other, after every group handed over before them. Never blocks; when the sender's queue
   * ({@code send_queue_size}) is full or the sender is closed, the delivery fails at once.
   */
  Delivery sendAll(List<ProducedRecord> records);

  /**
   * Sends {@code records}; completes when every one has been acknowledged, or fails, once all of
   * them have completed, with the first failure.
   */
  default Future<Void> send(List<ProducedRecord> records) {
    Delivery delivery = sendAll(records);
    return delivery.settled().transform(v -> delivery.acked());
  }

  /**
   * Fetches the partitions of {@code topics} so that the first sends do not wait for metadata.
   * Fails if a topic's metadata could not be had within {@code max_block_ms}.
   */
  Future<Void> warmUp(Collection<String> topics);

  /** Completes when every record sent before this call has completed. */
  Future<Void> flush();

  /** Flushes, then closes the producer (waiting at most {@code close_timeout_ms}). */
  Future<Void> close();
}

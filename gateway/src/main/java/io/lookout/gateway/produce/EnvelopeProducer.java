package io.lookout.gateway.produce;

import io.lookout.gateway.produce.impl.EnvelopeProducerImpl;
import io.lookout.storage.kafka.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * Sends the records of one envelope at a time and says when all of them are durable: the
 * gateway answers 200 only after {@link #send} has succeeded. At most
 * {@link ProducerConfig#envelopeBufferSize()} envelopes await their acks; beyond that
 * {@link #send} refuses at once, which bounds the memory held for a slow or absent Kafka.
 *
 * <p>One per gateway process, shared by every verticle instance (thread-safe); it registers its
 * meters ({@link ProduceMetrics}) once.
 */
public interface EnvelopeProducer {

  /** A producer with a {@link RecordSender} of its own, which {@link #close()} closes. */
  static Future<EnvelopeProducer> create(Vertx vertx, KafkaConfig kafka, ProducerConfig config,
      MeterRegistry registry) {
    return RecordSender.create(vertx, kafka, config, registry)
        .map(sender -> new EnvelopeProducerImpl(sender, config, registry, true));
  }

  /**
   * A producer on a shared {@code sender} (e.g. shared with the outcome emitter), which
   * {@link #close()} flushes but leaves open.
   */
  static EnvelopeProducer create(RecordSender sender, ProducerConfig config,
      MeterRegistry registry) {
    return new EnvelopeProducerImpl(sender, config, registry, false);
  }

  /**
   * Sends one envelope's records in order (chunks before their event).
   *
   * @return succeeds once Kafka acknowledged every record; fails with
   *     {@link BufferFullException} at once when the envelope buffer is full, with
   *     {@link ProduceFailedException} as soon as one record fails (its buffer slot is held until
   *     the envelope's other records have completed too), or with {@link IllegalStateException}
   *     after {@link #close()}. An empty list succeeds at once.
   */
  Future<Void> send(List<ProducedRecord> records);

  /** Envelopes sent and not yet completed. */
  int bufferedEnvelopes();

  /** The sender underneath, to share with the outcome emitter. */
  RecordSender sender();

  /**
   * Refuses new envelopes, waits for the ones in flight, flushes, and closes the sender if this
   * producer made it. Calling it again returns the same future.
   */
  Future<Void> close();
}

package io.lookout.gateway.outcome;

import io.lookout.gateway.outcome.impl.OutcomeEmitterImpl;
import io.lookout.gateway.produce.RecordSender;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.storage.kafka.message.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Collection;

/**
 * Batches outcomes to the {@code outcomes} topic (Relay's {@code TrackRawOutcome} JSON, keyed as
 * Relay keys them) through a {@link io.lookout.storage.batch.Batcher}.
 *
 * <p>Outcomes are bookkeeping, not the user's data: {@link #emit} never blocks, never throws and
 * never fails the request that caused it. When the batcher is full, while stopping, or when Kafka
 * does not take a batch, outcomes are dropped and counted ({@link OutcomeMetrics#DROPPED}).
 *
 * <p>Belongs to the context that created it (one per verticle instance); {@link #emit} from
 * another thread hops onto that context.
 */
public interface OutcomeEmitter {

  /**
   * An emitter on the current context (call it from the verticle that will use it).
   *
   * @param sender the Kafka sender, e.g. the envelope producer's
   *     ({@link io.lookout.gateway.produce.EnvelopeProducer#sender()}); stop the emitter before
   *     closing it
   * @param name names the batcher in metrics; unique per registry (add the verticle's index)
   */
  static OutcomeEmitter create(Vertx vertx, RecordSender sender, OutcomeConfig config,
      TopicNames topics, MeterRegistry registry, String name) {
    return new OutcomeEmitterImpl(vertx, sender, config, topics, registry, name);
  }

  /** Queues {@code outcome} for the next batch. */
  void emit(Outcome outcome);

  /** Queues each of {@code outcomes}. */
  default void emitAll(Collection<Outcome> outcomes) {
    for (Outcome outcome : outcomes) {
      emit(outcome);
    }
  }

  /** Completes once every outcome emitted before the call has been produced (or dropped). */
  Future<Void> flush();

  /** Takes no more outcomes and completes once the ones held have been produced or dropped. */
  Future<Void> stop();

  /** Outcomes held: waiting for a batch or being produced. */
  int pending();
}

package io.lookout.gateway.outcome.impl;

import io.lookout.gateway.outcome.OutcomeConfig;
import io.lookout.gateway.outcome.OutcomeEmitter;
import io.lookout.gateway.outcome.OutcomeMetrics;
import io.lookout.gateway.produce.ProducedRecord;
import io.lookout.gateway.produce.RecordSender;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.storage.batch.BatchFullException;
import io.lookout.storage.batch.Batcher;
import io.lookout.storage.batch.BatcherStoppedException;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link OutcomeEmitter} on a {@link Batcher} of encoded outcome records. */
public final class OutcomeEmitterImpl implements OutcomeEmitter {

  private static final Logger LOG = LoggerFactory.getLogger(OutcomeEmitterImpl.class);

  private final Context context;
  private final String topic;
  private final String source;
  private final Batcher<ProducedRecord> batcher;
  private final Counter produced;
  private final Counter droppedFull;
  private final Counter droppedStopped;
  private final Counter droppedFailed;

  public OutcomeEmitterImpl(Vertx vertx, RecordSender sender, OutcomeConfig config,
      TopicNames topics, MeterRegistry registry, String name) {
    this.context = vertx.getOrCreateContext();
    this.topic = topics.name(Topics.OUTCOMES);
    this.source = config.source();
    this.produced = Counter.builder(OutcomeMetrics.PRODUCED)
        .description("Outcomes produced to Kafka").register(registry);
    this.droppedFull = dropped(registry, "full");
    this.droppedStopped = dropped(registry, "stopped");
    this.droppedFailed = dropped(registry, "failed");
    this.batcher = Batcher.create(name, config.batch(), batch -> sender.send(batch)
        .onSuccess(v -> produced.increment(batch.size()))
        .onFailure(e -> {
          droppedFailed.increment(batch.size());
          // the batcher logs the failed flush itself
          LOG.debug("dropped {} outcomes: {}", batch.size(), e.toString());
        }), vertx, registry);
  }

  private static Counter dropped(MeterRegistry registry, String reason) {
    return Counter.builder(OutcomeMetrics.DROPPED)
        .description("Outcomes dropped instead of produced")
        .tag(OutcomeMetrics.TAG_REASON, reason)
        .register(registry);
  }

  @Override
  public void emit(Outcome outcome) {
    if (Vertx.currentContext() != context) {
      context.runOnContext(v -> emit(outcome));
      return;
    }
    Outcome o = source != null && outcome.source() == null ? outcome.withSource(source) : outcome;
    ProducedRecord record = new ProducedRecord(topic, OutcomeCodec.key(o), OutcomeCodec.encode(o));
    Future<Void> added = batcher.add(record, record.value().length);
    if (added.failed()) {
      countRefused(added.cause());
    }
  }

  private void countRefused(Throwable cause) {
    if (cause instanceof BatchFullException) {
      droppedFull.increment();
    } else if (cause instanceof BatcherStoppedException) {
      droppedStopped.increment();
    }
  }

  @Override
  public Future<Void> flush() {
    return onContext(batcher::flush).recover(e -> Future.succeededFuture());
  }

  @Override
  public Future<Void> stop() {
    return onContext(batcher::stop);
  }

  @Override
  public int pending() {
    return batcher.pendingItems();
  }

  private Future<Void> onContext(Supplier<Future<Void>> action) {
    if (Vertx.currentContext() == context) {
      return action.get();
    }
    Promise<Void> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }
}

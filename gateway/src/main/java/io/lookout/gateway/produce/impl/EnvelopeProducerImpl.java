package io.lookout.gateway.produce.impl;

import io.lookout.gateway.produce.BufferFullException;
import io.lookout.gateway.produce.Delivery;
import io.lookout.gateway.produce.EnvelopeProducer;
import io.lookout.gateway.produce.ProduceMetrics;
import io.lookout.gateway.produce.ProducedRecord;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.produce.RecordSender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link EnvelopeProducer} with a lock-free bound on envelopes in flight. */
public final class EnvelopeProducerImpl implements EnvelopeProducer {

  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeProducerImpl.class);

  private final RecordSender sender;
  private final int capacity;
  private final boolean ownsSender;
  private final AtomicInteger buffered = new AtomicInteger();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Promise<Void> drained = Promise.promise();
  private final Promise<Void> closed = Promise.promise();
  private final Counter rejected;
  private final Timer ok;
  private final Timer failed;

  public EnvelopeProducerImpl(RecordSender sender, ProducerConfig config, MeterRegistry registry,
      boolean ownsSender) {
    this.sender = sender;
    this.capacity = config.envelopeBufferSize();
    this.ownsSender = ownsSender;
    Gauge.builder(ProduceMetrics.BUFFERED_ENVELOPES, buffered, AtomicInteger::get)
        .description("Envelopes handed to Kafka and not yet acknowledged")
        .register(registry);
    this.rejected = Counter.builder(ProduceMetrics.REJECTED)
        .description("Envelopes refused because the envelope buffer was full")
        .register(registry);
    this.ok = latency(registry, "ok");
    this.failed = latency(registry, "failed");
  }

  private static Timer latency(MeterRegistry registry, String result) {
    return Timer.builder(ProduceMetrics.LATENCY)
        .description("From handing an envelope to Kafka until its last record completed")
        .tag(ProduceMetrics.TAG_RESULT, result)
        .register(registry);
  }

  @Override
  public Future<Void> send(List<ProducedRecord> records) {
    if (closing.get()) {
      return Future.failedFuture(new IllegalStateException("envelope producer is closed"));
    }
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    if (!acquire()) {
      rejected.increment();
      return Future.failedFuture(new BufferFullException(capacity));
    }
    if (closing.get()) {
      // close() began between the check above and taking the slot
      release();
      return Future.failedFuture(new IllegalStateException("envelope producer is closed"));
    }
    long start = System.nanoTime();
    Delivery delivery;
    try {
      delivery = sender.sendAll(records);
    } catch (RuntimeException e) {
      release();
      failed.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      return Future.failedFuture(e);
    }
    // the answer comes at the first failed record (the envelope is lost either way); the slot is
    // held until the Kafka client has let go of every record, and freed before a success answers
    Future<Void> acked = delivery.acked();
    Promise<Void> result = Promise.promise();
    acked.onFailure(result::tryFail);
    delivery.settled().onComplete(ar -> {
      release();
      (acked.succeeded() ? ok : failed).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (acked.succeeded()) {
        result.tryComplete();
      }
    });
    return result.future();
  }

  private boolean acquire() {
    while (true) {
      int n = buffered.get();
      if (n >= capacity) {
        return false;
      }
      if (buffered.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  private void release() {
    if (buffered.decrementAndGet() == 0 && closing.get()) {
      drained.tryComplete();
    }
  }

  @Override
  public int bufferedEnvelopes() {
    return buffered.get();
  }

  @Override
  public RecordSender sender() {
    return sender;
  }

  @Override
  public Future<Void> close() {
    if (closing.compareAndSet(false, true)) {
      if (buffered.get() == 0) {
        drained.tryComplete();
      }
      drained.future()
          .compose(v -> ownsSender ? sender.close() : sender.flush())
          .onComplete(ar -> {
            if (ar.failed()) {
              LOG.warn("closing the kafka producer failed", ar.cause());
            }
            closed.tryComplete();
          });
    }
    return closed.future();
  }
}

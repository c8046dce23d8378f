package io.lookout.storage.batch.impl;

import io.lookout.storage.batch.BatchClock;
import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.batch.BatchFullException;
import io.lookout.storage.batch.BatchMetrics;
import io.lookout.storage.batch.Batcher;
import io.lookout.storage.batch.BatcherStoppedException;
import io.lookout.storage.batch.Flusher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-context {@link Batcher}: all state is touched from one thread, so there are no locks.
 * The two counters read by the gauges are volatile only because a metrics scrape reads them from
 * another thread.
 */
public final class BatcherImpl<T> implements Batcher<T> {

  private static final Logger LOG = LoggerFactory.getLogger(BatcherImpl.class);

  private final String name;
  private final BatchConfig config;
  private final Flusher<T> flusher;
  private final BatchClock clock;
  private final MeterRegistry registry;

  private final DistributionSummary batchSize;
  private final DistributionSummary batchBytes;
  private final Timer flushTime;
  private final Counter flushFailed;
  private final Counter rejected;
  private final Gauge pendingGauge;
  private final Gauge inFlightGauge;

  /** Null when no item is waiting for a batch to close. */
  private Batch<T> open;
  private final ArrayDeque<Batch<T>> waiting = new ArrayDeque<>();
  private final List<Batch<T>> flushing = new ArrayList<>();
  private volatile int pendingItems;
  private volatile int inFlight;
  private boolean dispatching;
  /** Non-null once stop() was called. */
  private Promise<Void> stopped;

  public BatcherImpl(String name, BatchConfig config, Flusher<T> flusher, BatchClock clock,
      MeterRegistry registry) {
    this.name = Objects.requireNonNull(name, "name");
    this.config = Objects.requireNonNull(config, "config");
    this.flusher = Objects.requireNonNull(flusher, "flusher");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.registry = Objects.requireNonNull(registry, "registry");

    // Micrometer would hand back the existing gauge, bound to the other batcher, and this one's
    // backlog would be invisible: refuse instead.
    if (registry.find(BatchMetrics.PENDING).tag(BatchMetrics.TAG_BATCHER, name).gauge() != null) {
      throw new IllegalArgumentException("a live batcher named '" + name
          + "' already reports to this meter registry; batcher names must be unique");
    }
    this.batchSize = DistributionSummary.builder(BatchMetrics.SIZE)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("items per batch handed to the flusher")
        .baseUnit("items")
        .register(registry);
    this.batchBytes = DistributionSummary.builder(BatchMetrics.BYTES)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("bytes per batch handed to the flusher")
        .baseUnit(BaseUnits.BYTES)
        .register(registry);
    this.flushTime = Timer.builder(BatchMetrics.FLUSH_TIME)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("time from handing a batch to the flusher to its completion")
        .register(registry);
    this.flushFailed = Counter.builder(BatchMetrics.FLUSH_FAILED)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("batches whose flush failed")
        .register(registry);
    this.rejected = Counter.builder(BatchMetrics.REJECTED)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("items refused because max_pending_items was reached")
        .register(registry);
    this.pendingGauge = Gauge.builder(BatchMetrics.PENDING, this, b -> b.pendingItems)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("items accepted whose flush has not completed")
        .baseUnit("items")
        .register(registry);
    this.inFlightGauge = Gauge.builder(BatchMetrics.IN_FLIGHT, this, b -> b.inFlight)
        .tag(BatchMetrics.TAG_BATCHER, name)
        .description("flushes running")
        .register(registry);
  }

  @Override
  public Future<Void> add(T item, int sizeBytes) {
    Objects.requireNonNull(item, "item");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must be >= 0, got " + sizeBytes);
    }
    if (open != null && open.bytes + sizeBytes > config.maxBytes()) {
      // Before the checks below: a flush that completes synchronously runs item callbacks
      // right here, and they may add items or call stop(), which the checks must see.
      closeOpenBatch();
    }
    if (stopped != null) {
      return Future.failedFuture(new BatcherStoppedException(name));
    }
    if (pendingItems >= config.maxPendingItems()) {
      rejected.increment();
      return Future.failedFuture(new BatchFullException(name, config.maxPendingItems()));
    }
    if (open == null) {
      openBatch();
    }
    Batch<T> batch = open;
    batch.items.add(item);
    batch.bytes += sizeBytes;
    pendingItems++;
    // taken before closing: closing may flush synchronously and complete the promise
    Future<Void> result = batch.promise.future();
    // >= on bytes: an oversized item is the only one in its batch and goes out at once
    if (batch.items.size() >= config.maxItems() || batch.bytes >= config.maxBytes()) {
      closeOpenBatch();
    }
    return result;
  }

  @Override
  public Future<Void> flush() {
    closeOpenBatch();
    return allHeldFlushed();
  }

  @Override
  public Future<Void> stop() {
    if (stopped != null) {
      return stopped.future();
    }
    // set first: closing may complete item futures whose callbacks call add() or stop() again
    stopped = Promise.promise();
    Promise<Void> done = stopped;
    closeOpenBatch();
    LOG.debug("batcher {}: stopping with {} items pending, {} flushes in flight",
        name, pendingItems, inFlight);
    allHeldFlushed().onComplete(ar -> {
      registry.remove(pendingGauge);
      registry.remove(inFlightGauge);
      LOG.debug("batcher {}: stopped", name);
      done.complete();
    });
    return done.future();
  }

  @Override
  public int pendingItems() {
    return pendingItems;
  }

  @Override
  public int inFlightFlushes() {
    return inFlight;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public BatchConfig config() {
    return config;
  }

  private void openBatch() {
    Batch<T> batch = new Batch<>();
    // the age counts from the first item, so a trickle cannot keep a batch open forever
    batch.timerId = clock.schedule(config.maxAgeMs(), () -> onAgeElapsed(batch));
    batch.timerArmed = true;
    open = batch;
  }

  private void onAgeElapsed(Batch<T> batch) {
    batch.timerArmed = false;
    // a clock may still run a timer cancelled at the last moment: only close the batch it was for
    if (open == batch) {
      closeOpenBatch();
    }
  }

  private void closeOpenBatch() {
    Batch<T> batch = open;
    if (batch == null) {
      return;
    }
    open = null;
    if (batch.timerArmed) {
      batch.timerArmed = false;
      clock.cancel(batch.timerId);
    }
    waiting.addLast(batch);
    dispatch();
  }

  /**
   * Starts waiting batches while there are free slots. A flusher may complete synchronously, and
   * an item callback may add items that close batches, both of which call back in here: the flag
   * turns that recursion into another turn of this loop, keeping the stack flat and the start
   * order FIFO.
   */
  private void dispatch() {
    if (dispatching) {
      return;
    }
    dispatching = true;
    try {
      while (inFlight < config.maxFlushesInFlight() && !waiting.isEmpty()) {
        startFlush(waiting.pollFirst());
      }
    } finally {
      dispatching = false;
    }
  }

  private void startFlush(Batch<T> batch) {
    flushing.add(batch);
    inFlight = flushing.size();
    batchSize.record(batch.items.size());
    batchBytes.record(batch.bytes);
    long startedAt = clock.nowMillis();
    Future<Void> result;
    try {
      result = flusher.flush(Collections.unmodifiableList(batch.items));
      if (result == null) {
        result = Future.failedFuture(
            new NullPointerException("flusher of batcher " + name + " returned null"));
      }
    } catch (Exception e) {
      // a throwing flusher must fail its batch, not the add() that happened to close it, and
      // must give its slot back
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> onFlushed(batch, startedAt, ar));
  }

  private void onFlushed(Batch<T> batch, long startedAt, AsyncResult<Void> ar) {
    flushing.remove(batch);
    inFlight = flushing.size();
    pendingItems -= batch.items.size();
    flushTime.record(Math.max(0, clock.nowMillis() - startedAt), TimeUnit.MILLISECONDS);
    if (ar.failed()) {
      flushFailed.increment();
      LOG.warn("batcher {}: flush of {} items ({} bytes) failed", name, batch.items.size(),
          batch.bytes, ar.cause());
    }
    // start the next batch before running item callbacks, so the slot is not idle meanwhile and
    // callbacks see the batcher in its new state
    dispatch();
    batch.promise.handle(ar);
  }

  private Future<Void> allHeldFlushed() {
    List<Future<Void>> held = new ArrayList<>(waiting.size() + flushing.size());
    for (Batch<T> b : flushing) {
      held.add(b.promise.future());
    }
    for (Batch<T> b : waiting) {
      held.add(b.promise.future());
    }
    if (held.isEmpty()) {
      return Future.succeededFuture();
    }
    return Future.join(held).mapEmpty();
  }

  private static final class Batch<T> {
    final ArrayList<T> items = new ArrayList<>();
    final Promise<Void> promise = Promise.promise();
    long bytes;
    long timerId;
    boolean timerArmed;
  }
}

package io.lookout.storage.batch;

import io.lookout.storage.batch.impl.BatcherImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Collects items into batches and hands each closed batch to a {@link Flusher}, with a bounded
 * number of flushes running and a bounded number of items held.
 *
 * <p>A batch closes when it holds {@link BatchConfig#maxItems()} items, before an item that would
 * take it past {@link BatchConfig#maxBytes()} (an item larger than that goes out alone), or
 * {@link BatchConfig#maxAgeMs()} after its first item was added. Closed batches start flushing in
 * the order they closed, at most {@link BatchConfig#maxFlushesInFlight()} at a time.
 *
 * <p>Not thread-safe by design: create it on, and call it from, one Vert.x context; see the
 * package documentation.
 *
 * @param <T> the item type
 */
public interface Batcher<T> {

  /**
   * A batcher driven by {@code clock}.
   *
   * @param name names the batcher in metrics (tag {@value BatchMetrics#TAG_BATCHER}) and logs;
   *     must be unique among the live batchers reporting to {@code registry} (several verticle
   *     instances add their index), else their gauges would shadow each other. It can be reused
   *     once the previous batcher's {@link #stop()} has completed.
   * @throws IllegalArgumentException if a live batcher of that name reports to {@code registry}
   */
  static <T> Batcher<T> create(String name, BatchConfig config, Flusher<T> flusher,
      BatchClock clock, MeterRegistry registry) {
    return new BatcherImpl<>(name, config, flusher, clock, registry);
  }

  /**
   * A batcher on Vert.x timers; call it on the context it is meant to live on, since its age
   * timers run on the context that adds the first item of a batch.
   */
  static <T> Batcher<T> create(String name, BatchConfig config, Flusher<T> flusher, Vertx vertx,
      MeterRegistry registry) {
    return create(name, config, flusher, BatchClock.create(vertx), registry);
  }

  /**
   * Adds {@code item} to the open batch.
   *
   * <p>The future completes with the result of the flush of the batch that holds the item, so
   * the caller acks or commits the item's source only once it has succeeded. Items of one batch
   * share one future.
   *
   * <p>Fails at once, without holding the item, with {@link BatchFullException} if
   * {@link #pendingItems()} is already {@link BatchConfig#maxPendingItems()}, and with
   * {@link BatcherStoppedException} once {@link #stop()} has been called.
   *
   * @param sizeBytes what the item adds to a batch's byte count (e.g. its serialized length)
   * @throws NullPointerException if {@code item} is null
   * @throws IllegalArgumentException if {@code sizeBytes} is negative
   */
  Future<Void> add(T item, int sizeBytes);

  /**
   * Closes the open batch now and completes once every item added before this call has been
   * flushed. Fails with the cause of the first failed flush among those batches, after all of
   * them have completed; items added after the call are not waited for.
   */
  Future<Void> flush();

  /**
   * Takes no more items, closes the open batch, and completes once every batch held has been
   * flushed and no flush is running. It always succeeds: a failed flush has already failed its
   * items' futures, and has been logged and counted. Calling it again returns the same future.
   */
  Future<Void> stop();

  /**
   * Items accepted whose flush has not completed: the open batch, closed batches waiting for a
   * flush slot, and batches being flushed. This is what {@link BatchConfig#maxPendingItems()}
   * bounds.
   */
  int pendingItems();

  /** Flushes running now, at most {@link BatchConfig#maxFlushesInFlight()}. */
  int inFlightFlushes();

  /** The name given to {@link #create}. */
  String name();

  /** The bounds given to {@link #create}. */
  BatchConfig config();
}

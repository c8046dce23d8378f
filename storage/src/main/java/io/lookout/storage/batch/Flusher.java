package io.lookout.storage.batch;

import io.vertx.core.Future;
import java.util.List;

/**
 * Writes one closed batch, e.g. as one multi-row statement.
 *
 * <p>The batcher does not retry: only the writer knows which of its errors are transient, and a
 * retry policy that fits nodestore does not fit Kafka. Nor does it time a flush out: the flusher
 * puts a timeout on its own external call, because a flush that never completes holds one of the
 * {@link BatchConfig#maxFlushesInFlight()} slots for good (visible in
 * {@link BatchMetrics#IN_FLIGHT}).
 *
 * @param <T> the item type
 */
@FunctionalInterface
public interface Flusher<T> {

  /**
   * Writes {@code batch}. The returned future completes the futures of every item in the batch
   * with its result, so it must succeed only once the write is durable. Throwing, or returning a
   * failed future, fails those items and nothing else.
   *
   * @param batch the items in the order they were added; never empty, unmodifiable, and not
   *     reused by the batcher, so the flusher may keep it until its future completes
   */
  Future<Void> flush(List<T> batch);
}

package io.lookout.storage.batch;

/**
 * Names of the meters every {@link Batcher} registers. Every meter has one tag,
 * {@value #TAG_BATCHER}, whose value is the batcher's name (e.g. {@code nodestore},
 * {@code clickhouse.errors}).
 */
public final class BatchMetrics {

  /** Tag on every batch meter: the name given to {@link Batcher#create}. */
  public static final String TAG_BATCHER = "batcher";

  /** DistributionSummary, items per batch handed to the flusher. Tags: {@value #TAG_BATCHER}. */
  public static final String SIZE = "lookout.batch.size";

  /**
   * DistributionSummary, bytes per batch handed to the flusher (the sum of the sizes given to
   * {@link Batcher#add}). Tags: {@value #TAG_BATCHER}.
   */
  public static final String BYTES = "lookout.batch.bytes";

  /**
   * Timer, from handing a batch to the flusher to its future completing, failed flushes included
   * (a flush that fails by timing out is the slowest one there is). Tags: {@value #TAG_BATCHER}.
   */
  public static final String FLUSH_TIME = "lookout.batch.flush.time";

  /** Counter, batches whose flush failed or threw. Tags: {@value #TAG_BATCHER}. */
  public static final String FLUSH_FAILED = "lookout.batch.flush.failed";

  /** Counter, items refused with {@link BatchFullException}. Tags: {@value #TAG_BATCHER}. */
  public static final String REJECTED = "lookout.batch.rejected";

  /**
   * Gauge, items accepted whose flush has not completed yet: open batch, closed batches waiting
   * for a flush slot and batches being flushed; bounded by {@link BatchConfig#maxPendingItems()}.
   * Tags: {@value #TAG_BATCHER}.
   */
  public static final String PENDING = "lookout.batch.pending";

  /**
   * Gauge, flushes running now; bounded by {@link BatchConfig#maxFlushesInFlight()}. Tags:
   * {@value #TAG_BATCHER}.
   */
  public static final String IN_FLIGHT = "lookout.batch.in_flight";

  private BatchMetrics() {
  }
}

package io.lookout.storage.batch;

/**
 * The batcher already holds {@link BatchConfig#maxPendingItems()} items; the item was not taken.
 * This is backpressure, not an error: the caller pauses its source (consumer partitions) or
 * answers 503, and tries again once earlier flushes complete.
 *
 * <p>Stackless: under sustained backpressure it is thrown for every offered item, and the stack
 * would only ever show the caller's own {@code add} call.
 */
public final class BatchFullException extends RuntimeException {

  private final String batcher;
  private final int maxPendingItems;

  public BatchFullException(String batcher, int maxPendingItems) {
    super("batcher " + batcher + " is full: " + maxPendingItems
        + " items are pending (max_pending_items); retry after earlier batches are flushed",
        null, false, false);
    this.batcher = batcher;
    this.maxPendingItems = maxPendingItems;
  }

  /** Name of the batcher that refused the item. */
  public String batcher() {
    return batcher;
  }

  /** The bound that was reached. */
  public int maxPendingItems() {
    return maxPendingItems;
  }
}

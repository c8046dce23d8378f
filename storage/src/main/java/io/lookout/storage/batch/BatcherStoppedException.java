package io.lookout.storage.batch;

/**
 * {@link Batcher#stop()} has been called, so the batcher takes no more items. An
 * {@link IllegalStateException} because adding during shutdown is a bug in the caller's stop
 * order (stop the source first, then the batcher), not a condition to retry.
 */
public final class BatcherStoppedException extends IllegalStateException {

  private final String batcher;

  public BatcherStoppedException(String batcher) {
    super("batcher " + batcher + " is stopped and takes no more items");
    this.batcher = batcher;
  }

  /** Name of the batcher that refused the item. */
  public String batcher() {
    return batcher;
  }
}

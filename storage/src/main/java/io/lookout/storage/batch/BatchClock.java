package io.lookout.storage.batch;

import io.lookout.storage.batch.impl.VertxBatchClock;
import io.vertx.core.Vertx;

/**
 * Time as the batcher sees it: a millisecond clock and one-shot timers. An interface so that
 * tests drive batch ages by hand instead of sleeping.
 */
public interface BatchClock {

  /**
   * A clock on Vert.x timers. Its timers run on the context that scheduled them, which for a
   * batcher is the context it is used from.
   */
  static BatchClock create(Vertx vertx) {
    return new VertxBatchClock(vertx);
  }

  /** Milliseconds from an arbitrary origin; only differences mean anything. Never goes back. */
  long nowMillis();

  /**
   * Runs {@code task} once, {@code delayMs} from now, on the caller's context.
   *
   * @return an id for {@link #cancel(long)}
   */
  long schedule(long delayMs, Runnable task);

  /** Cancels a timer that has not run yet; no-op if it ran or was cancelled already. */
  void cancel(long id);
}

package io.lookout.storage.batch.impl;

import io.lookout.storage.batch.BatchClock;
import io.vertx.core.Vertx;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * {@link BatchClock} on Vert.x timers. {@code vertx.setTimer} runs the callback on the context
 * of the caller, so a batcher used from one context gets its age timers there too.
 */
public final class VertxBatchClock implements BatchClock {

  private final Vertx vertx;

  public VertxBatchClock(Vertx vertx) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
  }

  @Override
  public long nowMillis() {
    // nanoTime, not currentTimeMillis: a wall clock step would distort flush times
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
  }

  @Override
  public long schedule(long delayMs, Runnable task) {
    Objects.requireNonNull(task, "task");
    // Vert.x refuses delays below 1 ms
    return vertx.setTimer(Math.max(1, delayMs), id -> task.run());
  }

  @Override
  public void cancel(long id) {
    vertx.cancelTimer(id);
  }
}

package io.lookout.storage.batch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link BatchClock} that only moves when a test calls {@link #advance(long)}, running the
 * timers that fall due on the calling thread, in due-time order (then scheduling order).
 */
final class ManualBatchClock implements BatchClock {

  private record Scheduled(long id, long dueAt, Runnable task) {
  }

  private final List<Scheduled> timers = new ArrayList<>();
  private long now;
  private long nextId = 1;

  @Override
  public long nowMillis() {
    return now;
  }

  @Override
  public long schedule(long delayMs, Runnable task) {
    long id = nextId++;
    timers.add(new Scheduled(id, now + delayMs, task));
    return id;
  }

  @Override
  public void cancel(long id) {
    timers.removeIf(t -> t.id() == id);
  }

  /**
   * Moves time forward by {@code ms}, stopping at each due timer to run it; timers scheduled by
   * those tasks run too if they fall within the window.
   */
  void advance(long ms) {
    long target = now + ms;
    while (true) {
      Scheduled next = timers.stream()
          .filter(t -> t.dueAt() <= target)
          .min(Comparator.comparingLong(Scheduled::dueAt).thenComparingLong(Scheduled::id))
          .orElse(null);
      if (next == null) {
        break;
      }
      timers.remove(next);
      now = next.dueAt();
      next.task().run();
    }
    now = target;
  }

  /** Timers scheduled and neither run nor cancelled. */
  int scheduledTimers() {
    return timers.size();
  }
}

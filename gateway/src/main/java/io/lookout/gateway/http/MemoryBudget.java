package io.lookout.gateway.http;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of request bodies held by all requests in flight, shared by every event loop of the
 * process. A request reserves what it buffers and releases it when it ends; a reservation that
 * would exceed the budget fails, and the request gets a 503 instead of the heap filling up.
 */
public final class MemoryBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  public MemoryBudget(long capacity) {
    this.capacity = capacity;
  }

  public boolean tryReserve(long bytes) {
    while (true) {
      long current = used.get();
      long next = current + bytes;
      if (next > capacity) {
        return false;
      }
      if (used.compareAndSet(current, next)) {
        return true;
      }
    }
  }

  public void release(long bytes) {
    used.addAndGet(-bytes);
  }

  public long used() {
    return used.get();
  }

  public long capacity() {
    return capacity;
  }
}

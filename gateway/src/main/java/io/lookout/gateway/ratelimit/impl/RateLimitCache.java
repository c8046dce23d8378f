package io.lookout.gateway.ratelimit.impl;

import io.lookout.gateway.ratelimit.RateLimit;
import java.time.InstantSource;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quotas this process saw rejecting, until their window ends: later checks that need one are
 * answered from here without Redis, so a flood against an exhausted quota costs nothing. Relay
 * keeps the same kind of cache per project ({@code CachedRateLimits}).
 *
 * <p>Bounded: when full, an insert first drops the expired entries, then the one that ends
 * soonest. Thread-safe; reads are lock-free.
 */
public final class RateLimitCache {

  private record Entry(RateLimit limit, long untilMillis) {
  }

  private final int maxEntries;
  private final InstantSource clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  public RateLimitCache(int maxEntries, InstantSource clock) {
    if (maxEntries <= 0) {
      throw new IllegalArgumentException("maxEntries must be greater than 0: " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /**
   * The limit remembered for this quota key, its retry-after counted from now (rounded up to whole
   * seconds, as Relay's {@code RetryAfter::remaining_seconds}); null if none or expired.
   */
  public RateLimit get(String key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return null;
    }
    long remainingMillis = entry.untilMillis - clock.millis();
    if (remainingMillis <= 0) {
      entries.remove(key, entry);
      return null;
    }
    return entry.limit.withRetryAfter((remainingMillis + 999) / 1000);
  }

  /** Remembers that the quota behind {@code key} rejects until {@code untilMillis} (epoch ms). */
  public void put(String key, RateLimit limit, long untilMillis) {
    if (untilMillis <= clock.millis()) {
      return;
    }
    if (entries.size() >= maxEntries && !entries.containsKey(key)) {
      makeRoom();
    }
    entries.merge(key, new Entry(limit, untilMillis),
        (old, fresh) -> fresh.untilMillis > old.untilMillis ? fresh : old);
  }

  private synchronized void makeRoom() {
    long now = clock.millis();
    entries.values().removeIf(e -> e.untilMillis <= now);
    while (entries.size() >= maxEntries) {
      String soonest = null;
      long soonestUntil = Long.MAX_VALUE;
      for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Entry> e = it.next();
        if (e.getValue().untilMillis < soonestUntil) {
          soonest = e.getKey();
          soonestUntil = e.getValue().untilMillis;
        }
      }
      if (soonest == null) {
        return;
      }
      entries.remove(soonest);
    }
  }

  /** Entries held, expired or not. */
  public int size() {
    return entries.size();
  }
}

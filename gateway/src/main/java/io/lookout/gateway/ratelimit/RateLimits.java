package io.lookout.gateway.ratelimit;

import io.lookout.storage.kafka.message.DataCategory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The active rate limits of one check: Relay's {@code RateLimits}
 * ({@code relay-quotas/src/rate_limit.rs}). Immutable. Two limits with the same categories and
 * scope are one limit with the longer retry-after, as in Relay's {@code RateLimits::add}.
 */
public final class RateLimits implements Iterable<RateLimit> {

  /** The name of the response header that lists the limits. */
  public static final String HEADER = "X-Sentry-Rate-Limits";

  private static final RateLimits NONE = new RateLimits(List.of());

  private final List<RateLimit> limits;

  private RateLimits(List<RateLimit> limits) {
    this.limits = limits;
  }

  public static RateLimits none() {
    return NONE;
  }

  /** The limits, merged as {@link #merge} does. */
  public static RateLimits of(RateLimit... limits) {
    return of(List.of(limits));
  }

  public static RateLimits of(List<RateLimit> limits) {
    if (limits.isEmpty()) {
      return NONE;
    }
    List<RateLimit> merged = new ArrayList<>(limits.size());
    for (RateLimit limit : limits) {
      add(merged, limit);
    }
    return new RateLimits(Collections.unmodifiableList(merged));
  }

  /**
   * These limits and {@code other}'s: a limit of both (same categories and scope) keeps the longer
   * retry-after.
   */
  public RateLimits merge(RateLimits other) {
    if (other.limits.isEmpty()) {
      return this;
    }
    if (limits.isEmpty()) {
      return other;
    }
    List<RateLimit> merged = new ArrayList<>(limits);
    for (RateLimit limit : other.limits) {
      add(merged, limit);
    }
    return new RateLimits(Collections.unmodifiableList(merged));
  }

  private static void add(List<RateLimit> into, RateLimit limit) {
    for (int i = 0; i < into.size(); i++) {
      RateLimit existing = into.get(i);
      if (existing.sameLimitAs(limit)) {
        if (existing.retryAfterSeconds() < limit.retryAfterSeconds()) {
          into.set(i, limit);
        }
        return;
      }
    }
    into.add(limit);
  }

  /** Whether any limit is active. */
  public boolean isLimited() {
    return !limits.isEmpty();
  }

  /** Whether some limit applies to this category. */
  public boolean isLimited(DataCategory category) {
    for (RateLimit limit : limits) {
      if (limit.appliesTo(category)) {
        return true;
      }
    }
    return false;
  }

  /** The limits that apply to this category. */
  public RateLimits forCategory(DataCategory category) {
    List<RateLimit> matching = new ArrayList<>();
    for (RateLimit limit : limits) {
      if (limit.appliesTo(category)) {
        matching.add(limit);
      }
    }
    return matching.size() == limits.size() ? this : new RateLimits(List.copyOf(matching));
  }

  /** The limit with the longest retry-after (the first of equals). */
  public Optional<RateLimit> longest() {
    return limits.stream().max(Comparator.comparingLong(RateLimit::retryAfterSeconds));
  }

  /** The longest retry-after in seconds; 0 when nothing is limited. */
  public long longestRetryAfter() {
    return longest().map(RateLimit::retryAfterSeconds).orElse(0L);
  }

  /**
   * The {@code Retry-After} value Relay sends with a 429: the longest retry-after in seconds, or
   * the empty string when nothing is limited.
   */
  public String retryAfterHeader() {
    return limits.isEmpty() ? "" : Long.toString(longestRetryAfter());
  }

  /**
   * The {@code X-Sentry-Rate-Limits} value, in Relay's format ({@code format_rate_limits} in
   * {@code relay-server/src/utils/rate_limits.rs}): per limit
   * {@code retry_after:category;category:scope[:reason_code]} (no categories = all), limits joined
   * by {@code ", "}; the empty string when nothing is limited.
   */
  public String toHeader() {
    StringBuilder header = new StringBuilder();
    for (RateLimit limit : limits) {
      if (header.length() > 0) {
        header.append(", ");
      }
      header.append(limit.retryAfterSeconds()).append(':');
      boolean first = true;
      for (DataCategory category : limit.categories()) {
        if (!first) {
          header.append(';');
        }
        header.append(category.apiName());
        first = false;
      }
      header.append(':').append(limit.scope().apiName());
      if (limit.reasonCode() != null) {
        header.append(':').append(limit.reasonCode());
      }
    }
    return header.toString();
  }

  public List<RateLimit> asList() {
    return limits;
  }

  public int size() {
    return limits.size();
  }

  @Override
  public Iterator<RateLimit> iterator() {
    return limits.iterator();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RateLimits other && limits.equals(other.limits);
  }

  @Override
  public int hashCode() {
    return limits.hashCode();
  }

  @Override
  public String toString() {
    return "RateLimits[" + toHeader() + "]";
  }
}

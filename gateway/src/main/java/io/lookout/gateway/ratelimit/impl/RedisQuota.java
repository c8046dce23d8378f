package io.lookout.gateway.ratelimit.impl;

import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.QuotaScope;
import io.lookout.gateway.project.Scoping;

/**
 * Where and until when a countable quota is counted for one sender at one time: Relay's
 * {@code RedisQuota} ({@code relay-quotas/src/redis.rs}).
 *
 * <p>Windows are fixed slots of {@code window} seconds, shifted per organization by
 * {@code organization_id % window} so that organizations do not all roll over at once (global
 * quotas are not shifted). The counter lives until the end of its slot plus a grace period that
 * absorbs clock skew between the gateway and Redis.
 */
final class RedisQuota {

  /** Seconds a counter outlives its window (Relay's and Sentry's {@code GRACE}). */
  static final long GRACE_SECONDS = 60;

  private final Quota quota;
  private final Scoping scoping;
  private final long shift;
  private final long slot;
  /** {@link #unslottedKey()} and {@link #counterKey()}, made on first use (each check needs both). */
  private String unslotted;
  private String counter;

  /**
   * @param nowSeconds unix seconds of the check
   * @throws IllegalArgumentException if the quota cannot be counted (no id or window)
   */
  RedisQuota(Quota quota, Scoping scoping, long nowSeconds) {
    if (!quota.isCountable()) {
      throw new IllegalArgumentException("quota cannot be counted: " + quota);
    }
    this.quota = quota;
    this.scoping = scoping;
    long window = quota.window();
    this.shift = quota.scope() == QuotaScope.GLOBAL ? 0 : scoping.organizationId() % window;
    this.slot = (nowSeconds - shift) / window;
  }

  Quota quota() {
    return quota;
  }

  long slot() {
    return slot;
  }

  /** Unix seconds at which the current slot ends. */
  long slotEnd() {
    return (slot + 1) * quota.window() + shift;
  }

  /** Unix seconds at which the counter key expires. */
  long keyExpiry() {
    return slotEnd() + GRACE_SECONDS;
  }

  /** The limit as the script takes it: -1 for unlimited. */
  long scriptLimit() {
    return quota.limit() == null ? -1 : quota.limit();
  }

  /**
   * The counter key without the key prefix: {@code quota:{id}{{org}}{subscope}:{slot}} (the
   * organization in braces is the Redis Cluster hash tag, so all counters of an organization live
   * on one node; the sub-scope is the project or key id for those scopes). Global quotas are
   * counted across organizations under {@code global_quota:{id}{window}:{slot}}, Relay's name for
   * them.
   */
  String counterKey() {
    if (counter == null) {
      counter = unslottedKey() + ':' + slot;
    }
    return counter;
  }

  /** The refund key of {@link #counterKey()}: {@code r:} before it, as Relay and Sentry name it. */
  String refundKey() {
    return "r:" + counterKey();
  }

  /**
   * Identifies the quota for this sender across windows (and its limit, so that a raised limit is
   * asked again): the key of the verdict cache.
   */
  String cacheKey() {
    return unslottedKey() + '/' + quota.window() + '/' + scriptLimit();
  }

  private String unslottedKey() {
    if (unslotted == null) {
      unslotted = makeUnslottedKey();
    }
    return unslotted;
  }

  private String makeUnslottedKey() {
    if (quota.scope() == QuotaScope.GLOBAL) {
      return "global_quota:" + quota.id() + quota.window();
    }
    Long subscope = switch (quota.scope()) {
      case PROJECT, KEY -> quota.scope().idOf(scoping);
      default -> null;
    };
    return "quota:" + quota.id() + '{' + scoping.organizationId() + '}'
        + (subscope == null ? "" : subscope.toString());
  }
}

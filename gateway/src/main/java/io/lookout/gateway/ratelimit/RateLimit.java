package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import io.lookout.storage.kafka.message.DataCategory;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One active rate limit: what is limited, for whom, why, and for how long. Relay's
 * {@code RateLimit} ({@code relay-quotas/src/rate_limit.rs}).
 *
 * @param categories the limited categories, ordered by code; empty means all
 * @param scope the scope the limit applies to (never {@link QuotaScope#UNKNOWN}: Relay reports an
 *     unknown quota scope as the most specific one, {@link QuotaScope#KEY})
 * @param scopeId the instance of {@code scope} (organization, project or key id); null for global
 *     or when the key id is not known
 * @param reasonCode the quota's reason code, or null
 * @param retryAfterSeconds seconds from when the limit was computed until it ends; at least 1
 */
public record RateLimit(
    Set<DataCategory> categories,
    QuotaScope scope,
    Long scopeId,
    String reasonCode,
    long retryAfterSeconds) {

  public RateLimit {
    categories = categories == null || categories.isEmpty()
        ? Set.of()
        : Collections.unmodifiableSet(EnumSet.copyOf(categories));
    Objects.requireNonNull(scope, "scope");
    if (scope == QuotaScope.UNKNOWN) {
      scope = QuotaScope.KEY;
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retry after must not be negative: " + retryAfterSeconds);
    }
  }

  /** The limit a rejecting quota causes for this sender (Relay's {@code RateLimit::from_quota}). */
  public static RateLimit fromQuota(Quota quota, Scoping scoping, long retryAfterSeconds) {
    QuotaScope scope = quota.scope() == QuotaScope.UNKNOWN ? QuotaScope.KEY : quota.scope();
    return new RateLimit(quota.categories(), scope, scope.idOf(scoping), quota.reasonCode(),
        retryAfterSeconds);
  }

  /** Whether it limits data of this category (no categories = all). */
  public boolean appliesTo(DataCategory category) {
    return categories.isEmpty() || categories.contains(category);
  }

  /** The same limit with another retry-after. */
  public RateLimit withRetryAfter(long seconds) {
    return new RateLimit(categories, scope, scopeId, reasonCode, seconds);
  }

  /** Whether two limits are the same limit (Relay merges such limits, keeping the longer one). */
  boolean sameLimitAs(RateLimit other) {
    return categories.equals(other.categories) && scope == other.scope
        && Objects.equals(scopeId, other.scopeId);
  }
}

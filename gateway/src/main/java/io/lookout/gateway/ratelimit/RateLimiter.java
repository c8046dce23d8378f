package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.ratelimit.impl.RedisRateLimiter;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

/**
 * Checks quantities against quotas and counts them, with Relay's semantics
 * ({@code relay-quotas}): fixed windows per quota, a counter and a refund counter per window,
 * consumption = counter - refund, a check rejects when consumption + quantity would exceed the
 * limit (quantity 0: when consumption has reached it), and a rejected check counts nothing.
 *
 * <p>All quotas of one call are checked in one Redis round trip (one script call, which the
 * Redis limiter shares between the requests of one event loop turn); quotas with a
 * limit of 0 and quotas this process already saw rejecting in the current window are answered
 * without Redis. Safe to share between event loops.
 */
public interface RateLimiter {

  /** A limiter on {@code redis} with the wall clock; the caller keeps owning the connector. */
  static RateLimiter create(RedisConnector redis, RateLimitConfig config) {
    return new RedisRateLimiter(redis, config, InstantSource.system());
  }

  /**
   * As {@link #create(RedisConnector, RateLimitConfig)}, recording how many requests each script
   * call carries in {@code gateway.redis.quota_requests_per_call}.
   */
  static RateLimiter create(RedisConnector redis, RateLimitConfig config, MeterRegistry registry) {
    DistributionSummary perCall = DistributionSummary.builder("gateway.redis.quota_requests_per_call")
        .description("requests whose quota checks share one Redis script call")
        .register(registry);
    return new RedisRateLimiter(redis, config, InstantSource.system(), perCall::record);
  }

  /**
   * Checks each category's quantity independently (each as Relay checks one item category), in
   * one round trip, and answers every limit that rejected one.
   *
   * @param quotas every quota of the sender (project config, key quota, system quota); the ones
   *     that do not apply to a category or to this scoping are ignored
   */
  default Future<RateLimits> check(Scoping scoping, List<Quota> quotas,
      Map<DataCategory, Long> quantities) {
    return check(scoping, quotas, QuotaRequest.of(quantities)).map(QuotaResult::limits);
  }

  /**
   * Gets ready for the first check (the Redis limiter loads its script). Optional: without it the
   * first check does the same work.
   */
  default Future<Void> prepare() {
    return Future.succeededFuture();
  }

  /** Makes the checks of {@code request} in one round trip and answers each one's verdict. */
  Future<QuotaResult> check(Scoping scoping, List<Quota> quotas, QuotaRequest request);
}

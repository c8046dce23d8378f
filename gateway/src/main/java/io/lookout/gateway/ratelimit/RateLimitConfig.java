package io.lookout.gateway.ratelimit;

import io.lookout.storage.config.Conf;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * Rate limit settings ({@code gateway.json: rate_limits}).
 *
 * @param systemRateLimit events per minute the whole installation admits (Sentry's
 *     {@code system.rate-limit} option); 0 turns the system limit off
 * @param verdictCacheMaxEntries how many "limited" verdicts each process remembers, so that a
 *     flood against an exhausted quota costs no Redis call
 * @param scriptTimeoutMs the quota check (one Redis script call, and the script reload after a
 *     Redis restart) fails after this long
 * @param maxRequestsPerCall how many requests' checks at most share one script call: the checks
 *     that one event loop makes in the same turn go to Redis together; 1 sends one call per
 *     request, as Relay does
 */
public record RateLimitConfig(
    long systemRateLimit,
    int verdictCacheMaxEntries,
    int scriptTimeoutMs,
    int maxRequestsPerCall) {

  /** The default of {@code rate_limits.max_requests_per_call}. */
  public static final int DEFAULT_MAX_REQUESTS_PER_CALL = 64;

  /** The window of the system limit: Sentry counts {@code system.rate-limit} per minute. */
  public static final long SYSTEM_WINDOW_SECONDS = 60;

  public RateLimitConfig {
    if (systemRateLimit < 0) {
      throw new ConfigException("'rate_limits.system_rate_limit' must be >= 0 (0 = off), got "
          + systemRateLimit);
    }
    Conf.positive("rate_limits.verdict_cache_max_entries", verdictCacheMaxEntries);
    Conf.positive("rate_limits.script_timeout_ms", scriptTimeoutMs);
    Conf.positive("rate_limits.max_requests_per_call", maxRequestsPerCall);
  }

  /** The first three settings with the default batching. */
  public RateLimitConfig(long systemRateLimit, int verdictCacheMaxEntries, int scriptTimeoutMs) {
    this(systemRateLimit, verdictCacheMaxEntries, scriptTimeoutMs, DEFAULT_MAX_REQUESTS_PER_CALL);
  }

  /**
   * The defaults: no system limit, 10,000 cached verdicts, 1,000 ms per check, up to
   * {@value #DEFAULT_MAX_REQUESTS_PER_CALL} requests per script call.
   */
  public static RateLimitConfig defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the {@code rate_limits} section; absent keys take the defaults. */
  public static RateLimitConfig fromJson(JsonObject json) {
    JsonObject section = json == null ? new JsonObject() : json;
    return new RateLimitConfig(
        Conf.longValue(section, "system_rate_limit", 0),
        Conf.integer(section, "verdict_cache_max_entries", 10_000),
        Conf.integer(section, "script_timeout_ms", 1_000),
        Conf.integer(section, "max_requests_per_call", DEFAULT_MAX_REQUESTS_PER_CALL));
  }

  /**
   * The system limit as a quota: global scope, counted per minute, applying to the categories
   * Sentry applies it to (its error categories: default, error, security), with Sentry's reason
   * code for it ({@code org_quota}: in Sentry the option becomes the organization quota of
   * {@code get_organization_quota}, which on a single-organization install is the same thing).
   * Empty when off.
   */
  public Optional<Quota> systemQuota() {
    if (systemRateLimit == 0) {
      return Optional.empty();
    }
    return Optional.of(new Quota("s", Quota.ERROR_CATEGORIES, QuotaScope.GLOBAL, null,
        systemRateLimit, SYSTEM_WINDOW_SECONDS, "org_quota"));
  }
}

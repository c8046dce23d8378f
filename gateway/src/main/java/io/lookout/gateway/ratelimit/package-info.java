/**
 * Rate limits, as Relay enforces them ({@code relay-quotas}, and {@code EnvelopeLimiter} in
 * relay-server): {@link io.lookout.gateway.ratelimit.Quota}s from the project state, the key's rate
 * limit and the system limit are checked by a {@link io.lookout.gateway.ratelimit.RateLimiter} in
 * one Redis round trip per request; {@link io.lookout.gateway.ratelimit.EnvelopeRateLimiter}
 * applies the verdicts to an envelope; {@link io.lookout.gateway.ratelimit.RateLimits} formats
 * {@code X-Sentry-Rate-Limits} and {@code Retry-After}. No HTTP here: the endpoint maps
 * {@link io.lookout.gateway.ratelimit.EnvelopeLimits} to a status and headers.
 *
 * <p>Redis keys (all behind the connector's key prefix): {@code quota:{id}{{org}}{subscope}:{slot}}
 * counters and their {@code r:}-prefixed refund counters, {@code global_quota:{id}{window}:{slot}}
 * for global quotas; each counter expires 60 s after its window.
 */
package io.lookout.gateway.ratelimit;

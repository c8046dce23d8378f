package io.lookout.gateway.ingest;

import io.lookout.gateway.ratelimit.RateLimits;

/**
 * What the SDK is told after its envelope went through: the event id (null when there was no
 * event) and the rate limits that dropped part of it (empty when none), which go into
 * {@code X-Sentry-Rate-Limits} on the 200.
 */
public record IngestResult(String eventId, RateLimits limits) {
}

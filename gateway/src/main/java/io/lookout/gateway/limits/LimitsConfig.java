package io.lookout.gateway.limits;

import static io.lookout.storage.config.Conf.bytes;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.positive;

import io.vertx.core.json.JsonObject;

/**
 * Size and concurrency limits ({@code gateway.json: limits}), with Relay's names and defaults
 * (relay-config {@code Limits}). Sizes accept bytes or Relay's strings ({@code "1MiB"}).
 *
 * @param maxConcurrentRequests requests in flight per process; beyond it 503 at once, never queued
 * @param maxPendingBodyBytes bytes of request bodies held in memory by all requests in flight
 *     together (compressed and decompressed); beyond it 503, so a burst of large uploads cannot
 *     exhaust the heap
 */
public record LimitsConfig(
    int maxConcurrentRequests,
    long maxPendingBodyBytes,
    long maxEnvelopeSize,
    long maxEventSize,
    long maxAttachmentSize,
    long maxAttachmentsSize,
    int maxAttachmentCount,
    int maxSessionCount,
    long maxSessionsSize,
    long maxClientReportsSize,
    long maxCheckInSize,
    long maxSpanSize,
    long maxLogSize,
    long maxTraceMetricSize,
    long maxProfileSize,
    long maxReplayCompressedSize,
    long maxStatsdSize) {

  private static final long MIB = 1L << 20;
  private static final long KIB = 1L << 10;

  public LimitsConfig {
    positive("limits.max_concurrent_requests", maxConcurrentRequests);
    positive("limits.max_pending_body_bytes", maxPendingBodyBytes);
    positive("limits.max_envelope_size", maxEnvelopeSize);
    positive("limits.max_event_size", maxEventSize);
    positive("limits.max_attachment_size", maxAttachmentSize);
    positive("limits.max_attachments_size", maxAttachmentsSize);
    positive("limits.max_attachment_count", maxAttachmentCount);
    positive("limits.max_session_count", maxSessionCount);
    positive("limits.max_sessions_size", maxSessionsSize);
    positive("limits.max_client_reports_size", maxClientReportsSize);
    positive("limits.max_check_in_size", maxCheckInSize);
    positive("limits.max_span_size", maxSpanSize);
    positive("limits.max_log_size", maxLogSize);
    positive("limits.max_trace_metric_size", maxTraceMetricSize);
    positive("limits.max_profile_size", maxProfileSize);
    positive("limits.max_replay_compressed_size", maxReplayCompressedSize);
    positive("limits.max_statsd_size", maxStatsdSize);
    if (maxEnvelopeSize > Integer.MAX_VALUE - 8) {
      throw new io.lookout.storage.config.ConfigException("'limits.max_envelope_size' must be below 2 GiB");
    }
  }

  public static LimitsConfig fromJson(JsonObject json) {
    return new LimitsConfig(
        integer(json, "max_concurrent_requests", 1000),
        bytes(json, "max_pending_body_bytes", 512 * MIB),
        bytes(json, "max_envelope_size", 200 * MIB),
        bytes(json, "max_event_size", MIB),
        bytes(json, "max_attachment_size", 200 * MIB),
        bytes(json, "max_attachments_size", 200 * MIB),
        integer(json, "max_attachment_count", 100),
        integer(json, "max_session_count", 100),
        bytes(json, "max_sessions_size", 10 * MIB),
        bytes(json, "max_client_reports_size", 100 * KIB),
        bytes(json, "max_check_in_size", 100 * KIB),
        bytes(json, "max_span_size", 10 * MIB),
        bytes(json, "max_log_size", 2 * MIB),
        bytes(json, "max_trace_metric_size", 2 * MIB),
        bytes(json, "max_profile_size", 50 * MIB),
        bytes(json, "max_replay_compressed_size", 10 * MIB),
        bytes(json, "max_statsd_size", MIB));
  }
}

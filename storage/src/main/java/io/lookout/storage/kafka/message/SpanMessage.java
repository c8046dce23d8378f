package io.lookout.storage.kafka.message;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Objects;

/**
 * A span on {@code ingest-spans}: one flat JSON object, Relay's {@code SpanMeta} fields followed
 * by the span's own (V2) fields ({@code SpanKafkaMessage} / {@code SpanKafkaMessageRaw} with
 * {@code #[serde(flatten)]}), with the Kafka header {@code project_id}.
 *
 * @param keyId the DSN key's id, or null
 * @param eventId the transaction the span came in with, or null for a standalone span
 * @param received when Relay received it, unix seconds with a fraction
 * @param downsampledRetentionDays retention of the downsampled copy
 * @param span every other field, as the SDK's span after normalization ({@code trace_id},
 *     {@code span_id}, {@code start_timestamp}, {@code end_timestamp}, {@code attributes}, ...)
 */
public record SpanMessage(
    long organizationId,
    long projectId,
    Long keyId,
    String eventId,
    double received,
    int retentionDays,
    int downsampledRetentionDays,
    JsonObject span) {

  public SpanMessage {
    EventMessage.requireNonNegative("organization_id", organizationId);
    EventMessage.requireNonNegative("project_id", projectId);
    eventId = eventId == null ? null : EventIds.normalize(eventId);
    CheckInMessage.requireRetention(retentionDays);
    CheckInMessage.requireRetention(downsampledRetentionDays);
    Objects.requireNonNull(span, "span");
  }

  public Map<String, String> kafkaHeaders() {
    return Map.of("project_id", Long.toString(projectId));
  }
}

package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An event (error, security report, transaction or user feedback) with the attachments that
 * matter to its processing: {@code type: "event"} ({@code EventKafkaMessage} in Relay's store
 * service). On {@code ingest-events}, {@code ingest-transactions}, {@code ingest-feedback-events},
 * and {@code ingest-attachments} when the envelope also had attachments or user reports.
 *
 * <p>Wire keys: {@code payload} (the event JSON, msgpack bin), {@code start_time} (unix seconds
 * when Relay received it), {@code event_id} (32 hex digits), {@code project_id},
 * {@code remote_addr} (nil when unknown), {@code attachments} (a list, empty for most events).
 * Relay sends no organization or key id here: Sentry looks the project up.
 */
public record EventMessage(
    byte[] payload,
    long startTime,
    String eventId,
    long projectId,
    String remoteAddr,
    List<AttachmentDescriptor> attachments) implements IngestMessage {

  public static final String TYPE = "event";

  public EventMessage {
    Objects.requireNonNull(payload, "payload");
    eventId = EventIds.normalize(eventId);
    requireNonNegative("start_time", startTime);
    requireNonNegative("project_id", projectId);
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public byte[] kafkaKey() {
    return EventIds.toBytes(eventId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventMessage m
        && startTime == m.startTime
        && projectId == m.projectId
        && eventId.equals(m.eventId)
        && Objects.equals(remoteAddr, m.remoteAddr)
        && attachments.equals(m.attachments)
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(payload), startTime, eventId, projectId, remoteAddr,
        attachments);
  }

  @Override
  public String toString() {
    return "EventMessage[eventId=" + eventId + ", projectId=" + projectId + ", startTime="
        + startTime + ", remoteAddr=" + remoteAddr + ", payload=bytes[" + payload.length
        + "], attachments=" + attachments + "]";
  }

  static void requireNonNegative(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be >= 0, got " + value);
    }
  }
}

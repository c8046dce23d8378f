package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * A legacy user report (the {@code user_report} envelope item): {@code type: "user_report"}
 * ({@code UserReportKafkaMessage}), on {@code ingest-attachments}.
 *
 * <p>Wire keys: {@code project_id}, {@code start_time}, {@code payload} (the report JSON, which
 * itself holds the {@code event_id}). Relay keeps the envelope's event id out of the body (it only
 * keys the Kafka record with it); Lookout also writes it as {@code event_id} when known, which
 * Sentry ignores and which matches the {@code ingest-attachments} schema in
 * {@code sentry-kafka-schemas}. Decoding treats it as optional.
 *
 * @param eventId the event the report is about, or null when decoded from Relay
 */
public record UserReportMessage(long projectId, long startTime, byte[] payload, String eventId)
    implements IngestMessage {

  public static final String TYPE = "user_report";

  public UserReportMessage {
    EventMessage.requireNonNegative("project_id", projectId);
    EventMessage.requireNonNegative("start_time", startTime);
    Objects.requireNonNull(payload, "payload");
    eventId = eventId == null ? null : EventIds.normalize(eventId);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public byte[] kafkaKey() {
    return eventId == null ? null : EventIds.toBytes(eventId);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UserReportMessage m
        && projectId == m.projectId
        && startTime == m.startTime
        && Objects.equals(eventId, m.eventId)
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(projectId, startTime, Arrays.hashCode(payload), eventId);
  }

  @Override
  public String toString() {
    return "UserReportMessage[projectId=" + projectId + ", startTime=" + startTime + ", eventId="
        + eventId + ", payload=bytes[" + payload.length + "]]";
  }
}

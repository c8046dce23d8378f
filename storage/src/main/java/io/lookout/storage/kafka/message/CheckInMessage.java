package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * A cron monitor check-in: {@code message_type: "check_in"} ({@code CheckInKafkaMessage}), on
 * {@code ingest-monitors}. Being a variant of Relay's tagged {@code KafkaMessage} enum, it also
 * carries {@code type: "check_in"}; Sentry's monitors consumer reads {@code message_type}.
 *
 * <p>Wire keys: {@code type}, {@code message_type}, {@code payload} (the check-in JSON, bin),
 * {@code start_time} (unix seconds), {@code sdk} (the client string, nil when unknown),
 * {@code project_id}, {@code retention_days}. Relay keys the record with the envelope item's
 * routing hint, which is not part of the body: the producer passes it separately.
 */
public record CheckInMessage(
    byte[] payload, long startTime, String sdk, long projectId, int retentionDays)
    implements IngestMessage {

  public static final String TYPE = "check_in";

  public CheckInMessage {
    Objects.requireNonNull(payload, "payload");
    EventMessage.requireNonNegative("start_time", startTime);
    EventMessage.requireNonNegative("project_id", projectId);
    requireRetention(retentionDays);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckInMessage m
        && startTime == m.startTime
        && projectId == m.projectId
        && retentionDays == m.retentionDays
        && Objects.equals(sdk, m.sdk)
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(payload), startTime, sdk, projectId, retentionDays);
  }

  @Override
  public String toString() {
    return "CheckInMessage[projectId=" + projectId + ", startTime=" + startTime + ", sdk=" + sdk
        + ", retentionDays=" + retentionDays + ", payload=bytes[" + payload.length + "]]";
  }

  /** Relay's retention is a {@code u16}. */
  static void requireRetention(int retentionDays) {
    if (retentionDays < 0 || retentionDays > 0xFFFF) {
      throw new IllegalArgumentException(
          "retention_days must be within 0..65535, got " + retentionDays);
    }
  }
}

package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A continuous-profiling chunk: {@code type: "profile_chunk"} ({@code ProfileChunkKafkaMessage}),
 * on {@code profiles}, with the Kafka header {@code project_id}.
 *
 * <p>Wire keys: {@code organization_id}, {@code project_id}, {@code received} (unix seconds),
 * {@code retention_days}, {@code payload} (bin).
 */
public record ProfileChunkMessage(
    long organizationId, long projectId, long received, int retentionDays, byte[] payload)
    implements IngestMessage {

  public static final String TYPE = "profile_chunk";

  public ProfileChunkMessage {
    EventMessage.requireNonNegative("organization_id", organizationId);
    EventMessage.requireNonNegative("project_id", projectId);
    EventMessage.requireNonNegative("received", received);
    CheckInMessage.requireRetention(retentionDays);
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Map<String, String> kafkaHeaders() {
    return Map.of("project_id", Long.toString(projectId));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileChunkMessage m
        && organizationId == m.organizationId
        && projectId == m.projectId
        && received == m.received
        && retentionDays == m.retentionDays
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(organizationId, projectId, received, retentionDays,
        Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "ProfileChunkMessage[organizationId=" + organizationId + ", projectId=" + projectId
        + ", received=" + received + ", retentionDays=" + retentionDays + ", payload=bytes["
        + payload.length + "]]";
  }
}

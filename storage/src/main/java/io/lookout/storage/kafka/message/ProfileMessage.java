package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A transaction profile: {@code type: "profile"} ({@code ProfileKafkaMessage}), on
 * {@code profiles}.
 *
 * <p>Wire keys: {@code organization_id}, {@code project_id}, {@code key_id} (nil when unknown),
 * {@code received} (unix seconds), {@code retention_days}, {@code payload} (the profile JSON,
 * bin). Relay also sets the Kafka headers {@code sampled} ({@code "true"}/{@code "false"}) and
 * {@code project_id}; {@code sampled} is not part of the body: {@link #kafkaHeaders()} writes it
 * and {@link IngestCodec#decode(byte[], Map)} reads it back.
 */
public record ProfileMessage(
    long organizationId,
    long projectId,
    Long keyId,
    long received,
    int retentionDays,
    byte[] payload,
    boolean sampled) implements IngestMessage {

  public static final String TYPE = "profile";

  public ProfileMessage {
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
    return Map.of("sampled", Boolean.toString(sampled), "project_id", Long.toString(projectId));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProfileMessage m
        && organizationId == m.organizationId
        && projectId == m.projectId
        && Objects.equals(keyId, m.keyId)
        && received == m.received
        && retentionDays == m.retentionDays
        && sampled == m.sampled
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(organizationId, projectId, keyId, received, retentionDays,
        Arrays.hashCode(payload), sampled);
  }

  @Override
  public String toString() {
    return "ProfileMessage[organizationId=" + organizationId + ", projectId=" + projectId
        + ", keyId=" + keyId + ", received=" + received + ", retentionDays=" + retentionDays
        + ", sampled=" + sampled + ", payload=bytes[" + payload.length + "]]";
  }
}

package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * A session replay recording, with its replay event when the envelope had one:
 * {@code type: "replay_recording_not_chunked"} ({@code ReplayRecordingNotChunkedKafkaMessage}),
 * on {@code ingest-replay-recordings}. Relay lets the producer pick the partition.
 *
 * <p>Wire keys: {@code replay_id} (32 hex digits), {@code key_id} (nil when unknown),
 * {@code org_id}, {@code project_id}, {@code received} (unix seconds), {@code retention_days},
 * {@code payload} (the rrweb recording, bin), {@code replay_event} (the replay event JSON, bin or
 * nil), {@code replay_video} (bin or nil), {@code relay_snuba_publish_disabled} (Relay now always
 * sends {@code true}: the consumer, not Relay, publishes the replay event).
 */
public record ReplayRecordingMessage(
    String replayId,
    Long keyId,
    long orgId,
    long projectId,
    long received,
    int retentionDays,
    byte[] payload,
    byte[] replayEvent,
    byte[] replayVideo,
    boolean relaySnubaPublishDisabled) implements IngestMessage {

  public static final String TYPE = "replay_recording_not_chunked";

  public ReplayRecordingMessage {
    replayId = EventIds.normalize(replayId);
    EventMessage.requireNonNegative("org_id", orgId);
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
  public boolean equals(Object o) {
    return o instanceof ReplayRecordingMessage m
        && replayId.equals(m.replayId)
        && Objects.equals(keyId, m.keyId)
        && orgId == m.orgId
        && projectId == m.projectId
        && received == m.received
        && retentionDays == m.retentionDays
        && relaySnubaPublishDisabled == m.relaySnubaPublishDisabled
        && Arrays.equals(payload, m.payload)
        && Arrays.equals(replayEvent, m.replayEvent)
        && Arrays.equals(replayVideo, m.replayVideo);
  }

  @Override
  public int hashCode() {
    return Objects.hash(replayId, keyId, orgId, projectId, received, retentionDays,
        Arrays.hashCode(payload), Arrays.hashCode(replayEvent), Arrays.hashCode(replayVideo),
        relaySnubaPublishDisabled);
  }

  @Override
  public String toString() {
    return "ReplayRecordingMessage[replayId=" + replayId + ", keyId=" + keyId + ", orgId=" + orgId
        + ", projectId=" + projectId + ", received=" + received + ", retentionDays="
        + retentionDays + ", payload=bytes[" + payload.length + "], replayEvent="
        + (replayEvent == null ? "null" : "bytes[" + replayEvent.length + "]") + ", replayVideo="
        + (replayVideo == null ? "null" : "bytes[" + replayVideo.length + "]")
        + ", relaySnubaPublishDisabled=" + relaySnubaPublishDisabled + "]";
  }
}

package io.lookout.storage.kafka.message;

import java.util.Arrays;
import java.util.Objects;

/**
 * One chunk of an attachment's content: {@code type: "attachment_chunk"}
 * ({@code AttachmentChunkKafkaMessage}), on {@code ingest-attachments}, produced before the
 * {@link EventMessage} or {@link AttachmentMessage} that describes the attachment. Relay's chunk
 * size is {@code attachment_chunk_size}, 1 MiB by default.
 *
 * <p>Wire keys: {@code payload} (bin), {@code event_id}, {@code project_id}, {@code id} (the
 * attachment's id; {@code (project_id, event_id, id)} identifies it), {@code chunk_index} (from 0).
 */
public record AttachmentChunkMessage(
    byte[] payload, String eventId, long projectId, String id, int chunkIndex)
    implements IngestMessage {

  public static final String TYPE = "attachment_chunk";

  public AttachmentChunkMessage {
    Objects.requireNonNull(payload, "payload");
    eventId = EventIds.normalize(eventId);
    Objects.requireNonNull(id, "attachment id");
    EventMessage.requireNonNegative("project_id", projectId);
    EventMessage.requireNonNegative("chunk_index", chunkIndex);
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
    return o instanceof AttachmentChunkMessage m
        && projectId == m.projectId
        && chunkIndex == m.chunkIndex
        && eventId.equals(m.eventId)
        && id.equals(m.id)
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(payload), eventId, projectId, id, chunkIndex);
  }

  @Override
  public String toString() {
    return "AttachmentChunkMessage[eventId=" + eventId + ", projectId=" + projectId + ", id=" + id
        + ", chunkIndex=" + chunkIndex + ", payload=bytes[" + payload.length + "]]";
  }
}

package io.lookout.storage.kafka.message;

import java.util.Objects;

/**
 * A standalone attachment: {@code type: "attachment"} ({@code AttachmentKafkaMessage}), on
 * {@code ingest-attachments}. Relay sends attachments this way when there is no error event to
 * carry them (an envelope of attachments only, or attachments of a transaction); Sentry stores
 * them without processing.
 *
 * <p>Wire keys: {@code event_id}, {@code project_id}, {@code attachment} (an
 * {@link AttachmentDescriptor} map; small content comes inline as {@code data}).
 */
public record AttachmentMessage(String eventId, long projectId, AttachmentDescriptor attachment)
    implements IngestMessage {

  public static final String TYPE = "attachment";

  public AttachmentMessage {
    eventId = EventIds.normalize(eventId);
    EventMessage.requireNonNegative("project_id", projectId);
    Objects.requireNonNull(attachment, "attachment");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public byte[] kafkaKey() {
    return EventIds.toBytes(eventId);
  }
}

package io.lookout.storage.kafka.message;

import java.util.Map;

/**
 * One message on an {@code ingest-*} topic, as Relay's store service writes it: a msgpack map
 * whose {@code type} field (or {@code message_type} on {@code ingest-monitors}) says which record
 * it is. {@link IngestCodec} turns these into bytes and back.
 *
 * <p>Which topic carries which type ({@link io.lookout.storage.kafka.Topics}):
 * <ul>
 *   <li>{@code ingest-events}: {@link EventMessage} (errors, security reports);
 *   <li>{@code ingest-transactions}: {@link EventMessage} (transactions);
 *   <li>{@code ingest-feedback-events}: {@link EventMessage} (user feedback, type {@code feedback});
 *   <li>{@code ingest-attachments}: {@link AttachmentChunkMessage}s, then the
 *       {@link EventMessage} they belong to (an error with attachments or user reports goes here,
 *       not to {@code ingest-events}, so its chunks are consumed first), {@link AttachmentMessage}
 *       and {@link UserReportMessage};
 *   <li>{@code ingest-monitors}: {@link CheckInMessage}, {@link ClockPulseMessage};
 *   <li>{@code profiles}: {@link ProfileMessage}, {@link ProfileChunkMessage};
 *   <li>{@code ingest-replay-recordings}: {@link ReplayRecordingMessage}.
 * </ul>
 */
public sealed interface IngestMessage
    permits EventMessage, AttachmentChunkMessage, AttachmentMessage, UserReportMessage,
    CheckInMessage, ClockPulseMessage, ProfileMessage, ProfileChunkMessage,
    ReplayRecordingMessage {

  /** The wire tag: the {@code type} field (for monitors, {@code message_type}). */
  String type();

  /**
   * The Kafka record key Relay uses: the 16 bytes of the event id for everything that belongs to
   * an event (so chunks, attachments and their event share a partition), null where Relay lets
   * the producer pick a partition.
   */
  default byte[] kafkaKey() {
    return null;
  }

  /** The Kafka record headers Relay sets for this message (most set none). */
  default Map<String, String> kafkaHeaders() {
    return Map.of();
  }
}

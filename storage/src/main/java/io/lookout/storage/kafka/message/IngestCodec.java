package io.lookout.storage.kafka.message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * The msgpack wire form of {@link IngestMessage}s, byte for byte what Relay's
 * {@code rmp_serde::to_vec_named} writes: a map with string keys, the {@code type} tag first and
 * the fields in Relay's declaration order, bytes as msgpack bin (so Sentry's
 * {@code msgpack.unpackb} hands them to {@code orjson.loads} as {@code bytes}), {@code None} as
 * nil, integers in their smallest encoding.
 *
 * <p>Encoding writes straight to a {@link MessagePacker} (no reflection, no intermediate tree;
 * payloads past 8 KiB are referenced rather than copied until the final array). Decoding reads the
 * map, ignores unknown keys and dispatches on {@code type}, falling back to {@code message_type}
 * (which is all a clock pulse on {@code ingest-monitors} has). Both are stateless and thread-safe.
 */
public final class IngestCodec {

  private static final byte[] K_TYPE = key("type");
  private static final byte[] K_MESSAGE_TYPE = key("message_type");
  private static final byte[] K_PAYLOAD = key("payload");
  private static final byte[] K_START_TIME = key("start_time");
  private static final byte[] K_EVENT_ID = key("event_id");
  private static final byte[] K_PROJECT_ID = key("project_id");
  private static final byte[] K_REMOTE_ADDR = key("remote_addr");
  private static final byte[] K_ATTACHMENTS = key("attachments");
  private static final byte[] K_ATTACHMENT = key("attachment");
  private static final byte[] K_ID = key("id");
  private static final byte[] K_NAME = key("name");
  private static final byte[] K_RATE_LIMITED = key("rate_limited");
  private static final byte[] K_CONTENT_TYPE = key("content_type");
  private static final byte[] K_ATTACHMENT_TYPE = key("attachment_type");
  private static final byte[] K_SIZE = key("size");
  private static final byte[] K_CHUNKS = key("chunks");
  private static final byte[] K_DATA = key("data");
  private static final byte[] K_STORED_ID = key("stored_id");
  private static final byte[] K_CHUNK_INDEX = key("chunk_index");
  private static final byte[] K_SDK = key("sdk");
  private static final byte[] K_RETENTION_DAYS = key("retention_days");
  private static final byte[] K_ORGANIZATION_ID = key("organization_id");
  private static final byte[] K_ORG_ID = key("org_id");
  private static final byte[] K_KEY_ID = key("key_id");
  private static final byte[] K_RECEIVED = key("received");
  private static final byte[] K_REPLAY_ID = key("replay_id");
  private static final byte[] K_REPLAY_EVENT = key("replay_event");
  private static final byte[] K_REPLAY_VIDEO = key("replay_video");
  private static final byte[] K_RELAY_SNUBA_PUBLISH_DISABLED = key("relay_snuba_publish_disabled");

  private static final String WHAT = "ingest message";

  private IngestCodec() {
  }

  /** The msgpack bytes of {@code message}. */
  public static byte[] encode(IngestMessage message) {
    Objects.requireNonNull(message, "message");
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    try {
      if (message instanceof EventMessage m) {
        writeEvent(p, m);
      } else if (message instanceof AttachmentChunkMessage m) {
        writeAttachmentChunk(p, m);
      } else if (message instanceof AttachmentMessage m) {
        writeAttachmentMessage(p, m);
      } else if (message instanceof UserReportMessage m) {
        writeUserReport(p, m);
      } else if (message instanceof CheckInMessage m) {
        writeCheckIn(p, m);
      } else if (message instanceof ClockPulseMessage) {
        p.packMapHeader(1);
        p.writePayload(K_MESSAGE_TYPE);
        p.packString(ClockPulseMessage.TYPE);
      } else if (message instanceof ProfileMessage m) {
        writeProfile(p, m);
      } else if (message instanceof ProfileChunkMessage m) {
        writeProfileChunk(p, m);
      } else if (message instanceof ReplayRecordingMessage m) {
        writeReplayRecording(p, m);
      } else {
        throw new IllegalArgumentException("unknown ingest message " + message.getClass());
      }
      return p.toByteArray();
    } catch (IOException e) {
      // only an in-memory buffer is written to
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The message in {@code bytes}, for a record without headers (a profile then counts as sampled).
   *
   * @throws InvalidMessageException if the bytes are not a msgpack map, name no known
   *     {@code type}, lack a required field or hold a field of the wrong type
   */
  public static IngestMessage decode(byte[] bytes) {
    return decode(bytes, Map.of());
  }

  /**
   * The message in a Kafka record's value and headers. Only {@link ProfileMessage} reads a header
   * ({@code sampled}: anything but {@code "false"} counts as sampled, as Sentry treats a missing
   * header); {@link IngestMessage#kafkaHeaders()} gives what to send alongside the value.
   *
   * @throws InvalidMessageException if the bytes are not a msgpack map, name no known
   *     {@code type}, lack a required field or hold a field of the wrong type
   */
  public static IngestMessage decode(byte[] bytes, Map<String, String> headers) {
    Map<String, Object> map = MsgpackReader.readMap(bytes, WHAT);
    Fields top = new Fields(map, WHAT);
    String type = top.optionalString("type");
    if (type == null) {
      type = top.optionalString("message_type");
    }
    if (type == null) {
      throw new InvalidMessageException(WHAT + ": no 'type' or 'message_type' field");
    }
    Fields f = new Fields(map, WHAT + " '" + type + "'");
    try {
      switch (type) {
        case EventMessage.TYPE:
          return readEvent(f);
        case AttachmentChunkMessage.TYPE:
          return new AttachmentChunkMessage(f.requiredBytes("payload"),
              f.requiredEventId("event_id"), f.requiredLong("project_id"), f.requiredString("id"),
              f.requiredInt("chunk_index"));
        case AttachmentMessage.TYPE:
          return new AttachmentMessage(f.requiredEventId("event_id"), f.requiredLong("project_id"),
              readAttachment(f.requiredMap("attachment", f.what() + " attachment")));
        case UserReportMessage.TYPE:
          return new UserReportMessage(f.requiredLong("project_id"),
              f.requiredSeconds("start_time"), f.requiredBytes("payload"),
              f.optionalEventId("event_id"));
        case CheckInMessage.TYPE:
          return new CheckInMessage(f.requiredBytes("payload"), f.requiredSeconds("start_time"),
              f.optionalString("sdk"), f.requiredLong("project_id"),
              f.requiredInt("retention_days"));
        case ClockPulseMessage.TYPE:
          return new ClockPulseMessage();
        case ProfileMessage.TYPE:
          return new ProfileMessage(f.requiredLong("organization_id"),
              f.requiredLong("project_id"), f.optionalLong("key_id"),
              f.requiredSeconds("received"), f.requiredInt("retention_days"),
              f.requiredBytes("payload"), !"false".equals(headers.get("sampled")));
        case ProfileChunkMessage.TYPE:
          return new ProfileChunkMessage(f.requiredLong("organization_id"),
              f.requiredLong("project_id"), f.requiredSeconds("received"),
              f.requiredInt("retention_days"), f.requiredBytes("payload"));
        case ReplayRecordingMessage.TYPE:
          return new ReplayRecordingMessage(f.requiredEventId("replay_id"),
              f.optionalLong("key_id"), f.requiredLong("org_id"), f.requiredLong("project_id"),
              f.requiredSeconds("received"), f.requiredInt("retention_days"),
              f.requiredBytes("payload"), f.optionalBytes("replay_event"),
              f.optionalBytes("replay_video"), f.bool("relay_snuba_publish_disabled", false));
        default:
          throw new InvalidMessageException(WHAT + ": unknown type '" + type + "'");
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // a value of the right type that the record refuses, e.g. a negative id
      throw new InvalidMessageException(f.what() + ": " + e.getMessage(), e);
    }
  }

  private static EventMessage readEvent(Fields f) {
    List<?> raw = f.optionalList("attachments");
    List<AttachmentDescriptor> attachments = new ArrayList<>(raw == null ? 0 : raw.size());
    if (raw != null) {
      for (int i = 0; i < raw.size(); i++) {
        Map<String, Object> item = Fields.asMap(raw.get(i));
        String what = f.what() + " attachments[" + i + "]";
        if (item == null) {
          throw new InvalidMessageException(what + ": must be a map, got "
              + Fields.describe(raw.get(i)));
        }
        attachments.add(readAttachment(new Fields(item, what)));
      }
    }
    return new EventMessage(f.requiredBytes("payload"), f.requiredSeconds("start_time"),
        f.requiredEventId("event_id"), f.requiredLong("project_id"),
        f.optionalString("remote_addr"), attachments);
  }

  private static AttachmentDescriptor readAttachment(Fields f) {
    Long chunks = f.optionalLong("chunks");
    if (chunks != null && (chunks < 0 || chunks > Integer.MAX_VALUE)) {
      throw f.invalid("chunks", "is out of range: " + chunks);
    }
    byte[] data = f.optionalBytes("data");
    String storedId = f.optionalString("stored_id");
    if (chunks == null && data == null && storedId == null) {
      throw new InvalidMessageException(
          f.what() + ": needs one of 'chunks', 'data' or 'stored_id'");
    }
    try {
      return new AttachmentDescriptor(f.requiredString("id"), f.optionalString("name"),
          f.bool("rate_limited", false), f.optionalString("content_type"),
          f.requiredString("attachment_type"), f.optionalLong("size"),
          chunks == null ? null : chunks.intValue(), data, storedId);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(f.what() + ": " + e.getMessage(), e);
    }
  }

  private static void writeEvent(MessagePacker p, EventMessage m) throws IOException {
    p.packMapHeader(7);
    p.writePayload(K_TYPE);
    p.packString(EventMessage.TYPE);
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
    p.writePayload(K_START_TIME);
    p.packLong(m.startTime());
    p.writePayload(K_EVENT_ID);
    p.packString(m.eventId());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_REMOTE_ADDR);
    stringOrNil(p, m.remoteAddr());
    p.writePayload(K_ATTACHMENTS);
    p.packArrayHeader(m.attachments().size());
    for (AttachmentDescriptor a : m.attachments()) {
      writeAttachment(p, a);
    }
  }

  private static void writeAttachment(MessagePacker p, AttachmentDescriptor a)
      throws IOException {
    p.packMapHeader(5 + (a.contentType() != null ? 1 : 0) + (a.size() != null ? 1 : 0));
    p.writePayload(K_ID);
    p.packString(a.id());
    p.writePayload(K_NAME);
    p.packString(a.name());
    p.writePayload(K_RATE_LIMITED);
    p.packBoolean(a.rateLimited());
    if (a.contentType() != null) {
      p.writePayload(K_CONTENT_TYPE);
      p.packString(a.contentType());
    }
    p.writePayload(K_ATTACHMENT_TYPE);
    p.packString(a.attachmentType());
    if (a.size() != null) {
      p.writePayload(K_SIZE);
      p.packLong(a.size());
    }
    if (a.chunks() != null) {
      p.writePayload(K_CHUNKS);
      p.packInt(a.chunks());
    } else if (a.data() != null) {
      p.writePayload(K_DATA);
      bin(p, a.data());
    } else {
      p.writePayload(K_STORED_ID);
      p.packString(a.storedId());
    }
  }

  private static void writeAttachmentChunk(MessagePacker p, AttachmentChunkMessage m)
      throws IOException {
    p.packMapHeader(6);
    p.writePayload(K_TYPE);
    p.packString(AttachmentChunkMessage.TYPE);
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
    p.writePayload(K_EVENT_ID);
    p.packString(m.eventId());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_ID);
    p.packString(m.id());
    p.writePayload(K_CHUNK_INDEX);
    p.packInt(m.chunkIndex());
  }

  private static void writeAttachmentMessage(MessagePacker p, AttachmentMessage m)
      throws IOException {
    p.packMapHeader(4);
    p.writePayload(K_TYPE);
    p.packString(AttachmentMessage.TYPE);
    p.writePayload(K_EVENT_ID);
    p.packString(m.eventId());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_ATTACHMENT);
    writeAttachment(p, m.attachment());
  }

  private static void writeUserReport(MessagePacker p, UserReportMessage m) throws IOException {
    p.packMapHeader(m.eventId() != null ? 5 : 4);
    p.writePayload(K_TYPE);
    p.packString(UserReportMessage.TYPE);
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_START_TIME);
    p.packLong(m.startTime());
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
    if (m.eventId() != null) {
      p.writePayload(K_EVENT_ID);
      p.packString(m.eventId());
    }
  }

  private static void writeCheckIn(MessagePacker p, CheckInMessage m) throws IOException {
    p.packMapHeader(7);
    p.writePayload(K_TYPE);
    p.packString(CheckInMessage.TYPE);
    p.writePayload(K_MESSAGE_TYPE);
    p.packString(CheckInMessage.TYPE);
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
    p.writePayload(K_START_TIME);
    p.packLong(m.startTime());
    p.writePayload(K_SDK);
    stringOrNil(p, m.sdk());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_RETENTION_DAYS);
    p.packInt(m.retentionDays());
  }

  private static void writeProfile(MessagePacker p, ProfileMessage m) throws IOException {
    p.packMapHeader(7);
    p.writePayload(K_TYPE);
    p.packString(ProfileMessage.TYPE);
    p.writePayload(K_ORGANIZATION_ID);
    p.packLong(m.organizationId());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_KEY_ID);
    longOrNil(p, m.keyId());
    p.writePayload(K_RECEIVED);
    p.packLong(m.received());
    p.writePayload(K_RETENTION_DAYS);
    p.packInt(m.retentionDays());
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
  }

  private static void writeProfileChunk(MessagePacker p, ProfileChunkMessage m)
      throws IOException {
    p.packMapHeader(6);
    p.writePayload(K_TYPE);
    p.packString(ProfileChunkMessage.TYPE);
    p.writePayload(K_ORGANIZATION_ID);
    p.packLong(m.organizationId());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_RECEIVED);
    p.packLong(m.received());
    p.writePayload(K_RETENTION_DAYS);
    p.packInt(m.retentionDays());
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
  }

  private static void writeReplayRecording(MessagePacker p, ReplayRecordingMessage m)
      throws IOException {
    p.packMapHeader(11);
    p.writePayload(K_TYPE);
    p.packString(ReplayRecordingMessage.TYPE);
    p.writePayload(K_REPLAY_ID);
    p.packString(m.replayId());
    p.writePayload(K_KEY_ID);
    longOrNil(p, m.keyId());
    p.writePayload(K_ORG_ID);
    p.packLong(m.orgId());
    p.writePayload(K_PROJECT_ID);
    p.packLong(m.projectId());
    p.writePayload(K_RECEIVED);
    p.packLong(m.received());
    p.writePayload(K_RETENTION_DAYS);
    p.packInt(m.retentionDays());
    p.writePayload(K_PAYLOAD);
    bin(p, m.payload());
    p.writePayload(K_REPLAY_EVENT);
    binOrNil(p, m.replayEvent());
    p.writePayload(K_REPLAY_VIDEO);
    binOrNil(p, m.replayVideo());
    p.writePayload(K_RELAY_SNUBA_PUBLISH_DISABLED);
    p.packBoolean(m.relaySnubaPublishDisabled());
  }

  /** Bin header plus the bytes; large arrays are referenced, not copied, until toByteArray. */
  private static void bin(MessagePacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length);
    p.addPayload(bytes);
  }

  private static void binOrNil(MessagePacker p, byte[] bytes) throws IOException {
    if (bytes == null) {
      p.packNil();
    } else {
      bin(p, bytes);
    }
  }

  private static void stringOrNil(MessagePacker p, String value) throws IOException {
    if (value == null) {
      p.packNil();
    } else {
      p.packString(value);
    }
  }

  private static void longOrNil(MessagePacker p, Long value) throws IOException {
    if (value == null) {
      p.packNil();
    } else {
      p.packLong(value);
    }
  }

  private static byte[] key(String name) {
    try (MessageBufferPacker p = MessagePack.newDefaultBufferPacker()) {
      p.packString(name);
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

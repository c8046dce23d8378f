package io.lookout.storage.kafka.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The contract with Relay and Sentry: messages laid out the way Relay's
 * {@code rmp_serde::to_vec_named} writes them (map, string keys, {@code type} first, fields in
 * declaration order, bin for bytes, nil for None) decode, and Lookout encodes exactly those bytes.
 */
class IngestCodecTest {

  private static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";
  private static final String ATTACHMENT_ID = "0f0b7e8a-5d8c-4c7e-9a3e-2f1d9d7c6b5a";
  private static final byte[] EVENT_JSON =
      "{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"message\":\"boom\"}".getBytes(UTF_8);

  @Test
  void relayEventWithChunkedAttachmentDecodesAndReEncodesToTheSameBytes() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(7);
    str(p, "type", "event");
    p.packString("payload");
    bin(p, EVENT_JSON);
    p.packString("start_time");
    p.packLong(1_714_658_607L);
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    p.packString("remote_addr");
    p.packNil();
    p.packString("attachments");
    p.packArrayHeader(1);
    p.packMapHeader(7);
    str(p, "id", ATTACHMENT_ID);
    str(p, "name", "minidump.dmp");
    p.packString("rate_limited");
    p.packBoolean(false);
    str(p, "content_type", "application/octet-stream");
    str(p, "attachment_type", "event.minidump");
    p.packString("size");
    p.packLong(2_500_000);
    p.packString("chunks");
    p.packInt(3);
    byte[] relayBytes = p.toByteArray();

    IngestMessage decoded = IngestCodec.decode(relayBytes);

    EventMessage expected = new EventMessage(EVENT_JSON, 1_714_658_607L, EVENT_ID, 42, null,
        List.of(AttachmentDescriptor.chunked(ATTACHMENT_ID, "minidump.dmp", false,
            "application/octet-stream", "event.minidump", 2_500_000, 3)));
    assertThat(decoded).isEqualTo(expected);
    assertThat(IngestCodec.encode(expected)).isEqualTo(relayBytes);
  }

  @Test
  void relayAttachmentChunkDecodesAndReEncodesToTheSameBytes() throws IOException {
    byte[] chunk = new byte[] {0x4d, 0x44, 0x4d, 0x50, 0, 1, 2, (byte) 0xff};
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(6);
    str(p, "type", "attachment_chunk");
    p.packString("payload");
    bin(p, chunk);
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    str(p, "id", ATTACHMENT_ID);
    p.packString("chunk_index");
    p.packInt(2);
    byte[] relayBytes = p.toByteArray();

    AttachmentChunkMessage expected =
        new AttachmentChunkMessage(chunk, EVENT_ID, 42, ATTACHMENT_ID, 2);
    assertThat(IngestCodec.decode(relayBytes)).isEqualTo(expected);
    assertThat(IngestCodec.encode(expected)).isEqualTo(relayBytes);
  }

  @Test
  void relayStandaloneAttachmentWithInlineDataAndNoContentTypeRoundTrips() throws IOException {
    byte[] data = "{\"rendering_system\":\"compose\"}".getBytes(UTF_8);
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(4);
    str(p, "type", "attachment");
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    p.packString("attachment");
    // content_type is skip_serializing_if = "Option::is_none": the key is absent, not nil
    p.packMapHeader(6);
    str(p, "id", ATTACHMENT_ID);
    str(p, "name", "Unnamed Attachment");
    p.packString("rate_limited");
    p.packBoolean(true);
    str(p, "attachment_type", "event.view_hierarchy");
    p.packString("size");
    p.packLong(data.length);
    p.packString("data");
    bin(p, data);
    byte[] relayBytes = p.toByteArray();

    AttachmentMessage expected = new AttachmentMessage(EVENT_ID, 42,
        AttachmentDescriptor.inline(ATTACHMENT_ID, null, true, null, "event.view_hierarchy", data));
    assertThat(IngestCodec.decode(relayBytes)).isEqualTo(expected);
    assertThat(IngestCodec.encode(expected)).isEqualTo(relayBytes);
  }

  @Test
  void relayUserReportHasNoEventIdInTheBody() throws IOException {
    byte[] report = ("{\"event_id\":\"" + EVENT_ID + "\",\"name\":\"Jane\",\"comments\":\"it broke\"}")
        .getBytes(UTF_8);
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(4);
    str(p, "type", "user_report");
    p.packString("project_id");
    p.packLong(42);
    p.packString("start_time");
    p.packLong(1_714_658_607L);
    p.packString("payload");
    bin(p, report);
    byte[] relayBytes = p.toByteArray();

    UserReportMessage decoded = (UserReportMessage) IngestCodec.decode(relayBytes);

    assertThat(decoded).isEqualTo(new UserReportMessage(42, 1_714_658_607L, report, null));
    assertThat(decoded.kafkaKey()).isNull();
    assertThat(IngestCodec.encode(decoded)).isEqualTo(relayBytes);
    UserReportMessage withId = new UserReportMessage(42, 1_714_658_607L, report, EVENT_ID);
    assertThat(IngestCodec.decode(IngestCodec.encode(withId))).isEqualTo(withId);
  }

  @Test
  void relayCheckInCarriesBothTypeAndMessageType() throws IOException {
    byte[] checkIn = "{\"check_in_id\":\"a460c25ff2554577b920fcfacae4e5eb\",\"monitor_slug\":\"nightly\",\"status\":\"ok\"}"
        .getBytes(UTF_8);
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(7);
    str(p, "type", "check_in");
    str(p, "message_type", "check_in");
    p.packString("payload");
    bin(p, checkIn);
    p.packString("start_time");
    p.packLong(1_714_658_607L);
    p.packString("sdk");
    p.packNil();
    p.packString("project_id");
    p.packLong(42);
    p.packString("retention_days");
    p.packInt(90);
    byte[] relayBytes = p.toByteArray();

    CheckInMessage expected = new CheckInMessage(checkIn, 1_714_658_607L, null, 42, 90);
    assertThat(IngestCodec.decode(relayBytes)).isEqualTo(expected);
    assertThat(IngestCodec.encode(expected)).isEqualTo(relayBytes);
  }

  @Test
  void checkInWithOnlyMessageTypeAndFloatStartTimeDecodes() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(6);
    str(p, "message_type", "check_in");
    p.packString("payload");
    bin(p, "{}".getBytes(UTF_8));
    p.packString("start_time");
    p.packDouble(1_714_658_607.75);
    str(p, "sdk", "sentry.python/2.0.0");
    p.packString("project_id");
    p.packLong(42);
    p.packString("retention_days");
    p.packInt(30);

    CheckInMessage decoded = (CheckInMessage) IngestCodec.decode(p.toByteArray());

    assertThat(decoded.startTime()).isEqualTo(1_714_658_607L);
    assertThat(decoded.sdk()).isEqualTo("sentry.python/2.0.0");
  }

  @Test
  void sentryClockPulseDecodesSoItCanBeSkipped() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1);
    str(p, "message_type", "clock_pulse");

    assertThat(IngestCodec.decode(p.toByteArray())).isEqualTo(new ClockPulseMessage());
    assertThat(IngestCodec.encode(new ClockPulseMessage())).isEqualTo(p.toByteArray());
  }

  @Test
  void relayProfileAndProfileChunkDecodeAndReEncodeToTheSameBytes() throws IOException {
    byte[] profile = "{\"version\":\"1\"}".getBytes(UTF_8);
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(7);
    str(p, "type", "profile");
    p.packString("organization_id");
    p.packLong(1);
    p.packString("project_id");
    p.packLong(42);
    p.packString("key_id");
    p.packLong(123);
    p.packString("received");
    p.packLong(1_714_658_607L);
    p.packString("retention_days");
    p.packInt(90);
    p.packString("payload");
    bin(p, profile);
    byte[] relayProfile = p.toByteArray();

    ProfileMessage expected = new ProfileMessage(1, 42, 123L, 1_714_658_607L, 90, profile, true);
    assertThat(IngestCodec.decode(relayProfile)).isEqualTo(expected);
    assertThat(IngestCodec.encode(expected)).isEqualTo(relayProfile);
    assertThat(expected.kafkaHeaders())
        .containsExactlyInAnyOrderEntriesOf(Map.of("sampled", "true", "project_id", "42"));

    p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(6);
    str(p, "type", "profile_chunk");
    p.packString("organization_id");
    p.packLong(1);
    p.packString("project_id");
    p.packLong(42);
    p.packString("received");
    p.packLong(1_714_658_607L);
    p.packString("retention_days");
    p.packInt(90);
    p.packString("payload");
    bin(p, profile);
    byte[] relayChunk = p.toByteArray();

    ProfileChunkMessage chunk = new ProfileChunkMessage(1, 42, 1_714_658_607L, 90, profile);
    assertThat(IngestCodec.decode(relayChunk)).isEqualTo(chunk);
    assertThat(IngestCodec.encode(chunk)).isEqualTo(relayChunk);
  }

  @Test
  void relayReplayRecordingDecodesAndReEncodesToTheSameBytes() throws IOException {
    byte[] recording = new byte[] {0x78, (byte) 0x9c, 1, 2, 3};
    byte[] replayEvent = "{\"replay_id\":\"515539018c9b4260a6f999572f1661ee\"}".getBytes(UTF_8);
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(11);
    str(p, "type", "replay_recording_not_chunked");
    str(p, "replay_id", "515539018c9b4260a6f999572f1661ee");
    p.packString("key_id");
    p.packNil();
    p.packString("org_id");
    p.packLong(1);
    p.packString("project_id");
    p.packLong(42);
    p.packString("received");
    p.packLong(1_714_658_607L);
    p.packString("retention_days");
    p.packInt(30);
    p.packString("payload");
    bin(p, recording);
    p.packString("replay_event");
    bin(p, replayEvent);
    p.packString("replay_video");
    p.packNil();
    p.packString("relay_snuba_publish_disabled");
    p.packBoolean(true);
    byte[] relayBytes = p.toByteArray();

    ReplayRecordingMessage expected = new ReplayRecordingMessage(
        "515539018c9b4260a6f999572f1661ee", null, 1, 42, 1_714_658_607L, 30, recording,
        replayEvent, null, true);
    assertThat(IngestCodec.decode(relayBytes)).isEqualTo(expected);
    assertThat(IngestCodec.encode(expected)).isEqualTo(relayBytes);
  }

  @Test
  void everyMessageSurvivesARoundTrip() {
    byte[] big = new byte[3 * 1024 * 1024];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    List<IngestMessage> messages = List.of(
        new EventMessage(EVENT_JSON, 1, EVENT_ID, 1, "203.0.113.7", List.of(
            AttachmentDescriptor.chunked("a", "x.txt", false, "text/plain", null, 10, 1),
            AttachmentDescriptor.inline("b", "y.bin", true, null, "event.attachment", big),
            AttachmentDescriptor.stored("c", "z.dmp", false, null, "event.minidump", 99, "key/1"))),
        new EventMessage(big, Integer.MAX_VALUE + 10L, EVENT_ID, Long.MAX_VALUE, null, null),
        new AttachmentChunkMessage(big, EVENT_ID, 7, "a", 0),
        new AttachmentMessage(EVENT_ID, 7,
            AttachmentDescriptor.chunked("a", null, false, null, null, 0, 0)),
        new UserReportMessage(7, 100, EVENT_JSON, EVENT_ID),
        new CheckInMessage(EVENT_JSON, 100, "sentry.java/8.0.0", 7, 65_535),
        new ClockPulseMessage(),
        new ProfileMessage(3, 7, null, 100, 90, big, false),
        new ProfileChunkMessage(3, 7, 100, 90, EVENT_JSON),
        new ReplayRecordingMessage(EVENT_ID, 5L, 3, 7, 100, 90, big, null, EVENT_JSON, false));

    for (IngestMessage message : messages) {
      assertThat(IngestCodec.decode(IngestCodec.encode(message), message.kafkaHeaders()))
          .as(message.type()).isEqualTo(message);
    }
  }

  @Test
  void bytesAreWrittenAsMsgpackBinNotStrings() throws IOException {
    byte[] encoded = IngestCodec.encode(new EventMessage(EVENT_JSON, 1, EVENT_ID, 1, null,
        List.of(AttachmentDescriptor.inline("a", "n", false, null, null, new byte[] {1}))));

    try (MessageUnpacker u = MessagePack.newDefaultUnpacker(encoded)) {
      int size = u.unpackMapHeader();
      for (int i = 0; i < size; i++) {
        String key = u.unpackString();
        if (key.equals("payload")) {
          assertThat(u.getNextFormat().getValueType()).isEqualTo(ValueType.BINARY);
        } else if (key.equals("event_id")) {
          assertThat(u.getNextFormat().getValueType()).isEqualTo(ValueType.STRING);
        }
        u.skipValue();
      }
    }
  }

  @Test
  void hyphenatedAndUpperCaseEventIdsAreNormalizedToRelaysForm() {
    EventMessage message = new EventMessage(EVENT_JSON, 1,
        "9EC79C33-EC99-42AB-8353-589FCB2E04DC", 1, null, List.of());

    assertThat(message.eventId()).isEqualTo(EVENT_ID);
    assertThat(message.kafkaKey()).hasSize(16)
        .startsWith((byte) 0x9e, (byte) 0xc7, (byte) 0x9c, (byte) 0x33);
  }

  @Test
  void unknownFieldsAndAStringPayloadAreAccepted() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(6);
    str(p, "type", "event");
    str(p, "payload", "{\"a\":1}");
    p.packString("start_time");
    p.packLong(5);
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    p.packString("some_future_field");
    p.packArrayHeader(2);
    p.packInt(1);
    p.packMapHeader(0);

    EventMessage decoded = (EventMessage) IngestCodec.decode(p.toByteArray());

    assertThat(decoded.payload()).isEqualTo("{\"a\":1}".getBytes(UTF_8));
    assertThat(decoded.remoteAddr()).isNull();
    assertThat(decoded.attachments()).isEmpty();
  }

  @Test
  void olderRelayAttachmentWithoutSizeOrRateLimitedDecodes() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(4);
    str(p, "type", "attachment");
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    p.packString("attachment");
    p.packMapHeader(5);
    str(p, "id", "a");
    str(p, "name", "log.txt");
    p.packString("content_type");
    p.packNil();
    str(p, "attachment_type", "event.attachment");
    p.packString("chunks");
    p.packInt(1);

    AttachmentMessage decoded = (AttachmentMessage) IngestCodec.decode(p.toByteArray());

    assertThat(decoded.attachment())
        .isEqualTo(new AttachmentDescriptor("a", "log.txt", false, null, "event.attachment", null,
            1, null, null));
  }

  @Test
  void garbageIsInvalid() {
    assertInvalid(new byte[] {(byte) 0xc1, 1, 2}, "not valid msgpack");
    assertInvalid(new byte[0], "empty");
    assertInvalid(null, "empty");
    // a str8 header announcing 200 bytes with 1 byte behind it
    assertInvalid(new byte[] {(byte) 0x81, (byte) 0xd9, (byte) 200, 'x'}, "");
  }

  @Test
  void aMessageThatIsNotAMapIsInvalid() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packArrayHeader(2);
    p.packString("event");
    p.packInt(1);
    assertInvalid(p.toByteArray(), "expected a msgpack map, got array");

    p = MessagePack.newDefaultBufferPacker();
    p.packString("{\"type\":\"event\"}");
    assertInvalid(p.toByteArray(), "expected a msgpack map, got string");
  }

  @Test
  void anUnknownOrMissingTypeIsInvalid() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1);
    str(p, "type", "metric_buckets");
    assertInvalid(p.toByteArray(), "unknown type 'metric_buckets'");

    p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1);
    str(p, "event_id", EVENT_ID);
    assertInvalid(p.toByteArray(), "no 'type'");

    p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1);
    p.packString("type");
    p.packInt(1);
    assertInvalid(p.toByteArray(), "field 'type' must be a string");
  }

  @Test
  void aMissingRequiredFieldIsInvalid() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(4);
    str(p, "type", "event");
    p.packString("payload");
    bin(p, EVENT_JSON);
    p.packString("start_time");
    p.packLong(5);
    p.packString("project_id");
    p.packLong(42);
    assertInvalid(p.toByteArray(), "ingest message 'event': missing required field 'event_id'");

    p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(5);
    str(p, "type", "attachment_chunk");
    p.packString("payload");
    bin(p, EVENT_JSON);
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    str(p, "id", "a");
    assertInvalid(p.toByteArray(), "missing required field 'chunk_index'");
  }

  @Test
  void aFieldOfTheWrongTypeOrValueIsInvalid() throws IOException {
    assertInvalid(event(p -> p.packString("42"), EVENT_ID), "field 'project_id' must be an integer");
    assertInvalid(event(p -> p.packLong(-1), EVENT_ID), "project_id must be >= 0");
    assertInvalid(event(p -> p.packLong(1), "not-an-id"), "field 'event_id' is not an event id");
  }

  @Test
  void anAttachmentWithoutChunksDataOrStoredIdIsInvalid() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(4);
    str(p, "type", "attachment");
    str(p, "event_id", EVENT_ID);
    p.packString("project_id");
    p.packLong(42);
    p.packString("attachment");
    p.packMapHeader(2);
    str(p, "id", "a");
    str(p, "attachment_type", "event.attachment");

    assertInvalid(p.toByteArray(), "needs one of 'chunks', 'data' or 'stored_id'");
  }

  @Test
  void trailingBytesAreInvalid() {
    byte[] encoded = IngestCodec.encode(new ClockPulseMessage());
    byte[] withTrailer = java.util.Arrays.copyOf(encoded, encoded.length + 1);

    assertInvalid(withTrailer, "trailing bytes");
  }

  private interface Packing {
    void pack(MessageBufferPacker p) throws IOException;
  }

  private static byte[] event(Packing projectId, String eventId) throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(5);
    str(p, "type", "event");
    p.packString("payload");
    bin(p, EVENT_JSON);
    p.packString("start_time");
    p.packLong(5);
    str(p, "event_id", eventId);
    p.packString("project_id");
    projectId.pack(p);
    return p.toByteArray();
  }

  private static void assertInvalid(byte[] bytes, String messagePart) {
    assertThatThrownBy(() -> IngestCodec.decode(bytes))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(messagePart);
  }

  private static void str(MessageBufferPacker p, String key, String value) throws IOException {
    p.packString(key);
    p.packString(value);
  }

  private static void bin(MessageBufferPacker p, byte[] bytes) throws IOException {
    p.packBinaryHeader(bytes.length);
    p.writePayload(bytes);
  }
}

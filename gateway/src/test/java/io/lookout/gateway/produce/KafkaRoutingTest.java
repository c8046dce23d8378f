package io.lookout.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.project.Scoping;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.AttachmentDescriptor;
import io.lookout.storage.kafka.message.AttachmentMessage;
import io.lookout.storage.kafka.message.CheckInMessage;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.EventIds;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeType;
import io.lookout.storage.kafka.message.ProfileChunkMessage;
import io.lookout.storage.kafka.message.ProfileMessage;
import io.lookout.storage.kafka.message.ReplayRecordingMessage;
import io.lookout.storage.kafka.message.SessionCodec;
import io.lookout.storage.kafka.message.SessionMessage;
import io.lookout.storage.kafka.message.SpanCodec;
import io.lookout.storage.kafka.message.SpanMessage;
import io.lookout.storage.kafka.message.TraceItemMessage;
import org.assertj.core.groups.Tuple;
import io.lookout.storage.kafka.message.UserReportMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class KafkaRoutingTest {

  static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";
  static final Instant RECEIVED = Instant.parse("2024-05-02T14:03:27.123456Z");
  static final Scoping SCOPING = new Scoping(3, 42, 7L);
  static final ProduceScope SCOPE = ProduceScope.of(SCOPING, "203.0.113.9", RECEIVED)
      .withClient("sentry.java/8.63.0");
  static final String EVENT_JSON = "{\"message\":\"boom\",\"level\":\"error\"}";

  final KafkaRouting routing = KafkaRouting.create(TopicNames.identity());

  static IngestMessage decode(ProducedRecord record) {
    return IngestCodec.decode(record.value(), record.headers());
  }

  static byte[] bytes(int size, int seed) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void errorEventAloneGoesToIngestEventsKeyedByItsId() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", EVENT_JSON).parse(), SCOPE);

    assertThat(routed.eventId()).isEqualTo(EVENT_ID);
    assertThat(routed.records()).hasSize(1);
    ProducedRecord record = routed.records().get(0);
    assertThat(record.topic()).isEqualTo(Topics.INGEST_EVENTS);
    assertThat(record.key()).isEqualTo(EventIds.toBytes(EVENT_ID));
    assertThat(record.headers()).isEmpty();
    EventMessage event = (EventMessage) decode(record);
    assertThat(utf8(event.payload())).isEqualTo(EVENT_JSON);
    assertThat(event.eventId()).isEqualTo(EVENT_ID);
    assertThat(event.projectId()).isEqualTo(42);
    assertThat(event.startTime()).isEqualTo(RECEIVED.getEpochSecond());
    assertThat(event.remoteAddr()).isEqualTo("203.0.113.9");
    assertThat(event.attachments()).isEmpty();
    assertThat(routed.outcomes()).isEmpty();
    assertThat(routed.acceptedOutcomes()).isEmpty();
    assertThat(routed.dropped()).isEmpty();
  }

  @Test
  void securityRawSecurityAndNelReportsAreEventsOnIngestEvents() {
    for (String type : List.of("security", "raw_security", "nel")) {
      RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
          .item("{\"type\":\"" + type + "\"}", "{\"csp-report\":{}}").parse(), SCOPE);

      assertThat(routed.records()).as(type).hasSize(1);
      assertThat(routed.records().get(0).topic()).isEqualTo(Topics.INGEST_EVENTS);
      assertThat(decode(routed.records().get(0))).isInstanceOf(EventMessage.class);
    }
  }

  @Test
  void anEventWithoutIdGetsANewOneThatTheRecordsCarry() {
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"event\"}", EVENT_JSON).parse(), SCOPE);

    assertThat(routed.eventId()).matches("[0-9a-f]{32}");
    EventMessage event = (EventMessage) decode(routed.records().get(0));
    assertThat(event.eventId()).isEqualTo(routed.eventId());
    assertThat(routed.records().get(0).key()).isEqualTo(EventIds.toBytes(routed.eventId()));
  }

  @Test
  void aNelReportWithoutEventIdGetsOne() {
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"nel\"}", "[{\"type\":\"network-error\"}]").parse(), SCOPE);

    assertThat(routed.eventId()).isNotNull();
    assertThat(((EventMessage) decode(routed.records().get(0))).eventId())
        .isEqualTo(routed.eventId());
  }

  @Test
  void anEnvelopeWithoutEventItemsGetsNoEventId() {
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"statsd\"}", "foo:1|c").parse(), SCOPE);

    assertThat(routed.eventId()).isNull();
  }

  @Test
  void anAttachmentOf2AndAHalfMibIsThreeChunksBeforeTheEventOnIngestAttachments() {
    byte[] content = bytes(2 * 1024 * 1024 + 512 * 1024, 7);
    // the attachment comes first in the envelope, the event second: the event is still last
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"attachment\",\"filename\":\"dump.bin\","
            + "\"content_type\":\"application/octet-stream\"", content)
        .item("{\"type\":\"event\"}", EVENT_JSON)
        .parse(), SCOPE);

    List<ProducedRecord> records = routed.records();
    assertThat(records).hasSize(4);
    assertThat(records).allSatisfy(r -> {
      assertThat(r.topic()).isEqualTo(Topics.INGEST_ATTACHMENTS);
      assertThat(r.key()).isEqualTo(EventIds.toBytes(EVENT_ID));
    });
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    String attachmentId = null;
    for (int i = 0; i < 3; i++) {
      AttachmentChunkMessage chunk = (AttachmentChunkMessage) decode(records.get(i));
      assertThat(chunk.chunkIndex()).isEqualTo(i);
      assertThat(chunk.eventId()).isEqualTo(EVENT_ID);
      assertThat(chunk.projectId()).isEqualTo(42);
      assertThat(chunk.payload()).hasSize(i < 2 ? 1024 * 1024 : 512 * 1024);
      if (attachmentId == null) {
        attachmentId = chunk.id();
      }
      assertThat(chunk.id()).isEqualTo(attachmentId);
      joined.writeBytes(chunk.payload());
    }
    assertThat(joined.toByteArray()).isEqualTo(content);
    assertThat(UUID.fromString(attachmentId).version()).isEqualTo(4);

    EventMessage event = (EventMessage) decode(records.get(3));
    assertThat(event.attachments()).containsExactly(AttachmentDescriptor.chunked(attachmentId,
        "dump.bin", false, "application/octet-stream", "event.attachment", content.length, 3));
  }

  @Test
  void attachmentDescriptorsKeepTypeRateLimitAndDefaultName() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", EVENT_JSON)
        .item("{\"type\":\"attachment\",\"attachment_type\":\"event.minidump\","
            + "\"rate_limited\":true", bytes(10, 1))
        .item("{\"type\":\"attachment\"", new byte[0])
        .parse(), SCOPE);

    // one chunk for the minidump, none for the empty attachment, then the event
    assertThat(routed.records()).hasSize(2);
    EventMessage event = (EventMessage) decode(routed.records().get(1));
    AttachmentDescriptor minidump = event.attachments().get(0);
    assertThat(minidump.name()).isEqualTo(AttachmentDescriptor.UNNAMED);
    assertThat(minidump.attachmentType()).isEqualTo("event.minidump");
    assertThat(minidump.rateLimited()).isTrue();
    assertThat(minidump.chunks()).isEqualTo(1);
    assertThat(minidump.size()).isEqualTo(10);
    assertThat(minidump.contentType()).isNull();
    AttachmentDescriptor empty = event.attachments().get(1);
    assertThat(empty.chunks()).isZero();
    assertThat(empty.size()).isZero();
  }

  @Test
  void attachmentsWithoutAnEventAreStandaloneSmallOnesInline() {
    KafkaRouting smallChunks = KafkaRouting.create(TopicNames.identity(), 100,
        KafkaRouting.DEFAULT_MAX_REPLAY_MESSAGE_SIZE);
    byte[] small = bytes(99, 2);
    byte[] large = bytes(250, 3);
    RoutedEnvelope routed = smallChunks.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"attachment\",\"filename\":\"a.txt\",\"content_type\":\"text/plain\"",
            small)
        .item("{\"type\":\"attachment\",\"filename\":\"b.bin\"", large)
        .item("{\"type\":\"attachment\",\"filename\":\"c.bin\"", new byte[0])
        .parse(), SCOPE);

    List<ProducedRecord> records = routed.records();
    // small: 1 attachment message; large: 3 chunks + attachment; empty: attachment
    assertThat(records).hasSize(6);
    assertThat(records).allSatisfy(r -> assertThat(r.topic()).isEqualTo(Topics.INGEST_ATTACHMENTS));

    AttachmentMessage inline = (AttachmentMessage) decode(records.get(0));
    assertThat(inline.eventId()).isEqualTo(EVENT_ID);
    assertThat(inline.attachment().data()).isEqualTo(small);
    assertThat(inline.attachment().chunks()).isNull();
    assertThat(inline.attachment().size()).isEqualTo(99);
    assertThat(inline.attachment().contentType()).isEqualTo("text/plain");

    for (int i = 0; i < 3; i++) {
      assertThat(((AttachmentChunkMessage) decode(records.get(1 + i))).chunkIndex()).isEqualTo(i);
    }
    AttachmentMessage chunked = (AttachmentMessage) decode(records.get(4));
    assertThat(chunked.attachment().chunks()).isEqualTo(3);
    assertThat(chunked.attachment().size()).isEqualTo(250);
    assertThat(chunked.attachment().id())
        .isEqualTo(((AttachmentChunkMessage) decode(records.get(1))).id());

    AttachmentMessage empty = (AttachmentMessage) decode(records.get(5));
    assertThat(empty.attachment().chunks()).isZero();
    assertThat(empty.attachment().data()).isNull();
  }

  @Test
  void aTransactionGoesToIngestTransactionsWithItsAttachmentsStandalone() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"transaction\"}", "{\"type\":\"transaction\",\"transaction\":\"/\"}")
        .item("{\"type\":\"attachment\",\"filename\":\"t.txt\"", bytes(5, 4))
        .parse(), SCOPE);

    assertThat(routed.records()).hasSize(2);
    assertThat(routed.records().get(0).topic()).isEqualTo(Topics.INGEST_ATTACHMENTS);
    AttachmentMessage attachment = (AttachmentMessage) decode(routed.records().get(0));
    assertThat(attachment.attachment().data()).isEqualTo(bytes(5, 4));
    ProducedRecord transaction = routed.records().get(1);
    assertThat(transaction.topic()).isEqualTo(Topics.INGEST_TRANSACTIONS);
    assertThat(((EventMessage) decode(transaction)).attachments()).isEmpty();
  }

  @Test
  void aUserReportGoesToIngestAttachmentsAndTakesTheEventThere() {
    String report = "{\"event_id\":\"" + EVENT_ID + "\",\"name\":\"Jane\",\"comments\":\"it broke\"}";
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", EVENT_JSON)
        .item("{\"type\":\"user_report\"}", report)
        .parse(), SCOPE);

    assertThat(routed.records()).extracting(ProducedRecord::topic)
        .containsExactly(Topics.INGEST_ATTACHMENTS, Topics.INGEST_ATTACHMENTS);
    UserReportMessage userReport = (UserReportMessage) decode(routed.records().get(0));
    assertThat(utf8(userReport.payload())).isEqualTo(report);
    assertThat(userReport.projectId()).isEqualTo(42);
    assertThat(userReport.startTime()).isEqualTo(RECEIVED.getEpochSecond());
    assertThat(routed.records().get(0).key()).isEqualTo(EventIds.toBytes(EVENT_ID));
    assertThat(decode(routed.records().get(1))).isInstanceOf(EventMessage.class);
  }

  @Test
  void aUserReportAloneGoesToIngestAttachments() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"user_report\"}", "{\"event_id\":\"" + EVENT_ID + "\"}")
        .parse(), SCOPE);

    assertThat(routed.records()).singleElement().satisfies(r -> {
      assertThat(r.topic()).isEqualTo(Topics.INGEST_ATTACHMENTS);
      assertThat(decode(r)).isInstanceOf(UserReportMessage.class);
    });
  }

  @Test
  void feedbackIsAnEventOnIngestFeedbackEvents() {
    String feedback = "{\"contexts\":{\"feedback\":{\"message\":\"nice\"}}}";
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"feedback\"}", feedback).parse(), SCOPE);

    ProducedRecord record = routed.records().get(0);
    assertThat(record.topic()).isEqualTo(Topics.INGEST_FEEDBACK_EVENTS);
    assertThat(record.key()).isEqualTo(EventIds.toBytes(EVENT_ID));
    EventMessage event = (EventMessage) decode(record);
    assertThat(utf8(event.payload())).isEqualTo(feedback);
    assertThat(event.remoteAddr()).isEqualTo("203.0.113.9");
  }

  @Test
  void checkInsGoToIngestMonitorsKeyedByRelaysRoutingHint() {
    ProduceScope project1 = ProduceScope.of(new Scoping(3, 1, 7L), null, RECEIVED)
        .withClient("sentry.python/2.0.0").withRetention(30, 30);
    String noEnv = "{\"check_in_id\":\"a460c25ff2554577b920fcfacae4e5eb\","
        + "\"monitor_slug\":\"my-monitor\",\"status\":\"ok\"}";
    String prod = "{\"check_in_id\":\"a460c25ff2554577b920fcfacae4e5eb\","
        + "\"monitor_slug\":\"my-monitor\",\"environment\":\"prod\",\"status\":\"ok\"}";
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"check_in\"}", noEnv)
        .item("{\"type\":\"check_in\"}", prod)
        .parse(), project1);

    assertThat(routed.records()).hasSize(2);
    ProducedRecord first = routed.records().get(0);
    assertThat(first.topic()).isEqualTo(Topics.INGEST_MONITORS);
    // Relay's own test vectors (relay-monitors): the same monitor and environment, one partition
    assertThat(first.key())
        .isEqualTo(Uuids.bytes(UUID.fromString("9aa99731-a8e3-5594-9f00-c3e8a62c2b11")));
    assertThat(routed.records().get(1).key())
        .isEqualTo(Uuids.bytes(UUID.fromString("f97ad155-c5c6-57f4-b748-03a301a14e54")));
    CheckInMessage checkIn = (CheckInMessage) decode(first);
    assertThat(utf8(checkIn.payload())).isEqualTo(noEnv);
    assertThat(checkIn.sdk()).isEqualTo("sentry.python/2.0.0");
    assertThat(checkIn.projectId()).isEqualTo(1);
    assertThat(checkIn.retentionDays()).isEqualTo(30);
    assertThat(checkIn.startTime()).isEqualTo(RECEIVED.getEpochSecond());
  }

  @Test
  void anUnreadableCheckInIsDroppedWithoutAnOutcome() {
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"check_in\"}", "{\"monitor_slug\":\"\"}").parse(), SCOPE);

    assertThat(routed.records()).isEmpty();
    assertThat(routed.dropped()).singleElement()
        .satisfies(d -> assertThat(d.invalidReason()).isEmpty());
  }

  @Test
  void aSessionUpdateIsOneSessionMessage() {
    String sid = "8333339f-5675-4f89-a9a0-1c935255ab58";
    String session = "{\"sid\":\"" + sid + "\",\"did\":\"foobarbaz\",\"seq\":42,\"init\":true,"
        + "\"timestamp\":\"2024-05-02T14:03:00.500Z\",\"started\":\"2024-05-02T14:00:00Z\","
        + "\"duration\":12.5,\"status\":\"errored\",\"errors\":2,"
        + "\"attrs\":{\"release\":\"app@1.0\",\"environment\":\"production\"}}";
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"session\"}", session).parse(), SCOPE);

    ProducedRecord record = routed.records().get(0);
    assertThat(record.topic()).isEqualTo(Topics.INGEST_SESSIONS);
    assertThat(record.key()).isNull();
    SessionMessage message = SessionCodec.decode(record.value());
    assertThat(message.orgId()).isEqualTo(3);
    assertThat(message.projectId()).isEqualTo(42);
    assertThat(message.sessionId()).isEqualTo(UUID.fromString(sid));
    // not a UUID: Relay's v5 UUID in the https://sentry.io/#did namespace
    assertThat(message.distinctId()).isEqualTo(Sessions.distinctId("foobarbaz"));
    assertThat(message.distinctId().version()).isEqualTo(5);
    assertThat(message.seq()).isZero();
    assertThat(message.status()).isEqualTo("exited");
    assertThat(message.errors()).isEqualTo(2);
    assertThat(message.received()).isEqualTo(Instant.parse("2024-05-02T14:03:00.500Z")
        .getEpochSecond() + 0.5);
    assertThat(message.started()).isEqualTo(Instant.parse("2024-05-02T14:00:00Z").getEpochSecond());
    assertThat(message.duration()).isEqualTo(12.5);
    assertThat(message.release()).isEqualTo("app@1.0");
    assertThat(message.environment()).isEqualTo("production");
    assertThat(message.sdk()).isEqualTo("sentry.java/8.63.0");
    assertThat(message.quantity()).isEqualTo(1);
    assertThat(message.retentionDays()).isEqualTo(90);
  }

  @Test
  void aSessionUpdateWithFieldsOfItsOwnIsReadAndAMalformedOneMakesNoMessage() {
    String valid = "{\"started\":\"2024-05-02T14:00:00Z\",\"extra\":{\"a\":[1,{\"b\":2}]},"
        + "\"list\":[[]],\"attrs\":{\"release\":\"app@1.0\",\"ip_address\":{\"x\":1},"
        + "\"environment\":\"prod\"},\"errors\":18446744073709551616,\"status\":\"abnormal\"}";
    List<ProducedRecord> records = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"session\"}", valid).parse(), SCOPE).records();
    assertThat(records).singleElement().satisfies(record -> {
      SessionMessage message = SessionCodec.decode(record.value());
      assertThat(message.environment()).isEqualTo("prod");
      assertThat(message.status()).isEqualTo("abnormal");
      assertThat(message.errors()).as("capped").isEqualTo(0xFFFF);
    });

    String base = "\"started\":\"2024-05-02T14:00:00Z\"";
    List<String> malformed = List.of(
        "{" + base + ",\"attrs\":{\"release\":\"app@1.0\"}} trailing",
        "{" + base + ",\"attrs\":{\"release\":\"app@1.0\"}",
        "[{" + base + ",\"attrs\":{\"release\":\"app@1.0\"}}]",
        "{" + base + ",\"attrs\":{\"release\":\"app@1.0\",\"environment\":7}}",
        "{" + base + ",\"attrs\":{\"release\":{\"v\":\"app@1.0\"}}}",
        "{" + base + ",\"attrs\":[\"app@1.0\"]}",
        "{" + base + ",\"sid\":{},\"attrs\":{\"release\":\"app@1.0\"}}",
        "{" + base + ",\"init\":\"yes\",\"attrs\":{\"release\":\"app@1.0\"}}",
        "{" + base + ",\"seq\":-1,\"attrs\":{\"release\":\"app@1.0\"}}",
        "{" + base + ",\"duration\":[1],\"attrs\":{\"release\":\"app@1.0\"}}",
        "{\"started\":{},\"attrs\":{\"release\":\"app@1.0\"}}");
    for (String session : malformed) {
      RoutedEnvelope routed = routing.route(Envelopes.header("{}")
          .item("{\"type\":\"session\"}", session).parse(), SCOPE);
      assertThat(routed.records()).as(session).isEmpty();
    }
  }

  @Test
  void aCrashedSessionCountsAtLeastOneError() {
    String session = "{\"started\":\"2024-05-02T14:00:00Z\",\"status\":\"crashed\","
        + "\"seq\":3,\"attrs\":{\"release\":\"app@1.0\"}}";
    SessionMessage message = SessionCodec.decode(routing.route(Envelopes.header("{}")
        .item("{\"type\":\"session\"}", session).parse(), SCOPE).records().get(0).value());

    assertThat(message.errors()).isEqualTo(1);
    assertThat(message.seq()).isEqualTo(3);
    assertThat(message.distinctId()).isEqualTo(SessionMessage.NIL);
  }

  @Test
  void sessionAggregatesExplodeIntoOneMessagePerStatusCount() {
    String did = "a9f2d6e2-9a7b-4bd4-9f4f-6e9e4f1c2b3a";
    String aggregates = "{\"aggregates\":["
        + "{\"started\":\"2024-05-02T14:00:00Z\",\"did\":\"" + did + "\",\"exited\":5,\"crashed\":1},"
        + "{\"started\":\"2024-05-02T14:01:00Z\",\"errored\":2,\"abnormal\":3}],"
        + "\"attrs\":{\"release\":\"app@2.0\",\"environment\":\"staging\"}}";
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"sessions\"}", aggregates).parse(), SCOPE);

    List<SessionMessage> messages = routed.records().stream()
        .map(r -> SessionCodec.decode(r.value())).toList();
    assertThat(messages).extracting(SessionMessage::status, SessionMessage::quantity,
            SessionMessage::errors)
        .containsExactly(
            Tuple.tuple("exited", 5L, 0),
            Tuple.tuple("crashed", 1L, 1),
            Tuple.tuple("errored", 2L, 1),
            Tuple.tuple("abnormal", 3L, 1));
    assertThat(messages.get(0).distinctId()).isEqualTo(UUID.fromString(did));
    assertThat(messages.get(2).distinctId()).isEqualTo(SessionMessage.NIL);
    assertThat(messages).allSatisfy(m -> {
      assertThat(m.sessionId()).isEqualTo(SessionMessage.NIL);
      assertThat(m.seq()).isZero();
      assertThat(m.release()).isEqualTo("app@2.0");
      assertThat(m.environment()).isEqualTo("staging");
      assertThat(m.received()).isEqualTo(RECEIVED.getEpochSecond() + 0.123456);
    });
  }

  @Test
  void aSpanContainerExplodesIntoOneMessagePerSpanKeyedByTraceId() {
    String traceId = "5b8efff798038103d269b633813fc60c";
    StringBuilder items = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      items.append(i == 0 ? "" : ",").append("{\"trace_id\":\"").append(traceId)
          .append("\",\"span_id\":\"eee19b7ec3c1b17").append(i)
          .append("\",\"name\":\"GET /\",\"start_timestamp\":1714658607.5,")
          .append("\"end_timestamp\":1714658608.25,\"is_segment\":").append(i == 0)
          .append(",\"status\":\"ok\",\"attributes\":{\"http.method\":{\"type\":\"string\",")
          .append("\"value\":\"GET\"}}}");
    }
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"span\",\"item_count\":3,"
            + "\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}",
            "{\"items\":[" + items + "]}")
        .parse(), SCOPE.withRetention(90, 30));

    assertThat(routed.records()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      ProducedRecord record = routed.records().get(i);
      assertThat(record.topic()).isEqualTo(Topics.INGEST_SPANS);
      assertThat(record.key()).isEqualTo(Uuids.bytes(Uuids.parse(traceId)));
      assertThat(record.headers()).isEqualTo(Map.of("project_id", "42"));
      SpanMessage span = SpanCodec.decode(record.value());
      assertThat(span.organizationId()).isEqualTo(3);
      assertThat(span.projectId()).isEqualTo(42);
      assertThat(span.keyId()).isEqualTo(7L);
      assertThat(span.eventId()).isNull();
      assertThat(span.received()).isEqualTo(RECEIVED.getEpochSecond() + 0.123456);
      assertThat(span.retentionDays()).isEqualTo(90);
      assertThat(span.downsampledRetentionDays()).isEqualTo(30);
      assertThat(span.span().getString("span_id")).isEqualTo("eee19b7ec3c1b17" + i);
      assertThat(span.span().getDouble("end_timestamp")).isEqualTo(1714658608.25);
      assertThat(span.span().getBoolean("is_segment")).isEqualTo(i == 0);
      assertThat(span.span().getJsonObject("attributes").getJsonObject("http.method")
          .getString("value")).isEqualTo("GET");
    }
    assertThat(routed.acceptedOutcomes()).singleElement().satisfies(o -> {
      assertThat(o.outcome()).isEqualTo(OutcomeType.ACCEPTED.code());
      assertThat(o.category()).isEqualTo(DataCategory.SPAN_INDEXED.code());
      assertThat(o.quantity()).isEqualTo(3);
    });
  }

  @Test
  void invalidSpansOfAContainerGetInvalidOutcomes() {
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"span\",\"item_count\":2,"
            + "\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}",
            "{\"items\":[{\"trace_id\":\"5b8efff798038103d269b633813fc60c\"},42]}")
        .item("{\"type\":\"span\"}", "not json")
        .parse(), SCOPE);

    assertThat(routed.records()).hasSize(1);
    assertThat(routed.outcomes()).extracting(Outcome::reason, Outcome::category, Outcome::quantity)
        .containsExactly(
            Tuple.tuple("invalid_span", DataCategory.SPAN.code(), 1L),
            Tuple.tuple("invalid_span", DataCategory.SPAN_INDEXED.code(), 1L));
    assertThat(routed.dropped()).singleElement()
        .satisfies(d -> assertThat(d.invalidReason()).contains("invalid_span"));
  }

  @Test
  void logsAreTraceItemProtobufsOnSnubaItems() {
    String log = "{\"timestamp\":1714658607.25,\"trace_id\":\"5B8EFFF798038103D269B633813FC60C\","
        + "\"span_id\":\"EEE19B7EC3C1B174\",\"level\":\"info\",\"body\":\"hello\","
        + "\"attributes\":{\"user.id\":{\"type\":\"integer\",\"value\":42},"
        + "\"ratio\":{\"type\":\"double\",\"value\":0.5},"
        + "\"flag\":{\"type\":\"boolean\",\"value\":true},"
        + "\"name\":{\"type\":\"string\",\"value\":\"x\"},"
        + "\"bad\":{\"type\":\"integer\",\"value\":\"nope\"}}}";
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"log\",\"item_count\":2,"
            + "\"content_type\":\"application/vnd.sentry.items.log+json\"}",
            "{\"items\":[" + log + ",{\"level\":\"info\"}]}")
        .parse(), SCOPE);

    assertThat(routed.records()).hasSize(1);
    ProducedRecord record = routed.records().get(0);
    assertThat(record.topic()).isEqualTo(Topics.SNUBA_ITEMS);
    assertThat(record.key()).isNull();
    assertThat(record.headers()).isEqualTo(Map.of("project_id", "42", "item_type", "3"));
    TraceItemMessage message = TraceItemMessage.fromRecord(record.value(), record.headers());
    assertThat(message.itemType()).isEqualTo(TraceItems.TYPE_LOG);

    var item = Protobuf.read(record.value());
    assertThat(Protobuf.one(item, 1)).isEqualTo(3L);
    assertThat(Protobuf.one(item, 2)).isEqualTo(42L);
    assertThat(Protobuf.string(item, 3)).isEqualTo("5b8efff798038103d269b633813fc60c");
    byte[] itemId = (byte[]) Protobuf.one(item, 4);
    assertThat(itemId).hasSize(16);
    assertThat((itemId[6] & 0xF0) >> 4).isEqualTo(7);
    assertThat(Protobuf.one(item, 5)).isEqualTo(3L);
    var timestamp = Protobuf.read((byte[]) Protobuf.one(item, 6));
    assertThat(Protobuf.one(timestamp, 1)).isEqualTo(1714658607L);
    assertThat(Protobuf.one(timestamp, 2)).isEqualTo(250_000_000L);
    assertThat(Double.longBitsToDouble((Long) Protobuf.one(item, 8))).isEqualTo(1.0);
    assertThat(Double.longBitsToDouble((Long) Protobuf.one(item, 9))).isEqualTo(1.0);
    assertThat(Protobuf.one(item, 100)).isEqualTo(90L);
    var received = Protobuf.read((byte[]) Protobuf.one(item, 101));
    assertThat(Protobuf.one(received, 1)).isEqualTo(RECEIVED.getEpochSecond());
    assertThat(Protobuf.one(item, 102)).isEqualTo(90L);

    Map<String, Object> attributes = Protobuf.attributes(item);
    assertThat(attributes).containsEntry("user.id", 42L)
        .containsEntry("ratio", 0.5)
        .containsEntry("flag", true)
        .containsEntry("name", "x")
        .containsEntry("sentry.severity_text", "info")
        .containsEntry("sentry.body", "hello")
        .containsEntry("sentry.span_id", "eee19b7ec3c1b174")
        .containsEntry("sentry.timestamp_precise", 1714658607_250_000_000L)
        .doesNotContainKey("bad");
    assertThat((Long) attributes.get("sentry.payload_size_bytes")).isPositive();

    // the second log lacks its required fields: invalid, counted by item and byte
    assertThat(routed.outcomes()).extracting(Outcome::reason, Outcome::category)
        .containsExactly(
            Tuple.tuple("invalid_log", DataCategory.LOG_ITEM.code()),
            Tuple.tuple("invalid_log", DataCategory.LOG_BYTE.code()));
    assertThat(routed.acceptedOutcomes()).extracting(Outcome::category, Outcome::quantity)
        .containsExactly(
            Tuple.tuple(DataCategory.LOG_ITEM.code(), 1L),
            Tuple.tuple(DataCategory.LOG_BYTE.code(),
                attributes.get("sentry.payload_size_bytes")));
  }

  @Test
  void traceMetricsAreTraceItemsOfTypeMetric() {
    String metric = "{\"timestamp\":1714658607.0,\"trace_id\":\"5b8efff798038103d269b633813fc60c\","
        + "\"name\":\"http.request.duration\",\"type\":\"distribution\",\"value\":123.45,"
        + "\"attributes\":{\"sentry.client_sample_rate\":{\"type\":\"double\",\"value\":0.25}}}";
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"trace_metric\",\"item_count\":1,"
            + "\"content_type\":\"application/vnd.sentry.items.trace-metric+json\"}",
            "{\"items\":[" + metric + "]}")
        .parse(), SCOPE);

    ProducedRecord record = routed.records().get(0);
    assertThat(record.headers()).containsEntry("item_type", "8");
    var item = Protobuf.read(record.value());
    assertThat(Protobuf.one(item, 5)).isEqualTo(8L);
    assertThat(Double.longBitsToDouble((Long) Protobuf.one(item, 8))).isEqualTo(0.25);
    assertThat(Protobuf.attributes(item))
        .containsEntry("sentry.metric_name", "http.request.duration")
        .containsEntry("sentry.metric_type", "distribution")
        .containsEntry("sentry.value", 123.45)
        .containsEntry("sentry._internal.cooccuring.name.http.request.duration", true)
        .containsEntry("sentry._internal.cooccuring.type.distribution", true);
    assertThat(routed.acceptedOutcomes()).singleElement()
        .satisfies(o -> assertThat(o.category()).isEqualTo(DataCategory.TRACE_METRIC.code()));
  }

  @Test
  void profilesAndProfileChunksGoToProfiles() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"profile\",\"sampled\":false}", "{\"profile\":{}}")
        .item("{\"type\":\"profile_chunk\",\"platform\":\"python\"}", "{\"chunk\":1}")
        .parse(), SCOPE);

    assertThat(routed.records()).extracting(ProducedRecord::topic)
        .containsExactly(Topics.PROFILES, Topics.PROFILES);
    assertThat(routed.records()).allSatisfy(r -> assertThat(r.key()).isNull());
    ProfileMessage profile = (ProfileMessage) decode(routed.records().get(0));
    assertThat(profile.organizationId()).isEqualTo(3);
    assertThat(profile.keyId()).isEqualTo(7L);
    assertThat(profile.sampled()).isFalse();
    assertThat(routed.records().get(0).headers()).containsEntry("sampled", "false");
    ProfileChunkMessage chunk = (ProfileChunkMessage) decode(routed.records().get(1));
    assertThat(utf8(chunk.payload())).isEqualTo("{\"chunk\":1}");
  }

  @Test
  void aReplayRecordingCarriesTheReplayEventOnIngestReplayRecordings() {
    String replayEvent = "{\"type\":\"replay_event\",\"replay_id\":\"" + EVENT_ID + "\"}";
    byte[] recording = bytes(300, 9);
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"replay_event\"}", replayEvent)
        .item("{\"type\":\"replay_recording\"", recording)
        .parse(), SCOPE);

    ProducedRecord record = routed.records().get(0);
    assertThat(routed.records()).hasSize(1);
    assertThat(record.topic()).isEqualTo(Topics.INGEST_REPLAY_RECORDINGS);
    assertThat(record.key()).isNull();
    ReplayRecordingMessage replay = (ReplayRecordingMessage) decode(record);
    assertThat(replay.replayId()).isEqualTo(EVENT_ID);
    assertThat(replay.payload()).isEqualTo(recording);
    assertThat(utf8(replay.replayEvent())).isEqualTo(replayEvent);
    assertThat(replay.replayVideo()).isNull();
    assertThat(replay.orgId()).isEqualTo(3);
    assertThat(replay.keyId()).isEqualTo(7L);
    assertThat(replay.relaySnubaPublishDisabled()).isTrue();
  }

  @Test
  void aReplayVideoIsUnpackedIntoARecordingMessage() throws IOException {
    MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
    packer.packMapHeader(3);
    for (String key : List.of("replay_event", "replay_recording", "replay_video")) {
      packer.packString(key);
      byte[] value = key.getBytes(StandardCharsets.UTF_8);
      packer.packBinaryHeader(value.length);
      packer.writePayload(value);
    }
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"replay_video\"", packer.toByteArray())
        .item("{\"type\":\"replay_video\"", bytes(4, 0))
        .parse(), SCOPE);

    ReplayRecordingMessage replay = (ReplayRecordingMessage) decode(routed.records().get(0));
    assertThat(utf8(replay.replayEvent())).isEqualTo("replay_event");
    assertThat(utf8(replay.payload())).isEqualTo("replay_recording");
    assertThat(utf8(replay.replayVideo())).isEqualTo("replay_video");
    assertThat(routed.dropped()).singleElement()
        .satisfies(d -> assertThat(d.invalidReason()).contains("invalid_replay"));
  }

  @Test
  void aReplayRecordingOverTheMessageLimitIsDroppedAsTooLarge() {
    KafkaRouting small = KafkaRouting.create(TopicNames.identity(),
        KafkaRouting.DEFAULT_ATTACHMENT_CHUNK_SIZE, 2100);
    RoutedEnvelope routed = small.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"replay_recording\"", bytes(100, 1)).parse(), SCOPE);

    assertThat(routed.records()).isEmpty();
    assertThat(routed.dropped()).singleElement()
        .satisfies(d -> assertThat(d.invalidReason()).contains("too_large:replay_recording"));
  }

  @Test
  void clientReportsBecomeOutcomesNotRecords() {
    String report = "{\"timestamp\":" + (RECEIVED.getEpochSecond() - 10) + ","
        + "\"discarded_events\":[{\"reason\":\"queue_overflow\",\"category\":\"error\",\"quantity\":3},"
        + "{\"reason\":\"queue_overflow\",\"category\":\"error\",\"quantity\":2}],"
        + "\"rate_limited_events\":[{\"reason\":\"\",\"category\":\"transaction\",\"quantity\":1}]}";
    RoutedEnvelope routed = routing.route(Envelopes.header("{}")
        .item("{\"type\":\"client_report\"}", report).parse(), SCOPE);

    assertThat(routed.records()).isEmpty();
    assertThat(routed.dropped()).isEmpty();
    assertThat(routed.outcomes()).hasSize(2);
    Outcome rateLimited = routed.outcomes().get(0);
    assertThat(rateLimited.outcome()).isEqualTo(OutcomeType.RATE_LIMITED.code());
    assertThat(rateLimited.reason()).isNull();
    Outcome discard = routed.outcomes().get(1);
    assertThat(discard.outcome()).isEqualTo(OutcomeType.CLIENT_DISCARD.code());
    assertThat(discard.reason()).isEqualTo("queue_overflow");
    assertThat(discard.category()).isEqualTo(DataCategory.ERROR.code());
    assertThat(discard.quantity()).isEqualTo(5);
    assertThat(discard.timestamp()).isEqualTo(Instant.ofEpochSecond(RECEIVED.getEpochSecond() - 10));
    assertThat(discard.orgId()).isEqualTo(3L);
    assertThat(discard.projectId()).isEqualTo(42);
    assertThat(discard.keyId()).isEqualTo(7L);
    assertThat(discard.eventId()).isNull();
    assertThat(discard.remoteAddr()).isNull();
  }

  @Test
  void metricsUnknownAndUnsupportedItemsAreDropped() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"statsd\"}", "foo:1|c")
        .item("{\"type\":\"metric_buckets\"}", "[]")
        .item("{\"type\":\"something_new\"}", "{}")
        .item("{\"type\":\"unreal_report\"}", "xx")
        .item("{\"type\":\"form_data\"}", "a=b")
        .parse(), SCOPE);

    assertThat(routed.records()).isEmpty();
    assertThat(routed.dropped()).extracting(d -> d.item().typeName(), DroppedItem::reason)
        .containsExactly(
            Tuple.tuple("statsd", null),
            Tuple.tuple("metric_buckets", null),
            Tuple.tuple("something_new", null),
            Tuple.tuple("unreal_report", "process_unreal"),
            Tuple.tuple("form_data", null));
  }

  @Test
  void aSecondEventItemIsDroppedAsDuplicate() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", EVENT_JSON)
        .item("{\"type\":\"event\"}", "{\"message\":\"second\"}")
        .parse(), SCOPE);

    assertThat(routed.records()).hasSize(1);
    assertThat(utf8(((EventMessage) decode(routed.records().get(0))).payload()))
        .isEqualTo(EVENT_JSON);
    assertThat(routed.dropped()).singleElement()
        .satisfies(d -> assertThat(d.reason()).isEqualTo("duplicate_item"));
  }

  @Test
  void topicNamesAreMapped() {
    KafkaRouting prefixed = KafkaRouting.create(TopicNames.prefixed("t1-"));
    RoutedEnvelope routed = prefixed.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", EVENT_JSON)
        .item("{\"type\":\"check_in\"}", "{\"monitor_slug\":\"m\",\"status\":\"ok\"}")
        .parse(), SCOPE);

    assertThat(routed.records()).extracting(ProducedRecord::topic)
        .containsExactly("t1-ingest-monitors", "t1-ingest-events");
    assertThat(prefixed.topics()).contains("t1-ingest-events", "t1-snuba-items")
        .doesNotContain("t1-outcomes").allSatisfy(t -> assertThat(t).startsWith("t1-"));
  }

  @Test
  void aMixedEnvelopeKeepsRelaysOrderWithTheEventLast() {
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", EVENT_JSON)
        .item("{\"type\":\"attachment\"", bytes(3, 0))
        .item("{\"type\":\"profile\"}", "{}")
        .item("{\"type\":\"client_report\"}",
            "{\"discarded_events\":[{\"reason\":\"x\",\"category\":\"span\",\"quantity\":1}]}")
        .parse(), SCOPE);

    assertThat(routed.records()).extracting(r -> decode(r).type())
        .containsExactly("attachment_chunk", "profile", "event");
    assertThat(routed.outcomes()).hasSize(1);
    assertThat(routed.records().get(2).topic()).isEqualTo(Topics.INGEST_ATTACHMENTS);
  }
}

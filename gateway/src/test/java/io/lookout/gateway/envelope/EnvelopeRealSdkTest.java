package io.lookout.gateway.envelope;

import io.lookout.storage.kafka.message.DataCategory;
import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.Attachment;
import io.sentry.CheckIn;
import io.sentry.CheckInStatus;
import io.sentry.JsonSerializer;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SentryLogEvent;
import io.sentry.SentryLogEvents;
import io.sentry.SentryLogLevel;
import io.sentry.SentryMetricsEvent;
import io.sentry.SentryMetricsEvents;
import io.sentry.SentryOptions;
import io.sentry.Session;
import io.sentry.UserFeedback;
import io.sentry.clientreport.ClientReport;
import io.sentry.clientreport.DiscardedEvent;
import io.sentry.protocol.Feedback;
import io.sentry.protocol.Message;
import io.sentry.protocol.SdkVersion;
import io.sentry.protocol.SentryId;
import io.sentry.protocol.SentryTransaction;
import io.sentry.protocol.TransactionInfo;
import io.sentry.protocol.User;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Envelopes as real SDKs send them. The Java SDK's own serializer builds them (what a real SDK
 * sends is the contract); the @sentry/node shapes are written by hand after what its transport
 * sends: items without {@code length} (attachments excepted) and no newline after the last one.
 */
class EnvelopeRealSdkTest {

  private static final String DSN = "https://e12d836b15bb49d7bbf99e64295d995b@127.0.0.1:9000/42";
  private static final SdkVersion SDK = new SdkVersion("sentry.java", "8.63.0");

  private final JsonSerializer serializer = new JsonSerializer(options());

  private static SentryOptions options() {
    SentryOptions options = new SentryOptions();
    options.setDsn(DSN);
    return options;
  }

  /** Serializes as the SDK's HttpConnection does (gzip), then inflates as the gateway will. */
  private Envelope sendAndParse(SentryEnvelope envelope) throws Exception {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    try (OutputStream gzip = new GZIPOutputStream(wire)) {
      serializer.serialize(envelope, gzip);
    }
    byte[] body;
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(wire.toByteArray()))) {
      body = in.readAllBytes();
    }
    return EnvelopeParser.parse(Buffer.buffer(body));
  }

  private static JsonObject json(EnvelopeItem item) {
    return new JsonObject(item.payload());
  }

  private static void assertJavaSdkFraming(Envelope envelope) {
    assertThat(envelope.sdk()).hasValueSatisfying(sdk -> assertThat(sdk.getString("name")).isEqualTo("sentry.java"));
    // The Java SDK always sends length: every payload has exactly the declared size.
    assertThat(envelope.items()).allSatisfy(item ->
        assertThat(item.length()).hasValue(item.payloadLength()));
  }

  @Test
  void javaSdkErrorEvent() throws Exception {
    SentryEvent event = new SentryEvent(new IllegalStateException("boom\nwith a newline"));
    Message message = new Message();
    message.setFormatted("something broke");
    event.setMessage(message);
    event.setLevel(SentryLevel.ERROR);

    Envelope envelope = sendAndParse(SentryEnvelope.from(serializer, event, SDK));

    assertJavaSdkFraming(envelope);
    assertThat(envelope.eventId()).contains(event.getEventId().toString());
    EnvelopeItem item = envelope.items().get(0);
    assertThat(envelope.items()).hasSize(1);
    assertThat(item.type()).isEqualTo(ItemType.EVENT);
    assertThat(item.isEventLike()).isTrue();
    assertThat(item.dataCategory()).contains(DataCategory.ERROR);
    assertThat(item.contentType()).isEqualTo(ContentType.JSON);
    assertThat(json(item).getString("event_id")).isEqualTo(event.getEventId().toString());
    assertThat(json(item).getString("level")).isEqualTo("error");
  }

  @Test
  void javaSdkTransaction() throws Exception {
    double start = System.currentTimeMillis() / 1000.0;
    SentryTransaction transaction = new SentryTransaction(
        "GET /orders", start, start + 0.25, List.of(), Map.of(), new TransactionInfo("route"));

    Envelope envelope = sendAndParse(SentryEnvelope.from(serializer, transaction, SDK));

    assertJavaSdkFraming(envelope);
    assertThat(envelope.eventId()).contains(transaction.getEventId().toString());
    EnvelopeItem item = envelope.items().get(0);
    assertThat(item.type()).isEqualTo(ItemType.TRANSACTION);
    assertThat(item.dataCategory()).contains(DataCategory.TRANSACTION);
    assertThat(json(item).getString("transaction")).isEqualTo("GET /orders");
  }

  @Test
  void javaSdkEventWithTextAndBinaryAttachments() throws Exception {
    SentryEvent event = new SentryEvent();
    byte[] log = "line 1\nline 2\r\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] minidump = {'M', 'D', 'M', 'P', '\n', 0, (byte) 0xFF, (byte) 0xC0, (byte) 0x80, '\n', '\n'};
    SentryEnvelope sent = new SentryEnvelope(event.getEventId(), SDK, List.of(
        SentryEnvelopeItem.fromEvent(serializer, event),
        SentryEnvelopeItem.fromAttachment(serializer, options().getLogger(),
            new Attachment(log, "app.log", "text/plain"), 20 * 1024 * 1024),
        SentryEnvelopeItem.fromAttachment(serializer, options().getLogger(),
            new Attachment(minidump, "crash.dmp", "application/x-dmp", "event.minidump", false), 20 * 1024 * 1024)));

    Envelope envelope = sendAndParse(sent);

    assertJavaSdkFraming(envelope);
    assertThat(envelope.items()).extracting(EnvelopeItem::type)
        .containsExactly(ItemType.EVENT, ItemType.ATTACHMENT, ItemType.ATTACHMENT);
    EnvelopeItem text = envelope.items().get(1);
    assertThat(text.payload().getBytes()).isEqualTo(log);
    assertThat(text.filename()).contains("app.log");
    assertThat(text.attachmentType()).isEqualTo(AttachmentType.ATTACHMENT);
    assertThat(text.quantity()).isEqualTo(log.length);
    EnvelopeItem dump = envelope.items().get(2);
    assertThat(dump.payload().getBytes()).isEqualTo(minidump);
    assertThat(dump.attachmentType()).isEqualTo(AttachmentType.MINIDUMP);
    assertThat(dump.contentType()).isEqualTo(ContentType.MINIDUMP);
    assertThat(dump.isEventLike()).isTrue();
    assertThat(dump.quantities()).containsExactly(
        new ItemQuantity(DataCategory.ATTACHMENT, minidump.length), new ItemQuantity(DataCategory.ATTACHMENT_ITEM, 1));
  }

  @Test
  void javaSdkSession() throws Exception {
    User user = new User();
    user.setId("user-1");
    Session session = new Session("distinct-1", user, "production", "shop@1.0.0");

    Envelope envelope = sendAndParse(SentryEnvelope.from(serializer, session, SDK));

    assertJavaSdkFraming(envelope);
    assertThat(envelope.eventId()).isEmpty();
    assertThat(envelope.requiresEvent()).isFalse();
    EnvelopeItem item = envelope.items().get(0);
    assertThat(item.type()).isEqualTo(ItemType.SESSION);
    assertThat(item.quantities()).containsExactly(new ItemQuantity(DataCategory.SESSION, 1));
    assertThat(json(item).getJsonObject("attrs").getString("release")).isEqualTo("shop@1.0.0");
  }

  @Test
  void javaSdkCheckIn() throws Exception {
    CheckIn checkIn = new CheckIn("nightly-report", CheckInStatus.OK);
    checkIn.setDuration(12.5);

    Envelope envelope = sendAndParse(new SentryEnvelope(checkIn.getCheckInId(), SDK,
        SentryEnvelopeItem.fromCheckIn(serializer, checkIn)));

    assertJavaSdkFraming(envelope);
    EnvelopeItem item = envelope.items().get(0);
    assertThat(item.type()).isEqualTo(ItemType.CHECK_IN);
    assertThat(item.dataCategory()).contains(DataCategory.MONITOR);
    assertThat(json(item).getString("monitor_slug")).isEqualTo("nightly-report");
    assertThat(json(item).getString("status")).isEqualTo("ok");
  }

  @Test
  @SuppressWarnings("deprecation") // UserFeedback: older SDKs still send user_report items
  void javaSdkUserFeedbackOldAndNew() throws Exception {
    SentryId eventId = new SentryId();
    UserFeedback legacy = new UserFeedback(eventId, "Jane", "jane@example.com", "It crashed");
    SentryEvent feedbackEvent = new SentryEvent();
    Feedback feedback = new Feedback("The checkout button does nothing");
    feedback.setAssociatedEventId(eventId);
    feedbackEvent.getContexts().setFeedback(feedback);

    Envelope envelope = sendAndParse(new SentryEnvelope(feedbackEvent.getEventId(), SDK, List.of(
        SentryEnvelopeItem.fromUserFeedback(serializer, legacy),
        SentryEnvelopeItem.fromEvent(serializer, feedbackEvent))));

    assertJavaSdkFraming(envelope);
    EnvelopeItem userReport = envelope.items().get(0);
    assertThat(userReport.type()).isEqualTo(ItemType.USER_REPORT);
    assertThat(userReport.isEventLike()).isFalse();
    assertThat(userReport.dataCategory()).contains(DataCategory.FEEDBACK);
    assertThat(json(userReport).getString("comments")).isEqualTo("It crashed");
    EnvelopeItem newFeedback = envelope.items().get(1);
    assertThat(newFeedback.type()).isEqualTo(ItemType.FEEDBACK);
    assertThat(newFeedback.isEventLike()).isTrue();
    assertThat(newFeedback.dataCategory()).contains(DataCategory.FEEDBACK);
  }

  @Test
  void javaSdkClientReportLogsAndMetrics() throws Exception {
    SentryId traceId = new SentryId();
    double now = System.currentTimeMillis() / 1000.0;
    SentryLogEvents logs = new SentryLogEvents(List.of(
        new SentryLogEvent(traceId, now, "user logged in", SentryLogLevel.INFO),
        new SentryLogEvent(traceId, now, "cart emptied", SentryLogLevel.WARN)));
    SentryMetricsEvents metrics = new SentryMetricsEvents(List.of(
        new SentryMetricsEvent(traceId, now, "orders.placed", "counter", 1.0)));
    ClientReport report = new ClientReport(new Date(), List.of(new DiscardedEvent("ratelimit_backoff", "error", 3L)));

    Envelope envelope = sendAndParse(new SentryEnvelope(null, SDK, List.of(
        SentryEnvelopeItem.fromClientReport(serializer, report),
        SentryEnvelopeItem.fromLogs(serializer, logs),
        SentryEnvelopeItem.fromMetrics(serializer, metrics))));

    assertJavaSdkFraming(envelope);
    assertThat(envelope.items()).extracting(EnvelopeItem::type)
        .containsExactly(ItemType.CLIENT_REPORT, ItemType.LOG, ItemType.TRACE_METRIC);
    assertThat(envelope.items().get(0).dataCategory()).isEmpty();
    EnvelopeItem log = envelope.items().get(1);
    assertThat(log.isContainer()).isTrue();
    assertThat(log.containerCount()).isEqualTo(2);
    assertThat(log.dataCategory()).contains(DataCategory.LOG_ITEM);
    assertThat(log.quantity()).isEqualTo(2);
    EnvelopeItem metric = envelope.items().get(2);
    assertThat(metric.dataCategory()).contains(DataCategory.TRACE_METRIC);
    assertThat(metric.quantity()).isEqualTo(1);
  }

  // ---- @sentry/node 11 shapes: no length (except attachments), no trailing newline ----

  private static final String NODE_SDK = "\"sdk\":{\"name\":\"sentry.javascript.node\",\"version\":\"11.0.0\"}";
  private static final String NODE_TRACE = "\"trace\":{\"environment\":\"production\",\"release\":\"shop@1.0.0\","
      + "\"public_key\":\"e12d836b15bb49d7bbf99e64295d995b\",\"trace_id\":\"771a43a4192642f0b136d5159a501700\","
      + "\"sample_rate\":\"1\",\"transaction\":\"GET /orders\",\"sampled\":\"true\"}";

  private static Envelope parseNode(String body) {
    assertThat(body).doesNotEndWith("\n");
    return EnvelopeParser.parse(Buffer.buffer(body));
  }

  @Test
  void nodeErrorEventWithAttachment() {
    String event = "{\"exception\":{\"values\":[{\"type\":\"Error\",\"value\":\"boom\",\"stacktrace\":{\"frames\":"
        + "[{\"filename\":\"/app/index.js\",\"function\":\"handler\",\"lineno\":12,\"in_app\":true}]}}]},"
        + "\"event_id\":\"0a9f3c2b1d8e4f6a9b7c5d3e1f2a4b6c\",\"platform\":\"node\",\"level\":\"error\"}";
    Envelope envelope = parseNode("{\"event_id\":\"0a9f3c2b1d8e4f6a9b7c5d3e1f2a4b6c\",\"sent_at\":\"2025-06-01T12:00:00.000Z\","
        + NODE_SDK + "," + NODE_TRACE + "}\n"
        + "{\"type\":\"event\"}\n" + event + "\n"
        + "{\"type\":\"attachment\",\"length\":9,\"filename\":\"note.txt\",\"content_type\":\"text/plain\"}\nline\nline");

    assertThat(envelope.eventId()).contains("0a9f3c2b1d8e4f6a9b7c5d3e1f2a4b6c");
    assertThat(envelope.trace()).hasValueSatisfying(t -> assertThat(t.getString("trace_id")).isEqualTo("771a43a4192642f0b136d5159a501700"));
    assertThat(envelope.items()).extracting(EnvelopeItem::type).containsExactly(ItemType.EVENT, ItemType.ATTACHMENT);
    assertThat(envelope.items().get(0).payload().toString()).isEqualTo(event);
    assertThat(envelope.items().get(0).length()).isEmpty();
    assertThat(envelope.items().get(1).payload().toString()).isEqualTo("line\nline");
  }

  @Test
  void nodeSpanV2Container() {
    String spans = "{\"items\":["
        + "{\"trace_id\":\"771a43a4192642f0b136d5159a501700\",\"span_id\":\"a1b2c3d4e5f60718\",\"name\":\"GET /orders\","
        + "\"status\":\"ok\",\"is_segment\":true,\"start_timestamp\":1748779200.0,\"end_timestamp\":1748779200.25,\"attributes\":{}},"
        + "{\"trace_id\":\"771a43a4192642f0b136d5159a501700\",\"span_id\":\"b1b2c3d4e5f60718\",\"parent_span_id\":\"a1b2c3d4e5f60718\","
        + "\"name\":\"SELECT orders\",\"status\":\"ok\",\"is_segment\":false,\"start_timestamp\":1748779200.01,"
        + "\"end_timestamp\":1748779200.2,\"attributes\":{\"db.system\":{\"type\":\"string\",\"value\":\"postgresql\"}}}]}";
    Envelope envelope = parseNode("{\"sent_at\":\"2025-06-01T12:00:00.300Z\"," + NODE_SDK + "," + NODE_TRACE + "}\n"
        + "{\"type\":\"span\",\"item_count\":2,\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}\n" + spans);

    EnvelopeItem item = envelope.items().get(0);
    assertThat(envelope.eventId()).isEmpty();
    assertThat(item.type()).isEqualTo(ItemType.SPAN);
    assertThat(item.isContainer()).isTrue();
    assertThat(item.quantities()).containsExactly(
        new ItemQuantity(DataCategory.SPAN, 2), new ItemQuantity(DataCategory.SPAN_INDEXED, 2));
    assertThat(new JsonObject(item.payload()).getJsonArray("items")).hasSize(2);
  }

  @Test
  void nodeLogsTraceMetricsSessionAndCheckIn() {
    Envelope envelope = parseNode("{\"sent_at\":\"2025-06-01T12:00:00.000Z\"," + NODE_SDK + "}\n"
        + "{\"type\":\"log\",\"item_count\":2,\"content_type\":\"application/vnd.sentry.items.log+json\"}\n"
        + "{\"items\":[{\"timestamp\":1748779200.1,\"level\":\"info\",\"body\":\"user logged in\",\"trace_id\":\"771a43a4192642f0b136d5159a501700\"},"
        + "{\"timestamp\":1748779200.2,\"level\":\"warn\",\"body\":\"cart emptied\",\"trace_id\":\"771a43a4192642f0b136d5159a501700\"}]}\n"
        + "{\"type\":\"trace_metric\",\"item_count\":1,\"content_type\":\"application/vnd.sentry.items.trace-metric+json\"}\n"
        + "{\"items\":[{\"timestamp\":1748779200.1,\"trace_id\":\"771a43a4192642f0b136d5159a501700\",\"name\":\"orders.placed\",\"type\":\"counter\",\"value\":1}]}\n"
        + "{\"type\":\"session\"}\n"
        + "{\"sid\":\"d2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7\",\"init\":true,\"started\":\"2025-06-01T11:59:00.000Z\","
        + "\"timestamp\":\"2025-06-01T12:00:00.000Z\",\"status\":\"exited\",\"errors\":0,\"attrs\":{\"release\":\"shop@1.0.0\"}}\n"
        + "{\"type\":\"check_in\"}\n"
        + "{\"check_in_id\":\"4f1e2d3c4b5a69788796a5b4c3d2e1f0\",\"monitor_slug\":\"nightly-report\",\"status\":\"in_progress\"}");

    assertThat(envelope.items()).extracting(EnvelopeItem::type)
        .containsExactly(ItemType.LOG, ItemType.TRACE_METRIC, ItemType.SESSION, ItemType.CHECK_IN);
    assertThat(envelope.items()).extracting(EnvelopeItem::dataCategory).containsExactly(
        java.util.Optional.of(DataCategory.LOG_ITEM), java.util.Optional.of(DataCategory.TRACE_METRIC),
        java.util.Optional.of(DataCategory.SESSION), java.util.Optional.of(DataCategory.MONITOR));
    assertThat(envelope.items().get(0).quantity()).isEqualTo(2);
    assertThat(envelope.items()).allSatisfy(item -> new JsonObject(item.payload()));
    assertThat(new JsonObject(envelope.items().get(3).payload()).getString("monitor_slug")).isEqualTo("nightly-report");
  }

  @Test
  void nodeClientReportEnvelopeWithOnlyADsnHeader() {
    Envelope envelope = parseNode("{\"dsn\":\"" + DSN + "\"}\n{\"type\":\"client_report\"}\n"
        + "{\"timestamp\":1748779200.5,\"discarded_events\":[{\"reason\":\"sample_rate\",\"category\":\"transaction\",\"quantity\":4}]}");
    assertThat(envelope.dsn()).contains(DSN);
    EnvelopeItem item = envelope.items().get(0);
    assertThat(item.type()).isEqualTo(ItemType.CLIENT_REPORT);
    assertThat(item.dataCategory()).isEmpty();
  }

  @Test
  void nodeEnvelopeWithoutItemsHasNoNewline() {
    assertThat(parseNode("{\"sent_at\":\"2025-06-01T12:00:00.000Z\"," + NODE_SDK + "}").isEmpty()).isTrue();
  }
}

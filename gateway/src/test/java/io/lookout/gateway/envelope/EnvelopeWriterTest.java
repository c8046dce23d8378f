package io.lookout.gateway.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.JsonSerializer;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvelopeWriterTest {

  private static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";

  private static void assertSameEnvelope(Envelope actual, Envelope expected) {
    assertThat(actual.header()).isEqualTo(expected.header());
    assertThat(actual.size()).isEqualTo(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      EnvelopeItem a = actual.items().get(i);
      EnvelopeItem e = expected.items().get(i);
      assertThat(a.type()).isEqualTo(e.type());
      assertThat(a.typeName()).isEqualTo(e.typeName());
      assertThat(a.payload().getBytes()).isEqualTo(e.payload().getBytes());
      JsonObject withoutLength = e.header().copy();
      withoutLength.put("length", e.payloadLength());
      assertThat(a.header()).isEqualTo(withoutLength);
    }
  }

  @Test
  void writesRelaysLayoutWithLengthOnEveryItem() {
    Envelope envelope = Envelope.create(new JsonObject().put("event_id", EVENT_ID));
    envelope.add(EnvelopeItem.create(ItemType.EVENT, Buffer.buffer("{\"message\":\"hello world\",\"level\":\"error\"}")));
    envelope.add(EnvelopeItem.create(
        new JsonObject().put("type", "attachment").put("content_type", "text/plain").put("filename", "application.log"),
        Buffer.buffer("Hello\r\n")));

    String written = EnvelopeWriter.write(envelope).toString(StandardCharsets.UTF_8);

    assertThat(written).isEqualTo("{\"event_id\":\"" + EVENT_ID + "\"}\n"
        + "{\"type\":\"event\",\"length\":41}\n"
        + "{\"message\":\"hello world\",\"level\":\"error\"}\n"
        + "{\"type\":\"attachment\",\"content_type\":\"text/plain\",\"filename\":\"application.log\",\"length\":7}\n"
        + "Hello\r\n\n");
  }

  @Test
  void emptyEnvelopeIsItsHeaderAndANewline() {
    Envelope envelope = Envelope.create(new JsonObject().put("sent_at", "2025-06-01T12:00:00Z"));
    assertThat(EnvelopeWriter.write(envelope).toString()).isEqualTo("{\"sent_at\":\"2025-06-01T12:00:00Z\"}\n");
    assertThat(EnvelopeParser.parse(EnvelopeWriter.write(envelope)).isEmpty()).isTrue();
  }

  @Test
  void parsedNodeShapeRoundTripsWithLengthsAdded() {
    Envelope node = EnvelopeParser.parse(Buffer.buffer(
        "{\"event_id\":\"6b1e1a9d-2f0c-4d3e-9a7b-0c1d2e3f4a5b\",\"sdk\":{\"name\":\"sentry.javascript.node\"},\"custom\":[1,{\"a\":null}]}\n"
            + "{\"type\":\"event\"}\n{\"message\":\"m\"}\n"
            + "{\"type\":\"span\",\"item_count\":2,\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}\n{\"items\":[{},{}]}\n"
            + "{\"type\":\"brand_new\",\"x\":true}\nfuture\n"
            + "{\"type\":\"attachment\"}\n"));

    Buffer written = EnvelopeWriter.write(node);
    Envelope reparsed = EnvelopeParser.parse(written);

    assertSameEnvelope(reparsed, node);
    assertThat(reparsed.eventId()).contains("6b1e1a9d2f0c4d3e9a7b0c1d2e3f4a5b");
    assertThat(reparsed.items()).allSatisfy(item -> assertThat(item.length()).hasValue(item.payloadLength()));
    assertThat(reparsed.items().get(2).type()).isEqualTo(ItemType.UNKNOWN);
    assertThat(reparsed.items().get(2).typeName()).isEqualTo("brand_new");
    // Writing again gives the same bytes.
    assertThat(EnvelopeWriter.write(reparsed).getBytes()).isEqualTo(written.getBytes());
  }

  @Test
  void writingLeavesTheItemHeadersAlone() {
    Envelope envelope = EnvelopeParser.parse(Buffer.buffer("{}\n{\"type\":\"event\"}\n{}"));
    EnvelopeWriter.write(envelope);
    assertThat(envelope.items().get(0).header().containsKey("length")).isFalse();
  }

  @Test
  void binaryPayloadsWithNewlinesAndInvalidUtf8RoundTrip() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    Envelope envelope = Envelope.create(new JsonObject().put("event_id", EVENT_ID));
    envelope.add(EnvelopeItem.create(new JsonObject().put("type", "attachment").put("attachment_type", "event.minidump"),
        Buffer.buffer(binary)));
    envelope.add(EnvelopeItem.create(ItemType.ATTACHMENT, Buffer.buffer("\n\n")));
    envelope.add(EnvelopeItem.create(ItemType.ATTACHMENT, Buffer.buffer()));

    Envelope reparsed = EnvelopeParser.parse(EnvelopeWriter.write(envelope));

    assertSameEnvelope(reparsed, envelope);
    assertThat(reparsed.items().get(0).attachmentType()).isEqualTo(AttachmentType.MINIDUMP);
  }

  @Test
  void headerStringsWithNewlinesAndUnicodeStayOnOneLine() {
    Envelope envelope = Envelope.create(new JsonObject().put("note", "line 1\nline 2\r\u2028 \u00e9 \uD83D\uDE00"));
    envelope.add(EnvelopeItem.create(new JsonObject().put("type", "attachment").put("filename", "a\nb.txt"), Buffer.buffer("x")));

    Buffer written = EnvelopeWriter.write(envelope);
    Envelope reparsed = EnvelopeParser.parse(written);

    // Three lines and the final newline: JSON escapes the newlines inside strings.
    assertThat(written.toString(StandardCharsets.UTF_8).split("\n", -1)).hasSize(4);
    assertSameEnvelope(reparsed, envelope);
  }

  @Test
  void changesAfterParsingAreWritten() {
    Envelope envelope = EnvelopeParser.parse(Buffer.buffer(
        "{\"event_id\":\"" + EVENT_ID + "\"}\n{\"type\":\"event\"}\n{}\n{\"type\":\"weird\"}\nx\n{\"type\":\"attachment\",\"length\":3}\nabc"));
    envelope.retain(item -> item.type() != ItemType.UNKNOWN);
    envelope.items().get(0).setPayload(Buffer.buffer("{\"level\":\"info\"}"));
    envelope.header().put("sent_at", "2025-06-01T12:00:00Z");

    String written = EnvelopeWriter.write(envelope).toString();

    assertThat(written).isEqualTo("{\"event_id\":\"" + EVENT_ID + "\",\"sent_at\":\"2025-06-01T12:00:00Z\"}\n"
        + "{\"type\":\"event\",\"length\":16}\n{\"level\":\"info\"}\n"
        + "{\"type\":\"attachment\",\"length\":3}\nabc\n");
  }

  @Test
  void manyItemsRoundTrip() {
    Envelope envelope = Envelope.create(new JsonObject());
    for (int i = 0; i < 10_000; i++) {
      envelope.add(EnvelopeItem.create(ItemType.LOG, Buffer.buffer("{\"i\":" + i + "}")));
    }
    Envelope reparsed = EnvelopeParser.parse(EnvelopeWriter.write(envelope));
    assertThat(reparsed.size()).isEqualTo(10_000);
    assertThat(reparsed.items().get(9_999).payload().toString()).isEqualTo("{\"i\":9999}");
  }

  @Test
  void javaSdkReadsWhatWeWrite() throws Exception {
    SentryOptions options = new SentryOptions();
    options.setDsn("https://e12d836b15bb49d7bbf99e64295d995b@127.0.0.1:9000/42");
    JsonSerializer serializer = new JsonSerializer(options);
    Envelope envelope = EnvelopeParser.parse(Buffer.buffer(
        "{\"event_id\":\"" + EVENT_ID + "\",\"sdk\":{\"name\":\"sentry.javascript.node\",\"version\":\"11.0.0\"}}\n"
            + "{\"type\":\"event\"}\n{\"event_id\":\"" + EVENT_ID + "\",\"message\":{\"formatted\":\"hi\"},\"level\":\"warning\"}\n"
            + "{\"type\":\"attachment\",\"filename\":\"a.bin\",\"length\":3}\n\n\n\n"));

    SentryEnvelope read = serializer.deserializeEnvelope(new ByteArrayInputStream(EnvelopeWriter.write(envelope).getBytes()));

    assertThat(read).isNotNull();
    assertThat(read.getHeader().getEventId().toString()).isEqualTo(EVENT_ID);
    List<SentryEnvelopeItem> items = new ArrayList<>();
    read.getItems().forEach(items::add);
    assertThat(items).hasSize(2);
    io.sentry.SentryEvent event = items.get(0).getEvent(serializer);
    assertThat(event.getEventId().toString()).isEqualTo(EVENT_ID);
    assertThat(event.getMessage().getFormatted()).isEqualTo("hi");
    assertThat(items.get(1).getData()).containsExactly('\n', '\n', '\n');
    assertThat(items.get(1).getHeader().getFileName()).isEqualTo("a.bin");
  }
}

package io.lookout.gateway.envelope;

import io.lookout.storage.kafka.message.DataCategory;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lookout.gateway.envelope.EnvelopeException.Kind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeParserTest {

  static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";
  static final String HEADER =
      "{\"event_id\":\"" + EVENT_ID + "\",\"dsn\":\"https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42\"}";

  static Envelope parse(String body) {
    return EnvelopeParser.parse(Buffer.buffer(body));
  }

  static Envelope parse(byte[] body) {
    return EnvelopeParser.parse(Buffer.buffer(body));
  }

  static EnvelopeException invalid(String body) {
    return invalid(body.getBytes(StandardCharsets.UTF_8));
  }

  static EnvelopeException invalid(byte[] body) {
    try {
      EnvelopeParser.parse(Buffer.buffer(body));
    } catch (EnvelopeException e) {
      return e;
    }
    throw new AssertionError("expected an EnvelopeException for " + new String(body, StandardCharsets.UTF_8));
  }

  static String payload(EnvelopeItem item) {
    return item.payload().toString(StandardCharsets.UTF_8);
  }

  static byte[] concat(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      byte[] bytes = part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  // ---- framing: newlines, lengths, EOF ----

  @Test
  void headerOnlyWithoutNewlineIsAnEmptyEnvelope() {
    Envelope envelope = parse(HEADER);
    assertThat(envelope.eventId()).contains(EVENT_ID);
    assertThat(envelope.isEmpty()).isTrue();
  }

  @Test
  void headerOnlyWithNewlineIsAnEmptyEnvelope() {
    assertThat(parse(HEADER + "\n").items()).isEmpty();
  }

  @Test
  void emptyHeaderObjectIsAccepted() {
    Envelope envelope = parse("{}\n");
    assertThat(envelope.eventId()).isEmpty();
    assertThat(envelope.header()).isEqualTo(new JsonObject());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\n", "\n\n  \t\r\n"})
  void emptyOrBlankBodyIsMissingHeader(String body) {
    EnvelopeException e = invalid(body);
    assertThat(e.kind()).isEqualTo(Kind.MISSING_HEADER);
    assertThat(e.reason()).isEqualTo("invalid_envelope");
  }

  @Test
  void itemsWithLengthAreReadByLengthEvenOverNewlinesAndCr() {
    // Relay's own test_deserialize_envelope_multiple_items: BOM and CRLF inside a payload.
    byte[] body = concat(HEADER, "\n",
        "{\"type\":\"attachment\",\"length\":10,\"content_type\":\"text/plain\",\"filename\":\"hello.txt\"}\n",
        new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, "Hello\r\n\n",
        "{\"type\":\"event\",\"length\":41,\"content_type\":\"application/json\",\"filename\":\"application.log\"}\n",
        "{\"message\":\"hello world\",\"level\":\"error\"}\n");
    Envelope envelope = parse(body);
    assertThat(envelope.size()).isEqualTo(2);
    EnvelopeItem attachment = envelope.items().get(0);
    assertThat(attachment.type()).isEqualTo(ItemType.ATTACHMENT);
    assertThat(attachment.payload().getBytes())
        .containsExactly(0xEF, 0xBB, 0xBF, 'H', 'e', 'l', 'l', 'o', '\r', '\n');
    assertThat(attachment.contentType()).isEqualTo(ContentType.TEXT);
    assertThat(attachment.filename()).contains("hello.txt");
    EnvelopeItem event = envelope.items().get(1);
    assertThat(event.type()).isEqualTo(ItemType.EVENT);
    assertThat(payload(event)).isEqualTo("{\"message\":\"hello world\",\"level\":\"error\"}");
    assertThat(event.length()).hasValue(41);
    assertThat(event.contentType()).isEqualTo(ContentType.JSON);
  }

  @Test
  void lengthDelimitedPayloadMayEndAtEof() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"event\",\"length\":2}\n{}");
    assertThat(payload(envelope.items().get(0))).isEqualTo("{}");
  }

  @Test
  void itemWithoutLengthRunsToTheNextNewline() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\"}\nhelloworld\n{\"type\":\"event\"}\n{}\n");
    assertThat(envelope.items()).extracting(EnvelopeParserTest::payload).containsExactly("helloworld", "{}");
  }

  @Test
  void itemWithoutLengthMayEndAtEofWithoutNewline() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\"}\nhelloworld");
    assertThat(payload(envelope.items().get(0))).isEqualTo("helloworld");
  }

  @Test
  void itemWithoutLengthKeepsACarriageReturnBeforeTheNewline() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\"}\nhello\r\n{\"type\":\"event\"}\n{}");
    assertThat(payload(envelope.items().get(0))).isEqualTo("hello\r");
    assertThat(envelope.size()).isEqualTo(2);
  }

  @Test
  void emptyItemsWithZeroLengthOrEmptyLine() {
    // Relay's test_deserialize_envelope_empty_item_newline and _eof.
    Envelope withNewline = parse(HEADER + "\n{\"type\":\"attachment\",\"length\":0}\n\n{\"type\":\"attachment\",\"length\":0}\n");
    Envelope atEof = parse(HEADER + "\n{\"type\":\"attachment\",\"length\":0}\n\n{\"type\":\"attachment\",\"length\":0}");
    Envelope emptyLine = parse(HEADER + "\n{\"type\":\"attachment\"}\n\n{\"type\":\"event\"}\n{}");
    assertThat(withNewline.items()).extracting(EnvelopeItem::payloadLength).containsExactly(0, 0);
    assertThat(atEof.items()).extracting(EnvelopeItem::payloadLength).containsExactly(0, 0);
    assertThat(emptyLine.items()).extracting(EnvelopeParserTest::payload).containsExactly("", "{}");
  }

  @Test
  void itemHeaderAtEofWithoutNewlineIsAnEmptyItem() {
    // Relay's test_deserialize_envelope_implicit_length_empty_eof (a panic regression there).
    Envelope noLength = parse(HEADER + "\n{\"type\":\"attachment\"}");
    Envelope zeroLength = parse(HEADER + "\n{\"type\":\"attachment\",\"length\":0}");
    Envelope withNewline = parse(HEADER + "\n{\"type\":\"attachment\"}\n");
    assertThat(noLength.items()).singleElement().satisfies(i -> assertThat(i.payloadLength()).isZero());
    assertThat(zeroLength.items()).singleElement().satisfies(i -> assertThat(i.payloadLength()).isZero());
    assertThat(withNewline.items()).singleElement().satisfies(i -> assertThat(i.payloadLength()).isZero());
  }

  @Test
  void itemHeaderAtEofWithPositiveLengthIsUnexpectedEof() {
    assertThat(invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":5}").kind()).isEqualTo(Kind.UNEXPECTED_EOF);
  }

  @Test
  void truncatedEnvelopeIsUnexpectedEof() {
    String full = HEADER + "\n{\"type\":\"event\",\"length\":41}\n{\"message\":\"hello world\",\"level\":\"error\"}\n";
    EnvelopeException e = invalid(full.substring(0, full.length() - 10));
    assertThat(e.kind()).isEqualTo(Kind.UNEXPECTED_EOF);
    assertThat(e.getMessage()).contains("declares length 41");
  }

  @Test
  void truncatedItemHeaderIsInvalidItemHeader() {
    assertThat(invalid(HEADER + "\n{\"type\":\"ev").kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
  }

  @Test
  void lengthTooShortLeavesGarbageAfterThePayload() {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":5}\nhelloworld\n");
    assertThat(e.kind()).isEqualTo(Kind.MISSING_NEWLINE);
    assertThat(e.getMessage()).contains("followed by byte 'w'").contains("wrong length?");
  }

  @Test
  void lengthTooLongRunsIntoTheNextItem() {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":12}\nhelloworld\n{\"type\":\"event\"}\n{}\n");
    assertThat(e.kind()).isEqualTo(Kind.MISSING_NEWLINE);
  }

  @Test
  void lengthPastTheEndOfTheBodyIsUnexpectedEof() {
    assertThat(invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":12}\nhelloworld\n").kind())
        .isEqualTo(Kind.UNEXPECTED_EOF);
  }

  @Test
  void lengthThatSwallowsTheLastNewlineIsAccepted() {
    // As in Relay: the payload may end at EOF, so it takes the trailing newline.
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\",\"length\":11}\nhelloworld\n");
    assertThat(payload(envelope.items().get(0))).isEqualTo("helloworld\n");
  }

  @Test
  void hugeLengthWithinU32FailsWithoutAllocating() {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":4294967295}\nx");
    assertThat(e.kind()).isEqualTo(Kind.UNEXPECTED_EOF);
  }

  @ParameterizedTest
  @ValueSource(strings = {"4611686018427387904", "4294967296", "99999999999999999999999", "-1"})
  void lengthOutsideU32IsAnInvalidItemHeader(String length) {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":" + length + "}\nx");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
    assertThat(e.getMessage()).contains("`length` must be an integer from 0 to 4294967295");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"10\"", "10.0", "1e1", "true", "[10]", "{}"})
  void lengthThatIsNotAnIntegerIsAnInvalidItemHeader(String length) {
    assertThat(invalid(HEADER + "\n{\"type\":\"attachment\",\"length\":" + length + "}\nhelloworld\n").kind())
        .isEqualTo(Kind.INVALID_ITEM_HEADER);
  }

  @Test
  void nullLengthMeansNoLength() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\",\"length\":null}\nhelloworld\n");
    assertThat(payload(envelope.items().get(0))).isEqualTo("helloworld");
    assertThat(envelope.items().get(0).length()).isEmpty();
  }

  @Test
  void whitespaceAfterTheLastItemIsUnexpectedEof() {
    // Relay looks for another item header after the newline and finds only the end.
    assertThat(invalid(HEADER + "\n{\"type\":\"event\",\"length\":2}\n{}\n\n").kind()).isEqualTo(Kind.UNEXPECTED_EOF);
    assertThat(invalid(HEADER + "\n{\"type\":\"event\"}\n{}\n  ").kind()).isEqualTo(Kind.UNEXPECTED_EOF);
  }

  @Test
  void blankLinesBeforeAnItemHeaderAreSkipped() {
    Envelope envelope = parse(HEADER + "\n\n\n{\"type\":\"event\",\"length\":2}\n{}\n \t\n{\"type\":\"event\"}\n{}");
    assertThat(envelope.size()).isEqualTo(2);
  }

  @Test
  void whitespaceBeforeTheEnvelopeHeaderIsSkipped() {
    assertThat(parse(" \n" + HEADER + "\n").eventId()).contains(EVENT_ID);
  }

  @Test
  void headerMaySpanLines() {
    Envelope envelope = parse("{\n  \"event_id\": \"" + EVENT_ID + "\"\n}\n{\n \"type\": \"event\",\n \"length\": 2\n}\n{}");
    assertThat(envelope.eventId()).contains(EVENT_ID);
    assertThat(payload(envelope.items().get(0))).isEqualTo("{}");
  }

  @Test
  void crlfAfterTheEnvelopeHeaderIsRejected() {
    EnvelopeException e = invalid(HEADER + "\r\n{\"type\":\"event\"}\r\n{}\r\n");
    assertThat(e.kind()).isEqualTo(Kind.MISSING_NEWLINE);
    assertThat(e.getMessage()).contains("'\\r'");
  }

  @Test
  void crlfAfterAnItemHeaderIsRejected() {
    assertThat(invalid(HEADER + "\n{\"type\":\"event\"}\r\n{}").kind()).isEqualTo(Kind.MISSING_NEWLINE);
  }

  @Test
  void crlfAfterALengthDelimitedPayloadIsRejected() {
    assertThat(invalid(HEADER + "\n{\"type\":\"event\",\"length\":2}\n{}\r\n").kind()).isEqualTo(Kind.MISSING_NEWLINE);
  }

  @Test
  void spaceAfterAHeaderIsRejected() {
    assertThat(invalid(HEADER + " \n").kind()).isEqualTo(Kind.MISSING_NEWLINE);
    assertThat(invalid(HEADER + "\n{\"type\":\"event\"} \n{}").kind()).isEqualTo(Kind.MISSING_NEWLINE);
  }

  @Test
  void twoHeadersOnOneLineAreRejected() {
    assertThat(invalid(HEADER + "{}\n").kind()).isEqualTo(Kind.MISSING_NEWLINE);
  }

  @Test
  void tenThousandTinyItemsParseInLinearTime() {
    // Guards against quadratic scans (a regression would take minutes, not this bound).
    StringBuilder withLength = new StringBuilder(HEADER).append('\n');
    StringBuilder withoutLength = new StringBuilder(HEADER).append('\n');
    for (int i = 0; i < 10_000; i++) {
      withLength.append("{\"type\":\"span\",\"length\":2}\n{}\n");
      withoutLength.append(i == 0 ? "" : "\n").append("{\"type\":\"log\"}\n{}");
    }
    StringBuilder empty = new StringBuilder(HEADER).append('\n');
    for (int i = 0; i < 100_000; i++) {
      empty.append("{\"type\":\"attachment\",\"length\":0}\n\n");
    }
    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
      assertThat(parse(withLength.toString()).size()).isEqualTo(10_000);
      Envelope node = parse(withoutLength.toString());
      assertThat(node.size()).isEqualTo(10_000);
      assertThat(node.items()).allSatisfy(item -> assertThat(payload(item)).isEqualTo("{}"));
      assertThat(parse(empty.toString()).size()).isEqualTo(100_000);
    });
  }

  @Test
  void payloadIsASliceOfTheBodyNotACopy() {
    Buffer body = Buffer.buffer(HEADER + "\n{\"type\":\"attachment\",\"length\":5}\nhello\n");
    EnvelopeItem item = EnvelopeParser.parse(body).items().get(0);
    body.setByte(body.length() - 6, (byte) 'j');
    assertThat(payload(item)).isEqualTo("jello");
  }

  @Test
  void bodyThatIsItselfASliceIsReadFromItsOwnStart() {
    Buffer outer = Buffer.buffer("garbage!" + HEADER + "\n{\"type\":\"event\"}\n{}trailing");
    Buffer body = outer.slice(8, outer.length() - 8);
    Envelope envelope = EnvelopeParser.parse(body);
    assertThat(envelope.eventId()).contains(EVENT_ID);
    assertThat(payload(envelope.items().get(0))).isEqualTo("{}");
  }

  @Test
  void directMemoryBodyIsParsedByCopyingOnlyForTheHeaders() {
    byte[] bytes = (HEADER + "\n{\"type\":\"attachment\",\"length\":5}\nhello").getBytes(StandardCharsets.UTF_8);
    Buffer body = io.vertx.core.internal.buffer.BufferInternal.buffer(
        io.netty.buffer.Unpooled.directBuffer(bytes.length).writeBytes(bytes));
    Envelope envelope = EnvelopeParser.parse(body);
    assertThat(envelope.eventId()).contains(EVENT_ID);
    assertThat(payload(envelope.items().get(0))).isEqualTo("hello");
  }

  @Test
  void payloadMayHoldAnyBytes() {
    byte[] binary = {0, (byte) 0xFF, '\n', (byte) 0xC0, (byte) 0x80, '\r'};
    Envelope envelope = parse(concat(HEADER, "\n{\"type\":\"attachment\",\"length\":6}\n", binary, "\n"));
    assertThat(envelope.items().get(0).payload().getBytes()).isEqualTo(binary);
  }

  // ---- header JSON: syntax, types, UTF-8, nesting, errors ----

  @ParameterizedTest
  @ValueSource(strings = {"{\"event_id\":", "{event_id:1}", "{'a':1}", "{\"a\":1,}", "{\"a\":01}", "{\"a\":NaN}", "{\"a\":1e999}"})
  void invalidJsonEnvelopeHeaderIsRejected(String header) {
    EnvelopeException e = invalid(header + "\n");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_HEADER);
    assertThat(e.getMessage()).startsWith("invalid event envelope: invalid envelope header: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"event\"", "42", "null", "true", "[{\"type\":\"event\"}]"})
  void nonObjectEnvelopeHeaderIsRejected(String header) {
    assertThat(invalid(header + "\n").kind()).isEqualTo(Kind.INVALID_HEADER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"[]", "\"event\"", "42", "null", "{\"type\":\"event\"", "{\"type\" \"event\"}"})
  void invalidOrNonObjectItemHeaderIsRejected(String header) {
    EnvelopeException e = invalid(HEADER + "\n" + header + "\n{}\n");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
    assertThat(e.getMessage()).contains("item 0 header");
  }

  @Test
  void missingTypeIsAnInvalidItemHeader() {
    EnvelopeException e = invalid(HEADER + "\n{\"length\":2}\n{}\n");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
    assertThat(e.getMessage()).contains("missing field `type`");
    assertThat(invalid(HEADER + "\n{\"type\":null}\n{}\n").kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "[\"event\"]", "{\"name\":\"event\"}", "false"})
  void nonStringTypeIsAnInvalidItemHeader(String type) {
    assertThat(invalid(HEADER + "\n{\"type\":" + type + "}\n{}\n").kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "item_count|\"3\"", "item_count|-1", "item_count|1.5", "attachment_type|1",
      "content_type|[]", "filename|{}", "platform|false"})
  void knownItemFieldOfTheWrongTypeIsAnInvalidItemHeader(String field, String value) {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"span\",\"" + field + "\":" + value + "}\n{}\n");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
    assertThat(e.getMessage()).contains("`" + field + "`");
  }

  @Test
  void knownItemFieldTwiceIsRejectedUnknownFieldTwiceKeepsTheLast() {
    assertThat(invalid(HEADER + "\n{\"type\":\"event\",\"type\":\"attachment\"}\n{}\n").getMessage())
        .contains("has the field `type` twice");
    Envelope envelope = parse(HEADER + "\n{\"type\":\"event\",\"x\":1,\"x\":2}\n{}\n");
    assertThat(envelope.items().get(0).header().getInteger("x")).isEqualTo(2);
  }

  @Test
  void nullHeaderFieldsAreAbsent() {
    EnvelopeItem item = parse(HEADER + "\n{\"type\":\"attachment\",\"item_count\":null,\"attachment_type\":null,"
        + "\"content_type\":null,\"filename\":null,\"platform\":null}\nx").items().get(0);
    assertThat(item.itemCount()).isEmpty();
    assertThat(item.attachmentType()).isEqualTo(AttachmentType.ATTACHMENT);
    assertThat(item.contentType()).isEqualTo(ContentType.NONE);
    assertThat(item.filename()).isEmpty();
    assertThat(item.platform()).isEmpty();
  }

  @Test
  void unknownHeaderKeysAreKept() {
    Envelope envelope = parse("{\"event_id\":\"" + EVENT_ID + "\",\"custom\":{\"a\":[1,2.5,null,true]},\"n\":12345678901}\n"
        + "{\"type\":\"event\",\"routing_hint\":\"x\",\"nested\":{\"deep\":[{}]}}\n{}");
    Iterable<Object> array = envelope.header().getJsonObject("custom").getJsonArray("a");
    assertThat(array).containsExactly(1, 2.5, null, true);
    assertThat(envelope.header().getLong("n")).isEqualTo(12345678901L);
    JsonObject itemHeader = envelope.items().get(0).header();
    assertThat(itemHeader.getString("routing_hint")).isEqualTo("x");
    assertThat(itemHeader.getJsonObject("nested").getJsonArray("deep").getJsonObject(0)).isEqualTo(new JsonObject());
  }

  @Test
  void invalidUtf8InAHeaderStringIsRejected() {
    byte[] body = concat(HEADER, "\n{\"type\":\"event\",\"filename\":\"", new byte[] {(byte) 0xFF}, "\"}\n{}\n");
    EnvelopeException e = invalid(body);
    assertThat(e.kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
    assertThat(e.getMessage()).contains("not valid UTF-8");
  }

  @Test
  void overlongAndSurrogateUtf8InHeadersAreRejected() {
    // Jackson decodes C0 80 to NUL without complaint; Rust's from_utf8 does not.
    byte[] overlong = concat("{\"x\":\"", new byte[] {(byte) 0xC0, (byte) 0x80}, "\"}\n");
    byte[] surrogate = concat("{\"x\":\"", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\"}\n");
    byte[] truncated = concat("{\"x\":\"", new byte[] {(byte) 0xE2, (byte) 0x82}, "\"}\n");
    byte[] tooHigh = concat("{\"x\":\"", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, "\"}\n");
    for (byte[] body : List.of(overlong, surrogate, truncated, tooHigh)) {
      EnvelopeException e = invalid(body);
      assertThat(e.kind()).isEqualTo(Kind.INVALID_HEADER);
      assertThat(e.getMessage()).contains("not valid UTF-8");
    }
  }

  @Test
  void validMultiByteUtf8InHeadersIsKept() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\",\"filename\":\"r\u00e9sum\u00e9 \u65e5\u672c \uD83D\uDE00.txt\"}\nx");
    assertThat(envelope.items().get(0).filename()).contains("r\u00e9sum\u00e9 \u65e5\u672c \uD83D\uDE00.txt");
  }

  @Test
  void nulBytesNearTheStartOfAHeaderAreNotTakenForUtf16() {
    assertThat(invalid(new byte[] {'{', 0, 0, 0, '}', 0, 0, 0}).kind()).isEqualTo(Kind.INVALID_HEADER);
    assertThat(invalid(concat(HEADER, "\n", new byte[] {'{', 0, '}', 0})).kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
  }

  @Test
  void deeplyNestedHeaderIsRejectedWithoutBlowingTheStack() {
    String deep = "[".repeat(100_000);
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"event\",\"x\":" + deep + "\n{}");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_ITEM_HEADER);
    assertThat(e.getMessage()).contains("nesting depth");
    String ok = "[".repeat(100) + "]".repeat(100);
    assertThat(parse(HEADER + "\n{\"type\":\"event\",\"x\":" + ok + "}\n{}").size()).isEqualTo(1);
  }

  @Test
  void controlCharacterInAHeaderStringIsRejected() {
    assertThat(invalid("{\"x\":\"a\tb\"}\n").kind()).isEqualTo(Kind.INVALID_HEADER);
  }

  @Test
  void internalIntegrationItemIsRejected() {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"integration\",\"content_type\":\"application/vnd.sentry.integration.otel.logs+json\"}\n{}");
    assertThat(e.kind()).isEqualTo(Kind.INTERNAL_ITEM_TYPE);
  }

  @Test
  void errorCarriesRelaysReasonDetailAndCauses() {
    EnvelopeException e = invalid(HEADER + "\n{\"type\":\"event\",\"length\":\"2\"}\n{}");
    assertThat(e.reason()).isEqualTo("invalid_envelope");
    assertThat(e.getMessage()).isEqualTo("invalid event envelope: invalid item header: item 0 header: "
        + "`length` must be an integer from 0 to 4294967295, got string \"2\" (at byte " + (HEADER.length() + 1) + ")");
    assertThat(e.causes()).hasSize(2).first().isEqualTo("invalid item header");
    assertThat(e.offset()).isEqualTo(HEADER.length() + 1);
  }

  @Test
  void clientValuesInMessagesAreCutShort() {
    String longId = "x".repeat(10_000);
    assertThat(invalid("{\"event_id\":\"" + longId + "\"}").getMessage()).hasSizeLessThan(300);
  }

  // ---- envelope header fields ----

  @ParameterizedTest
  @ValueSource(strings = {
      "9ec79c33ec9942ab8353589fcb2e04dc",
      "9EC79C33EC9942AB8353589FCB2E04DC",
      "9ec79c33-ec99-42ab-8353-589fcb2e04dc",
      "9EC79C33-EC99-42AB-8353-589FCB2E04DC",
      "{9ec79c33-ec99-42ab-8353-589fcb2e04dc}",
      "urn:uuid:9ec79c33-ec99-42ab-8353-589fcb2e04dc"})
  void eventIdIsNormalizedTo32LowerCaseHex(String raw) {
    Envelope envelope = parse("{\"event_id\":\"" + raw + "\"}\n");
    assertThat(envelope.eventId()).contains(EVENT_ID);
    assertThat(envelope.header().getString("event_id")).isEqualTo(EVENT_ID);
  }

  @Test
  void sentryCliHyphenatedEventIdIsAccepted() {
    Envelope envelope = parse("{\"event_id\":\"6b1e1a9d-2f0c-4d3e-9a7b-0c1d2e3f4a5b\",\"sent_at\":\"2024-05-01T10:00:00.123456Z\"}\n"
        + "{\"type\":\"event\",\"length\":2}\n{}\n");
    assertThat(envelope.eventId()).contains("6b1e1a9d2f0c4d3e9a7b0c1d2e3f4a5b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "9ec79c33ec9942ab8353589fcb2e04d", "9ec79c33ec9942ab8353589fcb2e04dcc",
      "9ec79c33ec9942ab8353589fcb2e04dg", "9ec79c33e-c99-42ab-8353-589fcb2e04dc", "9ec79c33-ec99-42ab-8353-589fcb2e04d-",
      " 9ec79c33ec9942ab8353589fcb2e04dc", "{9ec79c33ec9942ab8353589fcb2e04dc}"})
  void invalidEventIdIsAnInvalidHeader(String raw) {
    EnvelopeException e = invalid("{\"event_id\":\"" + raw + "\"}\n");
    assertThat(e.kind()).isEqualTo(Kind.INVALID_HEADER);
    assertThat(e.getMessage()).contains("`event_id` is not a UUID");
  }

  @Test
  void nonStringEventIdIsAnInvalidHeaderAndNullIsAbsent() {
    assertThat(invalid("{\"event_id\":42}").kind()).isEqualTo(Kind.INVALID_HEADER);
    assertThat(parse("{\"event_id\":null}").eventId()).isEmpty();
  }

  @Test
  void invalidEventIdIsReportedBeforeAMissingNewline() {
    assertThat(invalid("{\"event_id\":\"nope\"} x").kind()).isEqualTo(Kind.INVALID_HEADER);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2024-05-01T10:00:00Z|2024-05-01T10:00:00Z",
      "2024-05-01T10:00:00.123456Z|2024-05-01T10:00:00.123456Z",
      "2024-05-01T12:00:00+02:00|2024-05-01T10:00:00Z",
      "2024-05-01 10:00:00z|2024-05-01T10:00:00Z",
      "2024-05-01t10:00:00-0130|2024-05-01T11:30:00Z"})
  void sentAtIsParsedAsRfc3339(String raw, String expected) {
    assertThat(parse("{\"sent_at\":\"" + raw + "\"}").sentAt()).contains(Instant.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"yesterday\"", "\"2024-05-01T10:00:00\"", "\"2024-13-01T10:00:00Z\"", "1714557600", "{}"})
  void invalidSentAtIsAnInvalidHeader(String raw) {
    assertThat(invalid("{\"sent_at\":" + raw + "}").kind()).isEqualTo(Kind.INVALID_HEADER);
  }

  @Test
  void dsnSdkAndTraceAreReadAndABadTraceIsTolerated() {
    Envelope envelope = parse("{\"dsn\":\"https://key@o1.ingest.example/42\",\"sdk\":{\"name\":\"sentry.java\",\"version\":\"8.63.0\"},"
        + "\"trace\":{\"trace_id\":\"771a43a4192642f0b136d5159a501700\",\"public_key\":\"key\"}}");
    assertThat(envelope.dsn()).contains("https://key@o1.ingest.example/42");
    assertThat(envelope.sdk()).hasValueSatisfying(sdk -> assertThat(sdk.getString("name")).isEqualTo("sentry.java"));
    assertThat(envelope.trace()).hasValueSatisfying(t -> assertThat(t.getString("public_key")).isEqualTo("key"));
    Envelope badTrace = parse("{\"trace\":\"not a dsc\",\"sdk\":7}");
    assertThat(badTrace.trace()).isEmpty();
    assertThat(badTrace.sdk()).isEmpty();
    assertThat(invalid("{\"dsn\":42}").kind()).isEqualTo(Kind.INVALID_HEADER);
  }

  @Test
  void knownEnvelopeFieldTwiceIsRejected() {
    assertThat(invalid("{\"event_id\":\"" + EVENT_ID + "\",\"event_id\":\"" + EVENT_ID + "\"}").kind())
        .isEqualTo(Kind.INVALID_HEADER);
  }

  // ---- item types, attachment types, categories ----

  @ParameterizedTest
  @EnumSource(value = ItemType.class, mode = EnumSource.Mode.EXCLUDE, names = "UNKNOWN")
  void everyKnownItemTypeIsRecognized(ItemType type) {
    EnvelopeItem item = parse(HEADER + "\n{\"type\":\"" + type.wireName() + "\"}\n{}").items().get(0);
    assertThat(item.type()).isEqualTo(type);
    assertThat(item.typeName()).isEqualTo(type.wireName());
  }

  @Test
  void profileChunkUiIsAnAliasOfProfileChunk() {
    EnvelopeItem item = parse(HEADER + "\n{\"type\":\"profile_chunk_ui\"}\n{}").items().get(0);
    assertThat(item.type()).isEqualTo(ItemType.PROFILE_CHUNK);
    assertThat(item.typeName()).isEqualTo("profile_chunk_ui");
  }

  @Test
  void unknownItemTypeIsKeptAsUnknownWithItsName() {
    // Relay's test_deserialize_envelope_unknown_item.
    Envelope envelope = parse(HEADER + "\n{\"type\":\"invalid_unknown\"}\nhelloworld\n");
    EnvelopeItem item = envelope.items().get(0);
    assertThat(item.type()).isEqualTo(ItemType.UNKNOWN);
    assertThat(item.typeName()).isEqualTo("invalid_unknown");
    assertThat(payload(item)).isEqualTo("helloworld");
    assertThat(item.dataCategory()).isEmpty();
    assertThat(item.quantity()).isZero();
    assertThat(ItemType.fromWireName("Event")).isEqualTo(ItemType.UNKNOWN);
    assertThat(ItemType.fromWireName("otel_span")).isEqualTo(ItemType.UNKNOWN);
  }

  @ParameterizedTest
  @EnumSource(value = AttachmentType.class, mode = EnumSource.Mode.EXCLUDE, names = "UNKNOWN")
  void everyAttachmentTypeIsRecognized(AttachmentType type) {
    EnvelopeItem item = parse(HEADER + "\n{\"type\":\"attachment\",\"attachment_type\":\"" + type.wireName()
        + "\",\"length\":3}\nabc").items().get(0);
    assertThat(item.attachmentType()).isEqualTo(type);
    assertThat(item.attachmentTypeName()).contains(type.wireName());
    assertThat(item.isEventLike()).isEqualTo(type.createsEvent());
  }

  @Test
  void attachmentTypesThatCreateEventsAreRelays() {
    assertThat(java.util.Arrays.stream(AttachmentType.values()).filter(AttachmentType::createsEvent))
        .containsExactlyInAnyOrder(AttachmentType.MINIDUMP, AttachmentType.APPLE_CRASH_REPORT,
            AttachmentType.EVENT_PAYLOAD, AttachmentType.BREADCRUMBS, AttachmentType.PROSPERODUMP);
  }

  @Test
  void attachmentTypeDefaultsToEventAttachmentAndUnknownKeepsItsName() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\"}\na\n"
        + "{\"type\":\"attachment\",\"attachment_type\":\"event.something_new\"}\nb\n"
        + "{\"type\":\"attachment\",\"attachment_type\":\"event.view_hierarchy\",\"content_type\":\"application/json\"}\n{}");
    assertThat(envelope.items().get(0).attachmentType()).isEqualTo(AttachmentType.ATTACHMENT);
    assertThat(envelope.items().get(0).attachmentTypeName()).isEmpty();
    assertThat(envelope.items().get(1).attachmentType()).isEqualTo(AttachmentType.UNKNOWN);
    assertThat(envelope.items().get(1).attachmentTypeName()).contains("event.something_new");
    assertThat(envelope.items().get(1).isEventLike()).isFalse();
    assertThat(envelope.items().get(2).attachmentType()).isEqualTo(AttachmentType.VIEW_HIERARCHY);
  }

  @Test
  void spanV2ContainerCountsItsItemCount() {
    EnvelopeItem span = parse(HEADER + "\n{\"type\":\"span\",\"item_count\":3,\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}\n"
        + "{\"items\":[{},{},{}]}").items().get(0);
    assertThat(span.isContainer()).isTrue();
    assertThat(span.contentType()).isEqualTo(ContentType.SPAN_V2_CONTAINER);
    assertThat(span.itemCount()).hasValue(3);
    assertThat(span.containerCount()).isEqualTo(3);
    assertThat(span.dataCategory()).contains(DataCategory.SPAN);
    assertThat(span.quantity()).isEqualTo(3);
    assertThat(span.quantities()).containsExactly(
        new ItemQuantity(DataCategory.SPAN, 3), new ItemQuantity(DataCategory.SPAN_INDEXED, 3));
  }

  @Test
  void itemCountIsIgnoredOnTypesThatCannotBeContainers() {
    EnvelopeItem event = parse(HEADER + "\n{\"type\":\"event\",\"item_count\":5}\n{}").items().get(0);
    assertThat(event.itemCount()).hasValue(5);
    assertThat(event.containerCount()).isEqualTo(1);
    assertThat(event.quantities()).containsExactly(new ItemQuantity(DataCategory.ERROR, 1));
  }

  @Test
  void attachmentCountsItsBytesAtLeastOne() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"attachment\",\"length\":10}\n0123456789\n{\"type\":\"attachment\",\"length\":0}\n");
    assertThat(envelope.items().get(0).quantities()).containsExactly(
        new ItemQuantity(DataCategory.ATTACHMENT, 10), new ItemQuantity(DataCategory.ATTACHMENT_ITEM, 1));
    assertThat(envelope.items().get(1).quantity()).isEqualTo(1);
  }

  @Test
  void traceAttachmentCountsItsBodyWithoutTheMetaSegment() {
    EnvelopeItem item = parse(HEADER + "\n{\"type\":\"attachment\",\"content_type\":\"application/vnd.sentry.trace-attachment\","
        + "\"meta_length\":4,\"length\":10}\nmeta012345").items().get(0);
    assertThat(item.quantity()).isEqualTo(6);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "{\"type\":\"event\"}|error|1",
      "{\"type\":\"transaction\"}|transaction|1",
      "{\"type\":\"security\"}|security|1",
      "{\"type\":\"raw_security\"}|security|1",
      "{\"type\":\"nel\"}|-|0",
      "{\"type\":\"unreal_report\"}|error|1",
      "{\"type\":\"user_report\"}|feedback|1",
      "{\"type\":\"feedback\"}|feedback|1",
      "{\"type\":\"session\"}|session|1",
      "{\"type\":\"sessions\",\"item_count\":7}|session|7",
      "{\"type\":\"statsd\"}|-|0",
      "{\"type\":\"metric_buckets\"}|-|0",
      "{\"type\":\"client_report\"}|-|0",
      "{\"type\":\"form_data\"}|-|0",
      "{\"type\":\"profile\"}|profile|1",
      "{\"type\":\"profile_chunk\"}|-|0",
      "{\"type\":\"profile_chunk\",\"platform\":\"python\"}|profile_chunk|1",
      "{\"type\":\"profile_chunk\",\"platform\":\"android\"}|profile_chunk_ui|1",
      "{\"type\":\"replay_event\"}|replay|1",
      "{\"type\":\"replay_recording\"}|replay|1",
      "{\"type\":\"replay_video\"}|replay|1",
      "{\"type\":\"check_in\"}|monitor|1",
      "{\"type\":\"log\",\"item_count\":4}|log_item|4",
      "{\"type\":\"trace_metric\",\"item_count\":2}|trace_metric|2",
      "{\"type\":\"span\"}|span|1"})
  void eachItemTypeCountsTowardRelaysCategory(String header, String category, long quantity) {
    EnvelopeItem item = parse(HEADER + "\n" + header + "\n{}").items().get(0);
    assertThat(item.dataCategory().map(DataCategory::apiName).orElse(null)).isEqualTo(category);
    assertThat(item.quantity()).isEqualTo(quantity);
  }

  @Test
  void logCountsItemsAndBytes() {
    EnvelopeItem log = parse(HEADER + "\n{\"type\":\"log\",\"item_count\":2,\"content_type\":\"application/vnd.sentry.items.log+json\"}\n"
        + "{\"items\":[{},{}]}").items().get(0);
    assertThat(log.quantities()).containsExactly(
        new ItemQuantity(DataCategory.LOG_ITEM, 2), new ItemQuantity(DataCategory.LOG_BYTE, 17));
  }

  @Test
  void transactionCountsItselfAndItsSpansUnlessExtracted() {
    EnvelopeItem plain = parse(HEADER + "\n{\"type\":\"transaction\",\"span_count\":4}\n{}").items().get(0);
    assertThat(plain.quantities()).containsExactly(
        new ItemQuantity(DataCategory.TRANSACTION, 1), new ItemQuantity(DataCategory.TRANSACTION_INDEXED, 1),
        new ItemQuantity(DataCategory.SPAN, 5), new ItemQuantity(DataCategory.SPAN_INDEXED, 5));
    EnvelopeItem extracted = parse(HEADER + "\n{\"type\":\"transaction\",\"spans_extracted\":true}\n{}").items().get(0);
    assertThat(extracted.quantities()).hasSize(2);
  }

  @Test
  void profileCountsTowardItsPlatformKind() {
    EnvelopeItem ui = parse(HEADER + "\n{\"type\":\"profile\",\"platform\":\"cocoa\"}\n{}").items().get(0);
    assertThat(ui.quantities()).extracting(ItemQuantity::category)
        .containsExactly(DataCategory.PROFILE, DataCategory.PROFILE_INDEXED, DataCategory.PROFILE_UI);
  }

  @Test
  void eventLikeItemsAreRelaysCreatesEvent() {
    String body = HEADER + "\n" + java.util.Arrays.stream(ItemType.values())
        .filter(t -> t != ItemType.UNKNOWN)
        .map(t -> "{\"type\":\"" + t.wireName() + "\"}\n{}")
        .reduce((a, b) -> a + "\n" + b).orElseThrow();
    assertThat(parse(body).items().stream().filter(EnvelopeItem::isEventLike).map(EnvelopeItem::type))
        .containsExactly(ItemType.EVENT, ItemType.TRANSACTION, ItemType.SECURITY, ItemType.RAW_SECURITY,
            ItemType.UNREAL_REPORT, ItemType.FEEDBACK);
  }

  @Test
  void contentTypesAreClassifiedCaseInsensitively() {
    assertThat(ContentType.of("Application/JSON")).isEqualTo(ContentType.JSON);
    assertThat(ContentType.of("application/xml")).isEqualTo(ContentType.XML);
    assertThat(ContentType.of("application/vnd.sentry.attachment.v2")).isEqualTo(ContentType.TRACE_ATTACHMENT);
    assertThat(ContentType.of("image/png")).isEqualTo(ContentType.OTHER);
    assertThat(ContentType.of(null)).isEqualTo(ContentType.NONE);
  }

  @Test
  void dataCategoryCodesAndNamesAreRelays() {
    assertThat(DataCategory.values()).hasSize(37);
    for (DataCategory category : DataCategory.values()) {
      assertThat(DataCategory.fromCode(category.code())).contains(category);
      assertThat(DataCategory.fromApiName(category.apiName())).contains(category);
    }
    assertThat(List.of(DataCategory.DEFAULT.code(), DataCategory.ERROR.code(), DataCategory.TRANSACTION.code(),
        DataCategory.SECURITY.code(), DataCategory.ATTACHMENT.code(), DataCategory.SESSION.code(),
        DataCategory.PROFILE.code(), DataCategory.REPLAY.code(), DataCategory.MONITOR.code(),
        DataCategory.SPAN.code(), DataCategory.FEEDBACK.code(), DataCategory.LOG_ITEM.code(),
        DataCategory.LOG_BYTE.code(), DataCategory.TRACE_METRIC.code()))
        .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 10, 12, 14, 23, 24, 33);
    assertThat(DataCategory.fromApiName("user_report_v2")).contains(DataCategory.FEEDBACK);
    assertThat(DataCategory.fromCode(37)).isEmpty();
    assertThat(DataCategory.fromCode(-1)).isEmpty();
  }

  // ---- Envelope and EnvelopeItem as a model ----

  @Test
  void retainDropsItemsInOrderAndAnswersTheDropped() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"event\"}\n{}\n{\"type\":\"weird\"}\nx\n{\"type\":\"attachment\"}\ny");
    List<EnvelopeItem> dropped = envelope.retain(item -> item.type() != ItemType.UNKNOWN);
    assertThat(dropped).extracting(EnvelopeItem::typeName).containsExactly("weird");
    assertThat(envelope.items()).extracting(EnvelopeItem::type).containsExactly(ItemType.EVENT, ItemType.ATTACHMENT);
    assertThat(envelope.retain(item -> true)).isEmpty();
  }

  @Test
  void removeTakesOutOneItemByIdentity() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"event\"}\n{}\n{\"type\":\"event\"}\n{}");
    EnvelopeItem second = envelope.items().get(1);
    assertThat(envelope.remove(second)).isTrue();
    assertThat(envelope.remove(second)).isFalse();
    assertThat(envelope.items()).hasSize(1).doesNotContain(second);
  }

  @Test
  void itemsViewIsReadOnly() {
    Envelope envelope = parse(HEADER + "\n{\"type\":\"event\"}\n{}");
    assertThatThrownBy(() -> envelope.items().clear()).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void requiresEventFollowsTheItems() {
    assertThat(parse("{}\n{\"type\":\"session\"}\n{}").requiresEvent()).isFalse();
    assertThat(parse("{}\n{\"type\":\"session\"}\n{}\n{\"type\":\"attachment\"}\nx").requiresEvent()).isTrue();
  }

  @Test
  void setEventIdNormalizes() {
    Envelope envelope = parse("{}");
    envelope.setEventId("9EC79C33-EC99-42AB-8353-589FCB2E04DC");
    assertThat(envelope.eventId()).contains(EVENT_ID);
    assertThatThrownBy(() -> envelope.setEventId("nope")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createdItemsAreCheckedLikeParsedOnes() {
    assertThatThrownBy(() -> EnvelopeItem.create(new JsonObject().put("length", 1), Buffer.buffer("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("type");
    assertThatThrownBy(() -> EnvelopeItem.create(new JsonObject().put("type", "integration"), Buffer.buffer("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Envelope.create(new JsonObject().put("event_id", "x")))
        .isInstanceOf(IllegalArgumentException.class);
    EnvelopeItem item = EnvelopeItem.create(ItemType.CHECK_IN, Buffer.buffer("{}"));
    assertThat(item.length()).hasValue(2);
    item.setPayload(Buffer.buffer("{\"a\":1}"));
    assertThat(item.length()).hasValue(7);
  }
}

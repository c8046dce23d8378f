package io.lookout.gateway.produce;

import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeParser;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-written envelopes for tests, parsed by the real parser. */
final class Envelopes {

  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  private Envelopes(String header) {
    line(header);
  }

  /** An envelope whose header line is {@code header}. */
  static Envelopes header(String header) {
    return new Envelopes(header);
  }

  /** An envelope with this event id in its header. */
  static Envelopes withEventId(String eventId) {
    return new Envelopes("{\"event_id\":\"" + eventId + "\"}");
  }

  /** Adds an item with this header (without {@code length}: the payload runs to the newline). */
  Envelopes item(String itemHeader, String payload) {
    line(itemHeader);
    line(payload);
    return this;
  }

  /** Adds an item with a {@code length} header and binary payload. */
  Envelopes item(String itemHeaderWithoutClosingBrace, byte[] payload) {
    line(itemHeaderWithoutClosingBrace + ",\"length\":" + payload.length + "}");
    body.writeBytes(payload);
    body.write('\n');
    return this;
  }

  Envelope parse() {
    return EnvelopeParser.parse(Buffer.buffer(body.toByteArray()));
  }

  private void line(String s) {
    body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    body.write('\n');
  }
}

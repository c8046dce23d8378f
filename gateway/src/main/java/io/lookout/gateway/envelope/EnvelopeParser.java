package io.lookout.gateway.envelope;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a Sentry envelope exactly as Relay frames it ({@code Envelope::parse_bytes} and
 * {@code Item::parse} in {@code relay-server/src/envelope/}):
 *
 * <pre>
 * envelope := ws* header-json ( "\n" | EOF ) item*
 * item     := ws* header-json ( "\n" | EOF ) payload
 * payload  := with "length": exactly that many bytes, then "\n" or EOF
 *             without:       bytes up to the next "\n" (consumed) or EOF
 * ws       := " " | "\t" | "\r" | "\n"
 * </pre>
 *
 * <ul>
 *   <li>A header is one JSON object; whitespace before it is skipped (so blank lines between
 *       items pass) and it may span lines, but the byte right after its closing brace must be
 *       {@code \n} or the end: {@code \r\n} line ends, like trailing spaces, are rejected.
 *   <li>An envelope may be only a header, with or without the newline. The last item may lack
 *       its newline. An item header at the very end is an item with an empty payload (an error if
 *       it declares a non-zero {@code length}). Whitespace after the last item is an error
 *       (Relay looks for another item header and finds the end).
 *   <li>{@code length} and {@code item_count} must be integers from 0 to 2^32-1 (not strings,
 *       not floats); {@code type} must be a string; {@code attachment_type},
 *       {@code content_type}, {@code filename} and {@code platform} strings. An unknown
 *       {@code type} is kept as {@link ItemType#UNKNOWN}; the internal type {@code integration}
 *       is rejected. In the envelope header, {@code event_id} must be a UUID, {@code dsn} a string,
 *       {@code sent_at} an RFC 3339 timestamp (Relay's serde types fail on anything else).
 *   <li>Headers must be valid UTF-8 (overlong forms and surrogates too are rejected); a known
 *       field twice in one header is an error; nesting is limited to 128 levels, serde_json's
 *       recursion limit, so a hostile header cannot exhaust the stack.
 * </ul>
 *
 * <p>Payload sizes are not limited here (the limits step does that), but a {@code length} past
 * the end of the body fails before anything is allocated. One pass over the body: headers are
 * read once by Jackson, payloads are slices of the body (no copy) and newlines are found by a
 * plain byte scan, so the cost is linear in the body size and the number of items.
 */
public final class EnvelopeParser {

  /** serde_json's default recursion limit, which Relay's header parsing runs into. */
  static final int MAX_HEADER_DEPTH = 128;

  /**
   * Field names chosen by clients are not {@code String.intern}ed. Canonicalization stays on:
   * without it Jackson reads bytes through a {@code Reader} and loses the byte offsets the framing
   * needs (its symbol table is bounded and resets when it grows too large).
   */
  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_HEADER_DEPTH).build())
      .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
      .build();

  private final Buffer body;
  private final byte[] data;
  /** Index in {@link #data} of the body's first byte. */
  private final int base;
  /** Index in {@link #data} after the body's last byte. */
  private final int end;
  /** End (exclusive index in {@link #data}) of the last header read. */
  private int lastHeaderEnd;
  /** End (exclusive index in {@link #data}) of the last payload read. */
  private int lastPayloadEnd;

  private EnvelopeParser(Buffer body) {
    this.body = body;
    ByteBuf buf = body instanceof BufferInternal internal ? internal.getByteBuf() : null;
    if (buf != null && buf.hasArray()) {
      // Vert.x buffers are heap buffers: read the body in place.
      this.data = buf.array();
      this.base = buf.arrayOffset() + buf.readerIndex();
      this.end = base + buf.readableBytes();
    } else {
      this.data = body.getBytes();
      this.base = 0;
      this.end = data.length;
    }
  }

  /**
   * Parses an (already decompressed) envelope body.
   *
   * @throws EnvelopeException if it is not a valid envelope; {@link EnvelopeException#reason()}
   *     is the outcome reason and the message the text for the response's {@code detail}
   */
  public static Envelope parse(Buffer body) {
    return new EnvelopeParser(body).parse();
  }

  private Envelope parse() {
    int start = skipWhitespace(base);
    if (start == end) {
      throw error(EnvelopeException.Kind.MISSING_HEADER, start, "the body is empty or only whitespace");
    }
    JsonObject header = readHeader(start, EnvelopeException.Kind.INVALID_HEADER, "envelope header",
        Headers.ENVELOPE_FIELDS);
    // As in Relay, a bad field is reported before a missing newline.
    try {
      Headers.checkEnvelopeHeader(header);
    } catch (IllegalArgumentException e) {
      throw error(EnvelopeException.Kind.INVALID_HEADER, start, e.getMessage());
    }
    int pos = requireTermination(lastHeaderEnd, "the envelope header") + 1;

    List<EnvelopeItem> items = new ArrayList<>();
    while (pos < end) {
      items.add(parseItem(pos, items.size()));
      pos = lastPayloadEnd + 1;
    }
    return new Envelope(header, items);
  }

  private EnvelopeItem parseItem(int pos, int index) {
    String what = "item " + index + " header";
    int start = skipWhitespace(pos);
    if (start == end) {
      throw error(EnvelopeException.Kind.UNEXPECTED_EOF, start,
          "expected " + what + " but the body ends (whitespace after the last item?)");
    }
    JsonObject header = readHeader(start, EnvelopeException.Kind.INVALID_ITEM_HEADER, what, Headers.ITEM_FIELDS);
    if (ItemType.INTERNAL_INTEGRATION.equals(header.getValue("type"))) {
      throw error(EnvelopeException.Kind.INTERNAL_ITEM_TYPE, start,
          what + ": `integration` items are internal to the relay and never accepted from a client");
    }
    ItemType type;
    try {
      type = Headers.checkItemHeader(header);
    } catch (IllegalArgumentException e) {
      throw error(EnvelopeException.Kind.INVALID_ITEM_HEADER, start, what + ": " + e.getMessage());
    }
    int headerEnd = requireTermination(lastHeaderEnd, what);
    // The last header needs no newline, so the payload may start at the very end.
    int payloadStart = Math.min(headerEnd + 1, end);
    Object length = header.getValue("length");
    int payloadEnd;
    if (length != null) {
      long declared = ((Number) length).longValue();
      if (declared > end - payloadStart) {
        throw error(EnvelopeException.Kind.UNEXPECTED_EOF, payloadStart,
            "item " + index + " declares length " + declared + " but only " + (end - payloadStart)
                + " bytes follow its header");
      }
      payloadEnd = payloadStart + (int) declared;
      if (payloadEnd < end && data[payloadEnd] != '\n') {
        throw error(EnvelopeException.Kind.MISSING_NEWLINE, payloadEnd,
            "item " + index + " payload of length " + declared + " is followed by byte "
                + byteText(data[payloadEnd]) + " instead of a newline (wrong length?)");
      }
    } else {
      payloadEnd = indexOfNewline(payloadStart);
    }
    lastPayloadEnd = payloadEnd;
    return new EnvelopeItem(header, type, body.slice(payloadStart - base, payloadEnd - base));
  }

  /**
   * Reads one JSON object starting at {@code start} (a non-whitespace byte) and leaves its end in
   * {@link #lastHeaderEnd}.
   */
  private JsonObject readHeader(int start, EnvelopeException.Kind kind, String what, Set<String> knownFields) {
    if (data[start] != '{') {
      throw error(kind, start, what + " is not a JSON object (starts with byte " + byteText(data[start]) + ")");
    }
    // Jackson guesses UTF-16/32 from NUL bytes near the start; in UTF-8 JSON a NUL is invalid anyway.
    for (int i = start + 1; i < Math.min(start + 4, end); i++) {
      if (data[i] == 0) {
        throw error(kind, i, what + " is not valid JSON: NUL byte");
      }
    }
    JsonObject header;
    long consumed;
    try (JsonParser parser = JSON.createParser(data, start, end - start)) {
      parser.nextToken();
      header = readObject(parser, knownFields);
      // Offsets are relative to start; after the closing brace the parser has read nothing more.
      consumed = parser.currentLocation().getByteOffset();
    } catch (DuplicateFieldException e) {
      throw error(kind, start, what + " has the field `" + e.getMessage() + "` twice");
    } catch (IOException e) {
      long at = e instanceof JsonProcessingException jpe && jpe.getLocation() != null
          ? jpe.getLocation().getByteOffset() : -1;
      int scanTo = at < 0 ? end : (int) Math.min(end, start + at + 4);
      int bad = invalidUtf8At(start, scanTo);
      if (bad >= 0) {
        throw error(kind, bad, what + " is not valid UTF-8");
      }
      throw error(kind, at < 0 ? start : start + at, what + " is not valid JSON: " + jacksonMessage(e));
    } catch (IllegalStateException e) {
      // Jackson's symbol table refuses keys crafted to collide in its hash.
      throw error(kind, start, what + " is not acceptable JSON: " + e.getMessage());
    }
    if (consumed < 0) {
      throw new AssertionError("Jackson parser without byte offsets");
    }
    int headerEnd = start + (int) consumed;
    int bad = invalidUtf8At(start, headerEnd);
    if (bad >= 0) {
      throw error(kind, bad, what + " is not valid UTF-8");
    }
    lastHeaderEnd = headerEnd;
    return header;
  }

  /** The byte after a header must be {@code \n} or the end; answers the header end. */
  private int requireTermination(int headerEnd, String what) {
    if (headerEnd < end && data[headerEnd] != '\n') {
      throw error(EnvelopeException.Kind.MISSING_NEWLINE, headerEnd,
          what + " is followed by byte " + byteText(data[headerEnd]) + " instead of a newline");
    }
    return headerEnd;
  }

  private static JsonObject readObject(JsonParser parser, Set<String> knownFields) throws IOException {
    JsonObject object = new JsonObject();
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      if (knownFields.contains(name) && object.containsKey(name)) {
        throw new DuplicateFieldException(name);
      }
      parser.nextToken();
      object.put(name, readValue(parser));
    }
    if (token != JsonToken.END_OBJECT) {
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected token " + token);
    }
    return object;
  }

  /** Recursion is bounded by {@link #MAX_HEADER_DEPTH}, which the parser enforces. */
  private static Object readValue(JsonParser parser) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == null) {
      throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected end of input");
    }
    switch (token) {
      case START_OBJECT:
        return readObject(parser, Set.of());
      case START_ARRAY: {
        JsonArray array = new JsonArray();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser));
        }
        return array;
      }
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT: {
        double value = parser.getDoubleValue();
        if (Double.isInfinite(value)) {
          // serde_json rejects these too ("number out of range").
          throw new com.fasterxml.jackson.core.JsonParseException(parser, "number out of range");
        }
        return value;
      }
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new com.fasterxml.jackson.core.JsonParseException(parser, "unexpected token " + token);
    }
  }

  private int skipWhitespace(int pos) {
    int i = pos;
    while (i < end) {
      byte b = data[i];
      if (b != ' ' && b != '\n' && b != '\t' && b != '\r') {
        break;
      }
      i++;
    }
    return i;
  }

  private int indexOfNewline(int from) {
    for (int i = from; i < end; i++) {
      if (data[i] == '\n') {
        return i;
      }
    }
    return end;
  }

  /**
   * Index of the first byte in {@code [from, to)} that starts an invalid UTF-8 sequence, or -1.
   * Strict like Rust's {@code str::from_utf8}: no overlong forms, surrogates or values past
   * U+10FFFF.
   */
  int invalidUtf8At(int from, int to) {
    int i = from;
    while (i < to) {
      int b = data[i];
      if (b >= 0) {
        i++;
        continue;
      }
      b &= 0xFF;
      int continuation;
      int min = 0x80;
      int max = 0xBF;
      if (b >= 0xC2 && b <= 0xDF) {
        continuation = 1;
      } else if (b == 0xE0) {
        continuation = 2;
        min = 0xA0;
      } else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) {
        continuation = 2;
      } else if (b == 0xED) {
        continuation = 2;
        max = 0x9F;
      } else if (b == 0xF0) {
        continuation = 3;
        min = 0x90;
      } else if (b >= 0xF1 && b <= 0xF3) {
        continuation = 3;
      } else if (b == 0xF4) {
        continuation = 3;
        max = 0x8F;
      } else {
        return i;
      }
      if (i + continuation >= to) {
        return i;
      }
      int second = data[i + 1] & 0xFF;
      if (second < min || second > max) {
        return i;
      }
      for (int k = 2; k <= continuation; k++) {
        int next = data[i + k] & 0xFF;
        if (next < 0x80 || next > 0xBF) {
          return i;
        }
      }
      i += continuation + 1;
    }
    return -1;
  }

  private EnvelopeException error(EnvelopeException.Kind kind, long index, String detail) {
    long offset = index - base;
    return new EnvelopeException(kind, offset, detail + " (at byte " + offset + ")");
  }

  private static String byteText(byte b) {
    int v = b & 0xFF;
    if (v == '\r') {
      return "'\\r'";
    }
    if (v >= 0x20 && v < 0x7F) {
      return "'" + (char) v + "'";
    }
    return String.format("0x%02x", v);
  }

  /** Jackson's message without its location suffix (the offset is in ours). */
  private static String jacksonMessage(IOException e) {
    String message = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    if (message == null) {
      return e.getClass().getSimpleName();
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /** A known header field given twice; serde rejects that for the fields of a struct. */
  private static final class DuplicateFieldException extends IOException {
    private static final long serialVersionUID = 1L;

    DuplicateFieldException(String field) {
      super(field, null);
    }
  }
}

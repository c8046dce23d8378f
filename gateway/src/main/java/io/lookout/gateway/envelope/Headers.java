package io.lookout.gateway.envelope;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Validation of the header fields Relay deserializes strictly; shared by parser and factories. */
final class Headers {

  /** Item header fields whose type Relay checks (a duplicate of one is an error in Relay too). */
  static final Set<String> ITEM_FIELDS =
      Set.of("type", "length", "item_count", "attachment_type", "content_type", "filename", "platform");

  /** Envelope header fields whose type we check. */
  static final Set<String> ENVELOPE_FIELDS = Set.of("event_id", "dsn", "sent_at");

  static final long U32_MAX = 0xFFFF_FFFFL;

  private static final int MAX_QUOTED = 64;

  /** RFC 3339 with a {@code +hhmm} offset, which chrono's relaxed parser also takes. */
  private static final DateTimeFormatter OFFSET_WITHOUT_COLON = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
      .appendOffset("+HHMM", "Z")
      .toFormatter();

  private Headers() {
  }

  /**
   * Checks the fields Relay's {@code ItemHeaders} deserializes strictly and answers the item's
   * type, or throws {@link IllegalArgumentException} with the reason.
   */
  static ItemType checkItemHeader(JsonObject header) {
    Object type = header.getValue("type");
    if (type == null) {
      throw new IllegalArgumentException("missing field `type`");
    }
    if (!(type instanceof String name)) {
      throw new IllegalArgumentException("`type` must be a string, got " + describe(type));
    }
    checkU32(header, "length");
    checkU32(header, "item_count");
    checkString(header, "attachment_type");
    checkString(header, "content_type");
    checkString(header, "filename");
    checkString(header, "platform");
    return ItemType.fromWireName(name);
  }

  /** Checks the envelope header fields and rewrites {@code event_id} to its 32-hex form. */
  static void checkEnvelopeHeader(JsonObject header) {
    Object eventId = header.getValue("event_id");
    if (eventId != null) {
      if (!(eventId instanceof String raw)) {
        throw new IllegalArgumentException("`event_id` must be a string, got " + describe(eventId));
      }
      String normalized = normalizeEventId(raw);
      if (normalized == null) {
        throw new IllegalArgumentException("`event_id` is not a UUID: " + quote(raw));
      }
      header.put("event_id", normalized);
    }
    checkString(header, "dsn");
    Object sentAt = header.getValue("sent_at");
    if (sentAt != null) {
      if (!(sentAt instanceof String raw)) {
        throw new IllegalArgumentException("`sent_at` must be an RFC 3339 string, got " + describe(sentAt));
      }
      if (parseTimestamp(raw) == null) {
        throw new IllegalArgumentException("`sent_at` is not an RFC 3339 timestamp: " + quote(raw));
      }
    }
  }

  private static void checkU32(JsonObject header, String field) {
    Object value = header.getValue(field);
    if (value == null) {
      return;
    }
    boolean integral = value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte || value instanceof java.math.BigInteger;
    if (!integral || ((Number) value).doubleValue() < 0 || ((Number) value).doubleValue() > U32_MAX) {
      throw new IllegalArgumentException(
          "`" + field + "` must be an integer from 0 to " + U32_MAX + ", got " + describe(value));
    }
  }

  private static void checkString(JsonObject header, String field) {
    Object value = header.getValue(field);
    if (value != null && !(value instanceof String)) {
      throw new IllegalArgumentException("`" + field + "` must be a string, got " + describe(value));
    }
  }

  /**
   * The 32 lower-case hex digits of a UUID written as Rust's {@code uuid} crate parses it: plain,
   * hyphenated, braced or {@code urn:uuid:}; hex digits of either case. {@code null} if invalid.
   */
  static String normalizeEventId(String raw) {
    String s = raw;
    if (s.length() == 45 && s.startsWith("urn:uuid:")) {
      s = s.substring(9);
    } else if (s.length() == 38 && s.charAt(0) == '{' && s.charAt(37) == '}') {
      s = s.substring(1, 37);
    }
    char[] out = new char[32];
    int n = 0;
    if (s.length() == 32) {
      for (int i = 0; i < 32; i++) {
        char c = hexLower(s.charAt(i));
        if (c == 0) {
          return null;
        }
        out[n++] = c;
      }
      return new String(out);
    }
    if (s.length() != 36) {
      return null;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return null;
        }
        continue;
      }
      char h = hexLower(c);
      if (h == 0) {
        return null;
      }
      out[n++] = h;
    }
    return new String(out);
  }

  private static char hexLower(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
      return c;
    }
    if (c >= 'A' && c <= 'F') {
      return (char) (c + ('a' - 'A'));
    }
    return 0;
  }

  /**
   * An RFC 3339 timestamp as chrono's relaxed parser reads {@code DateTime<Utc>}: separator
   * {@code T}, {@code t} or a space, optional fraction, offset {@code Z}, {@code z},
   * {@code +hh:mm} or {@code +hhmm}. {@code null} if invalid.
   */
  static Instant parseTimestamp(String raw) {
    if (raw.length() < 20) {
      return null;
    }
    Instant fast = FastTimestamps.parse(raw, true);
    if (fast != null) {
      return fast;
    }
    char separator = raw.charAt(10);
    if (separator != 'T' && separator != 't' && separator != ' ') {
      return null;
    }
    String s = raw.substring(0, 10) + 'T' + raw.substring(11);
    if (s.endsWith("z")) {
      s = s.substring(0, s.length() - 1) + 'Z';
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s, OFFSET_WITHOUT_COLON).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  static String describe(Object value) {
    if (value instanceof String s) {
      return "string " + quote(s);
    }
    if (value instanceof JsonObject) {
      return "an object";
    }
    if (value instanceof io.vertx.core.json.JsonArray) {
      return "an array";
    }
    if (value instanceof Boolean b) {
      return "boolean " + b;
    }
    return "number " + value;
  }

  /** Quotes a client value for an error message, cut short: messages go back to the client. */
  static String quote(String s) {
    String cut = s.length() > MAX_QUOTED ? s.substring(0, MAX_QUOTED) + "..." : s;
    return '"' + cut + '"';
  }
}

package io.lookout.storage.kafka.message;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Typed reads from a decoded map (msgpack or JSON) that turn every surprise into an
 * {@link InvalidMessageException} naming the message and the field. Absent and nil are the same
 * thing, as they are for Relay's {@code Option} and Sentry's {@code message.get(...)}.
 */
final class Fields {

  private final Map<String, Object> map;
  private final String what;

  Fields(Map<String, Object> map, String what) {
    this.map = map;
    this.what = what;
  }

  String what() {
    return what;
  }

  boolean has(String key) {
    return map.get(key) != null;
  }

  Object raw(String key) {
    return map.get(key);
  }

  String requiredString(String key) {
    return require(key, optionalString(key));
  }

  String optionalString(String key) {
    Object value = map.get(key);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(key, "a string", value);
  }

  long requiredLong(String key) {
    return require(key, optionalLong(key));
  }

  Long optionalLong(String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    Long exact = exactLong(value);
    if (exact == null) {
      throw wrongType(key, "an integer", value);
    }
    return exact;
  }

  int requiredInt(String key) {
    return toInt(key, requiredLong(key));
  }

  Integer optionalInt(String key) {
    Long value = optionalLong(key);
    return value == null ? null : toInt(key, value);
  }

  /**
   * Unix seconds. Relay writes integers; other producers (Sentry's own tests, the schema of
   * {@code ingest-monitors}) allow a float, which is truncated to whole seconds.
   */
  long requiredSeconds(String key) {
    Object value = require(key, map.get(key));
    Long exact = exactLong(value);
    if (exact != null) {
      return exact;
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      double d = ((Number) value).doubleValue();
      if (Double.isFinite(d)) {
        return (long) Math.floor(d);
      }
    }
    throw wrongType(key, "unix seconds", value);
  }

  double requiredDouble(String key) {
    return require(key, optionalDouble(key));
  }

  Double optionalDouble(String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d)) {
        return d;
      }
    }
    throw wrongType(key, "a number", value);
  }

  boolean bool(String key, boolean dflt) {
    Object value = map.get(key);
    if (value == null) {
      return dflt;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, "a boolean", value);
  }

  /** Bytes from msgpack bin; a str is taken as its UTF-8 bytes (Python producers send either). */
  byte[] requiredBytes(String key) {
    return require(key, optionalBytes(key));
  }

  byte[] optionalBytes(String key) {
    Object value = map.get(key);
    if (value == null || value instanceof byte[]) {
      return (byte[]) value;
    }
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    throw wrongType(key, "bytes", value);
  }

  /** A required event id, returned in Relay's simple form. */
  String requiredEventId(String key) {
    String value = requiredString(key);
    try {
      return EventIds.normalize(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(what + ": field '" + key + "' is " + e.getMessage());
    }
  }

  String optionalEventId(String key) {
    return has(key) ? requiredEventId(key) : null;
  }

  List<?> optionalList(String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    if (value instanceof List<?> list) {
      return list;
    }
    if (value instanceof JsonArray array) {
      return array.getList();
    }
    throw wrongType(key, "an array", value);
  }

  Fields requiredMap(String key, String nestedWhat) {
    Map<String, Object> nested = asMap(require(key, map.get(key)));
    if (nested == null) {
      throw wrongType(key, "a map", map.get(key));
    }
    return new Fields(nested, nestedWhat);
  }

  JsonObject optionalJsonObject(String key) {
    Object value = map.get(key);
    if (value == null) {
      return null;
    }
    Map<String, Object> nested = asMap(value);
    if (nested == null) {
      throw wrongType(key, "an object", value);
    }
    return new JsonObject(nested);
  }

  JsonObject requiredJsonObject(String key) {
    return require(key, optionalJsonObject(key));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(Object value) {
    if (value instanceof JsonObject json) {
      return json.getMap();
    }
    if (value instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    return null;
  }

  /** The value as a long if it is an integer that fits, else null. */
  static Long exactLong(Object value) {
    if (value instanceof Long l) {
      return l;
    }
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger b && b.bitLength() < 64) {
      return b.longValue();
    }
    return null;
  }

  <T> T require(String key, T value) {
    if (value == null) {
      throw new InvalidMessageException(what + ": missing required field '" + key + "'");
    }
    return value;
  }

  InvalidMessageException invalid(String key, String problem) {
    return new InvalidMessageException(what + ": field '" + key + "' " + problem);
  }

  private int toInt(String key, long value) {
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw invalid(key, "is out of range: " + value);
    }
    return (int) value;
  }

  private InvalidMessageException wrongType(String key, String expected, Object value) {
    return new InvalidMessageException(
        what + ": field '" + key + "' must be " + expected + ", got " + describe(value));
  }

  /** A library's error message cut short: enough to say what broke, too short to echo a payload. */
  static String brief(String message) {
    if (message == null) {
      return "no detail";
    }
    String line = message.lines().findFirst().orElse("");
    return line.length() > 160 ? line.substring(0, 160) + "..." : line;
  }

  static String describe(Object value) {
    if (value == null) {
      return "nil";
    }
    if (value instanceof byte[] b) {
      return "bytes[" + b.length + "]";
    }
    if (value instanceof String) {
      return "a string";
    }
    if (value instanceof Boolean) {
      return "a boolean";
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return "a float";
    }
    if (value instanceof Number) {
      return "an integer out of range";
    }
    if (value instanceof List<?> || value instanceof JsonArray) {
      return "an array";
    }
    if (value instanceof Map<?, ?> || value instanceof JsonObject) {
      return "a map";
    }
    return value.getClass().getSimpleName();
  }
}

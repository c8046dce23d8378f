package io.lookout.storage.kafka.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Writing and reading the JSON messages. Writing streams through one shared (thread-safe)
 * {@link JsonFactory} in the field order the producer we copy uses, compact like
 * {@code serde_json::to_vec} and Sentry's {@code json.dumps}. Reading goes through Vert.x's JSON
 * codec.
 */
final class JsonSupport {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonSupport() {
  }

  interface Writer {
    void write(JsonGenerator generator) throws IOException;
  }

  static JsonGenerator generator(ByteArrayBuilder out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  static byte[] write(int sizeHint, Writer writer) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(Math.max(256, sizeHint))) {
      try (JsonGenerator generator = FACTORY.createGenerator(out)) {
        writer.write(generator);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // only an in-memory buffer is written to
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A JSON tree as Vert.x holds one ({@link JsonObject}, {@link JsonArray}, or the maps, lists,
   * strings, numbers and booleans inside them), streamed without encoding it to a string first.
   */
  static void writeValue(JsonGenerator g, Object value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else if (value instanceof String s) {
      g.writeString(s);
    } else if (value instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short
        || value instanceof Byte) {
      g.writeNumber(((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      // as Python's json and serde_json print floats, not Java's 1.714658607E9
      g.writeNumber(plainFloat(((Number) value).doubleValue()));
    } else if (value instanceof BigInteger b) {
      g.writeNumber(b);
    } else if (value instanceof BigDecimal b) {
      g.writeNumber(b);
    } else if (value instanceof JsonObject || value instanceof Map<?, ?>) {
      Map<String, Object> map = Fields.asMap(value);
      g.writeStartObject();
      for (Map.Entry<String, Object> entry : map.entrySet()) {
        g.writeFieldName(entry.getKey());
        writeValue(g, entry.getValue());
      }
      g.writeEndObject();
    } else if (value instanceof JsonArray || value instanceof List<?>) {
      List<?> list = value instanceof JsonArray array ? array.getList() : (List<?>) value;
      g.writeStartArray();
      for (Object item : list) {
        writeValue(g, item);
      }
      g.writeEndArray();
    } else if (value instanceof Instant instant) {
      g.writeString(DateTimeFormatter.ISO_INSTANT.format(instant));
    } else if (value instanceof Enum<?> e) {
      g.writeString(e.name());
    } else {
      throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
    }
  }

  /**
   * A float the way Python's {@code str(float)} and serde_json print one: plain digits, never an
   * exponent, and {@code .0} on whole numbers ({@code 1714658607.123}, {@code 1714658607.0}).
   */
  static String plainFloat(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a JSON number must be finite, got " + value);
    }
    String plain = BigDecimal.valueOf(value).toPlainString();
    return plain.indexOf('.') < 0 ? plain + ".0" : plain;
  }

  static void writePlainFloatField(JsonGenerator g, String field, double value)
      throws IOException {
    g.writeFieldName(field);
    g.writeNumber(plainFloat(value));
  }

  static void writeNullableString(JsonGenerator g, String field, String value)
      throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeStringField(field, value);
    }
  }

  static void writeNullableNumber(JsonGenerator g, String field, Long value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value);
    }
  }

  static Map<String, Object> readObject(byte[] bytes, String what) {
    Object value = readAny(bytes, what);
    Map<String, Object> map = Fields.asMap(value);
    if (map == null) {
      throw new InvalidMessageException(what + ": expected a JSON object, got "
          + Fields.describe(value));
    }
    return map;
  }

  static JsonArray readArray(byte[] bytes, String what) {
    Object value = readAny(bytes, what);
    if (value instanceof JsonArray array) {
      return array;
    }
    throw new InvalidMessageException(what + ": expected a JSON array, got "
        + Fields.describe(value));
  }

  /**
   * {@link #readArray}, except that in the object at {@code index} whose member {@code member} is an
   * object, only the keys of that member that {@code keep} accepts are read: the values of the others
   * are skipped token by token (still checked to be JSON) without building them. For a consumer
   * that needs a few fields of a large event.
   */
  static JsonArray readArrayKeeping(byte[] bytes, String what, int index, String member, Predicate<String> keep) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidMessageException(what + ": empty message");
    }
    ObjectMapper mapper = DatabindCodec.mapper();
    try (JsonParser p = mapper.createParser(bytes)) {
      if (p.nextToken() != JsonToken.START_ARRAY) {
        return readArray(bytes, what); // says what it is instead
      }
      List<Object> items = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t == null) {
          throw new InvalidMessageException(what + ": not valid JSON (unexpected end of input)");
        }
        items.add(items.size() == index && t == JsonToken.START_OBJECT
            ? readObjectKeeping(p, mapper, member, keep) : mapper.readValue(p, Object.class));
      }
      if (p.nextToken() != null) {
        throw new InvalidMessageException(what + ": not valid JSON (content after the array)");
      }
      return new JsonArray(items);
    } catch (JsonProcessingException e) {
      throw new InvalidMessageException(what + ": not valid JSON (" + Fields.brief(e.getOriginalMessage()) + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // bytes in memory
    }
  }

  /** The object the parser is at, with {@code member}'s keys filtered; leaves the parser on its end. */
  private static Map<String, Object> readObjectKeeping(JsonParser p, ObjectMapper mapper, String member,
      Predicate<String> keep) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      if (p.nextToken() != JsonToken.START_OBJECT || !name.equals(member)) {
        map.put(name, mapper.readValue(p, Object.class));
        continue;
      }
      Map<String, Object> kept = new LinkedHashMap<>();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        if (keep.test(key)) {
          kept.put(key, mapper.readValue(p, Object.class));
        } else {
          p.skipChildren();
        }
      }
      map.put(name, kept);
    }
    return map;
  }

  private static Object readAny(byte[] bytes, String what) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidMessageException(what + ": empty message");
    }
    try {
      Object value = Buffer.buffer(bytes).toJsonValue();
      if (value instanceof Map<?, ?> m) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) m;
        return new JsonObject(map);
      }
      if (value instanceof List<?> list) {
        return new JsonArray(list);
      }
      return value;
    } catch (DecodeException e) {
      throw new InvalidMessageException(what + ": not valid JSON (" + Fields.brief(e.getMessage()) + ")", e);
    }
  }
}

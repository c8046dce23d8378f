package io.lookout.storage.kafka.message;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

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

  /** A JSON value that is already encoded, such as a {@link JsonObject}, written as is. */
  static void writeRaw(JsonGenerator generator, Object value) throws IOException {
    if (value == null) {
      generator.writeNull();
    } else if (value instanceof JsonObject object) {
      generator.writeRawValue(object.encode());
    } else if (value instanceof JsonArray array) {
      generator.writeRawValue(array.encode());
    } else {
      throw new IllegalArgumentException("not a JSON object or array: " + value.getClass());
    }
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
      if (value instanceof java.util.List<?> list) {
        return new JsonArray(list);
      }
      return value;
    } catch (DecodeException e) {
      throw new InvalidMessageException(what + ": not valid JSON (" + Fields.brief(e.getMessage()) + ")", e);
    }
  }
}

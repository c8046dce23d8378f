package io.lookout.storage.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and encodes JSON objects on the hot path of every event.
 *
 * <p>Parsing builds nested objects and arrays as {@link JsonObject} and {@link JsonArray} right away:
 * {@code new JsonObject(buffer)} keeps them as plain maps and lists, and every {@code getValue} of a
 * nested object then wraps it in a new {@link JsonObject} again; an event is read by many steps.
 *
 * <p>Encoding to UTF-8 JSON with Jackson's streaming generator. The output is what
 * {@link JsonObject#toBuffer()} gives; with jackson-databind on the class path {@code toBuffer()}
 * goes through an {@code ObjectMapper} (a serializer provider and lookups per call), which costs
 * about half as much again as streaming on the hot path of every event.
 */
public final class JsonBytes {

  private static final JsonFactory FACTORY = new JsonFactory();
  /** The first block of each thread's output buffer, kept between calls. */
  static final int REUSED_BLOCK = 64 * 1024;
  private static final ThreadLocal<ByteArrayBuilder> OUT =
      ThreadLocal.withInitial(() -> new ByteArrayBuilder(REUSED_BLOCK));

  private JsonBytes() {
  }

  /**
   * {@code value} as compact JSON. Written into a block this thread keeps (up to
   * {@value #REUSED_BLOCK} bytes; longer output goes on in blocks of its own), so an event costs
   * one copy of its bytes: no growing buffer, no joining of blocks.
   */
  public static byte[] encode(JsonObject value) {
    ByteArrayBuilder out = OUT.get();
    out.reset();
    try (JsonGenerator generator = FACTORY.createGenerator(out)) {
      JacksonCodec.encodeJson(value, generator);
    } catch (IOException e) {
      // only an in-memory buffer is written to
      throw new UncheckedIOException("cannot encode JSON", e);
    }
    byte[] bytes = out.toByteArray();
    out.reset();
    return bytes;
  }

  /** {@link #encode(JsonObject)} as a Vert.x buffer. */
  public static Buffer buffer(JsonObject value) {
    return Buffer.buffer(encode(value));
  }

  /**
   * The JSON object in {@code json}. Numbers become what Vert.x's codec gives: {@code Integer},
   * {@code Long} or {@code BigInteger} for integers, {@code Double} for fractions.
   *
   * @throws DecodeException when {@code json} is not one JSON object (trailing content included)
   */
  public static JsonObject parseObject(byte[] json) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new DecodeException("not a JSON object");
      }
      JsonObject value = object(parser);
      if (parser.nextToken() != null) {
        throw new DecodeException("unexpected content after the JSON object");
      }
      return value;
    } catch (IOException e) {
      throw new DecodeException("invalid JSON: " + e.getMessage());
    }
  }

  private static JsonObject object(JsonParser parser) throws IOException {
    Map<String, Object> map = new LinkedHashMap<>();
    String name;
    while ((name = parser.nextFieldName()) != null) {
      map.put(name, value(parser, parser.nextToken()));
    }
    if (parser.currentToken() != JsonToken.END_OBJECT) {
      throw new DecodeException("invalid JSON object");
    }
    return new JsonObject(map);
  }

  private static JsonArray array(JsonParser parser) throws IOException {
    List<Object> list = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new DecodeException("unterminated JSON array");
      }
      list.add(value(parser, token));
    }
    return new JsonArray(list);
  }

  private static Object value(JsonParser parser, JsonToken token) throws IOException {
    if (token == null) {
      throw new DecodeException("unexpected end of JSON");
    }
    switch (token) {
      case START_OBJECT:
        return object(parser);
      case START_ARRAY:
        return array(parser);
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        return parser.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new DecodeException("unexpected JSON token " + token);
    }
  }
}

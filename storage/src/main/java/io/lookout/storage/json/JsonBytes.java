package io.lookout.storage.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a {@link JsonObject} to UTF-8 JSON with Jackson's streaming generator. The output is what
 * {@link JsonObject#toBuffer()} gives; with jackson-databind on the class path {@code toBuffer()}
 * goes through an {@code ObjectMapper} (a serializer provider and lookups per call), which costs
 * about half as much again as streaming on the hot path of every event.
 */
public final class JsonBytes {

  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBytes() {
  }

  /** {@code value} as compact JSON; {@code sizeHint} is a first guess of the length in bytes. */
  public static byte[] encode(JsonObject value, int sizeHint) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(Math.max(256, sizeHint))) {
      try (JsonGenerator generator = FACTORY.createGenerator(out)) {
        JacksonCodec.encodeJson(value, generator);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // only an in-memory buffer is written to
      throw new UncheckedIOException("cannot encode JSON", e);
    }
  }

  /** {@link #encode(JsonObject, int)} with a hint for a typical event (a few KiB). */
  public static byte[] encode(JsonObject value) {
    return encode(value, 4096);
  }

  /** {@link #encode(JsonObject)} as a Vert.x buffer. */
  public static Buffer buffer(JsonObject value) {
    return Buffer.buffer(encode(value));
  }
}

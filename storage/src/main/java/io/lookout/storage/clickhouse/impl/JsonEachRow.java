package io.lookout.storage.clickhouse.impl;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** ClickHouse's JSONEachRow format: one JSON object per line, both ways. */
public final class JsonEachRow {

  private JsonEachRow() {
  }

  // Vert.x's own settings would not matter here: encodeJson below does the value mapping
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final SerializedString NEWLINE = new SerializedString("\n");

  /**
   * All rows in one body, each object on its own line (newlines inside strings are escaped). One
   * generator writes every row into one growing array: per-row buffers, and copying the result
   * again, cost as much as the encoding for a 20 MB batch.
   */
  public static Body encode(List<JsonObject> rows) {
    // ~2 KiB per error row; a good first guess saves most of the regrowth
    Body body = new Body(Math.max(256, rows.size() * 2048));
    try (JsonGenerator generator = FACTORY.createGenerator(body)) {
      generator.setRootValueSeparator(NEWLINE);
      for (JsonObject row : rows) {
        JacksonCodec.encodeJson(row, generator);
      }
      if (!rows.isEmpty()) {
        generator.writeRaw('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode JSONEachRow", e); // in-memory: does not happen
    }
    return body;
  }

  /** An encoded insert body, read back without copying it. */
  public static final class Body extends ByteArrayOutputStream {

    Body(int size) {
      super(size);
    }

    public InputStream toInputStream() {
      return new ByteArrayInputStream(buf, 0, count);
    }
  }

  /**
   * Reads rows until the end of the stream. ClickHouse reports an error that happens after it has
   * started answering (status 200 already sent) as plain text at the end of the body, so a line that
   * is not a JSON object is that error.
   *
   * @throws ResultStreamException with ClickHouse's text for such a line
   */
  public static List<JsonObject> decode(InputStream in) throws IOException {
    List<JsonObject> rows = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.charAt(0) != '{') {
        throw new ResultStreamException(readRest(line, reader));
      }
      try {
        rows.add(new JsonObject(line));
      } catch (DecodeException e) {
        throw new ResultStreamException(readRest(line, reader));
      }
    }
    return rows;
  }

  private static String readRest(String first, BufferedReader reader) throws IOException {
    StringBuilder text = new StringBuilder(first);
    String line;
    while ((line = reader.readLine()) != null && text.length() < 4096) {
      text.append('\n').append(line);
    }
    return text.toString().strip();
  }

  /** The server failed a query after it had started sending rows. */
  public static final class ResultStreamException extends IOException {

    public ResultStreamException(String serverText) {
      super(serverText);
    }
  }
}

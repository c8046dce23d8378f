package io.lookout.storage.clickhouse.impl;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** ClickHouse's JSONEachRow format: one JSON object per line, both ways. */
public final class JsonEachRow {

  private JsonEachRow() {
  }

  /** All rows in one buffer, each object on its own line (Jackson escapes newlines in strings). */
  public static Buffer encode(List<JsonObject> rows) {
    // ~1 KiB per error row is typical; a good first guess saves most of the buffer regrowth
    Buffer out = Buffer.buffer(Math.max(256, rows.size() * 1024));
    for (JsonObject row : rows) {
      out.appendBuffer(row.toBuffer()).appendByte((byte) '\n');
    }
    return out;
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

package io.lookout.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.clickhouse.impl.JsonEachRow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClickHouseWriterTest {

  @Test
  void rowsAreEncodedOneJsonObjectPerLine() {
    JsonObject first = new JsonObject()
        .put("project_id", 1)
        .put("message", "line one\nline two")
        .put("tags.key", new JsonArray().add("a").add("b"))
        .put("tags.value", new JsonArray().add("1").add("2"))
        .putNull("environment");
    JsonObject second = new JsonObject().put("project_id", 2).put("title", "\"quoted\" é");

    String body = JsonEachRow.encode(List.of(first, second)).toString(StandardCharsets.UTF_8);

    assertThat(body).endsWith("\n");
    String[] lines = body.split("\n");
    assertThat(lines).hasSize(2);
    assertThat(new JsonObject(lines[0])).isEqualTo(first);
    assertThat(new JsonObject(lines[1])).isEqualTo(second);
    // a newline inside a value must stay escaped, or ClickHouse would see two broken rows
    assertThat(lines[0]).contains("line one\\nline two");
  }

  @Test
  void emptyBatchEncodesToNothing() {
    assertThat(JsonEachRow.encode(List.of()).size()).isZero();
  }

  @Test
  void dateTimeIsUnixSeconds() {
    assertThat(ClickHouseWriter.dateTime(Instant.parse("2024-05-01T10:00:00.999Z"))).isEqualTo(1714557600L);
    assertThat(ClickHouseWriter.dateTime(Instant.EPOCH)).isZero();
  }

  @Test
  void sentryHexIdsBecomeHyphenatedUuids() {
    assertThat(ClickHouseWriter.uuid("0123456789ABCDEF0123456789abcdef"))
        .isEqualTo("01234567-89ab-cdef-0123-456789abcdef");
    assertThat(ClickHouseWriter.uuid("01234567-89AB-cdef-0123-456789abcdef"))
        .isEqualTo("01234567-89ab-cdef-0123-456789abcdef");
    assertThatThrownBy(() -> ClickHouseWriter.uuid("0123")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ClickHouseWriter.uuid("0123456789abcdef0123456789abcdeg"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void resultLinesAreDecodedAndTrailingServerErrorIsReported() throws Exception {
    String ok = "{\"c\":10000,\"k\":[\"a\"]}\n{\"c\":1,\"k\":[]}\n";
    List<JsonObject> rows = JsonEachRow.decode(new ByteArrayInputStream(ok.getBytes(StandardCharsets.UTF_8)));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).getLong("c")).isEqualTo(10000L);

    String broken = "{\"c\":1}\nCode: 241, e.displayText() = DB::Exception: Memory limit exceeded\n";
    assertThatThrownBy(() -> JsonEachRow.decode(new ByteArrayInputStream(broken.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(JsonEachRow.ResultStreamException.class)
        .hasMessageContaining("Code: 241")
        .hasMessageContaining("Memory limit exceeded");
  }
}

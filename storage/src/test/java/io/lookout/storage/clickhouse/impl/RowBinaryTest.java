package io.lookout.storage.clickhouse.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowBinaryTest {

  private static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void stringsAreUtf8WithTheirByteLengthAsVarint() {
    for (String s : List.of("", "ascii", "héllo ✓ 𝄞", "x".repeat(200), "\uD800 lone surrogate")) {
      RowBinaryBuffer out = new RowBinaryBuffer(1);
      out.writeString(s);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      byte[] bytes = out.toByteArray();
      int prefix = utf8.length < 128 ? 1 : 2;
      assertThat(bytes).hasSize(prefix + utf8.length);
      assertThat(bytes[0] & 0x7F).isEqualTo(utf8.length & 0x7F);
      assertThat(java.util.Arrays.copyOfRange(bytes, prefix, bytes.length)).as(s).isEqualTo(utf8);
    }
  }

  @Test
  void varintIsLeb128() {
    RowBinaryBuffer out = new RowBinaryBuffer(1);
    out.writeVarint(0);
    out.writeVarint(127);
    out.writeVarint(128);
    out.writeVarint(300);
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo("007f8001ac02");
  }

  @Test
  void uuidIsTwoLittleEndianHalvesHighFirst() {
    RowBinaryBuffer out = new RowBinaryBuffer(1);
    RowBinaryColumn uuid = RowBinaryColumn.of("UUID", UTC);
    uuid.write(out, "01234567-89ab-cdef-0123-456789abcdef");
    uuid.write(out, "0123456789ABCDEF0123456789abcdef");
    String half = "efcdab8967452301";
    assertThat(HexFormat.of().formatHex(out.toByteArray())).isEqualTo(half + half + half + half);
  }

  @Test
  void enumTypesAreParsedWithQuotedNames() {
    assertThat(RowBinaryColumn.enumValues("'ok' = 0, 'it\\'s' = -3, 'a,b' = 5"))
        .containsExactly(Map.entry("ok", 0), Map.entry("it's", -3), Map.entry("a,b", 5));
    assertThat(RowBinaryColumn.of("Nullable(Array(Decimal(9, 2)))", UTC)).isNull();
    assertThat(RowBinaryColumn.of("Array(Nullable(UInt32))", UTC)).isNotNull();
  }

  @Test
  void rowsAreWrittenInColumnOrderWithDefaultsForAbsentFields() {
    RowBinaryTable table = RowBinaryTable.of("t", List.of(
        column("b", "Nullable(String)", ""), column("a", "UInt16", ""), column("m", "UInt8", "MATERIALIZED"),
        column("c", "Array(UInt8)", "")), UTC);
    assertThat(table.quotedColumns()).containsExactly("`b`", "`a`", "`c`");

    byte[] body = table.encode(List.of(
        new JsonObject().put("a", 258).put("c", new JsonArray().add(7)).put("b", "x"),
        new JsonObject())).toByteArray();

    assertThat(HexFormat.of().formatHex(body)).isEqualTo("000178" + "0201" + "0107" + "01" + "0000" + "00");
  }

  @Test
  void fieldThatIsNotAColumnIsAnUnknownField() {
    RowBinaryTable table = RowBinaryTable.of("t", List.of(column("a", "UInt8", ""),
        column("m", "UInt8", "MATERIALIZED")), UTC);

    assertThatThrownBy(() -> table.encode(List.of(new JsonObject().put("a", 1), new JsonObject().put("m", 1))))
        .isInstanceOfSatisfying(RowValueException.class, e -> assertThat(e.code()).isEqualTo(117))
        .hasMessageContaining("Unknown field")
        .hasMessageContaining(": m (row 2 of 2)");
  }

  private static JsonObject column(String name, String type, String kind) {
    return new JsonObject().put("name", name).put("type", type).put("default_type", kind);
  }
}

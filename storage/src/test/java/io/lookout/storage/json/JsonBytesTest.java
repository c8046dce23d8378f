package io.lookout.storage.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesTest {

  private static final String EVENT = "{\"event_id\":\"abc\",\"timestamp\":1714658607.25,\"count\":3,"
      + "\"big\":12345678901,\"huge\":123456789012345678901234567890,\"ok\":true,\"no\":false,\"none\":null,"
      + "\"tags\":[[\"a\",\"b\"],[\"c\",\"d\"]],\"user\":{\"id\":\"7\",\"geo\":{\"city\":\"Zürich\"}},\"empty\":{},"
      + "\"list\":[]}";

  @Test
  void parsesNestedValuesAsVertxJsonTypes() {
    JsonObject o = JsonBytes.parseObject(EVENT.getBytes(StandardCharsets.UTF_8));
    assertThat(o).isEqualTo(new JsonObject(EVENT));
    // nested containers are already JsonObject / JsonArray in the backing map and list
    assertThat(o.getMap().get("user")).isInstanceOf(JsonObject.class);
    assertThat(o.getMap().get("tags")).isInstanceOf(JsonArray.class);
    assertThat(((JsonArray) o.getMap().get("tags")).getList().get(0)).isInstanceOf(JsonArray.class);
    assertThat(o.getJsonObject("user").getJsonObject("geo").getString("city")).isEqualTo("Zürich");
    // the same number types as Vert.x's own codec
    assertThat(o.getValue("count")).isEqualTo(3);
    assertThat(o.getValue("big")).isEqualTo(12345678901L);
    assertThat(o.getValue("huge")).isEqualTo(new BigInteger("123456789012345678901234567890"));
    assertThat(o.getValue("timestamp")).isEqualTo(1714658607.25);
    assertThat(o.containsKey("none")).isTrue();
    assertThat(o.getValue("none")).isNull();
  }

  @Test
  void encodesAsToBufferDoes() {
    JsonObject o = new JsonObject(EVENT);
    assertThat(new String(JsonBytes.encode(o), StandardCharsets.UTF_8)).isEqualTo(o.toBuffer().toString());
    assertThat(JsonBytes.buffer(o)).isEqualTo(o.toBuffer());
  }

  @Test
  void eachEncodeGivesOnlyItsOwnBytesWhenTheThreadsBlockIsReused() {
    JsonObject big = new JsonObject().put("s", "x".repeat(JsonBytes.REUSED_BLOCK * 3)).put("n", 1);
    JsonObject small = new JsonObject().put("a", "b");

    byte[] first = JsonBytes.encode(big);
    byte[] second = JsonBytes.encode(small);
    byte[] third = JsonBytes.encode(big);

    assertThat(JsonBytes.parseObject(first)).isEqualTo(big);
    assertThat(new String(second, StandardCharsets.UTF_8)).isEqualTo("{\"a\":\"b\"}");
    assertThat(third).isEqualTo(first);
    JsonObject notJson = new JsonObject().put("x", new Object());
    assertThatThrownBy(() -> JsonBytes.encode(notJson)).isInstanceOf(RuntimeException.class);
    assertThat(new String(JsonBytes.encode(small), StandardCharsets.UTF_8)).as("after a failed encode")
        .isEqualTo("{\"a\":\"b\"}");
  }

  @Test
  void rejectsWhatIsNotOneObject() {
    for (String bad : new String[] {"[1,2]", "\"s\"", "", "{\"a\":1", "{\"a\":1} {\"b\":2}", "{\"a\":[1,}", "nope"}) {
      assertThatThrownBy(() -> JsonBytes.parseObject(bad.getBytes(StandardCharsets.UTF_8)))
          .as(bad).isInstanceOf(DecodeException.class);
    }
    assertThat(JsonBytes.parseObject(Buffer.buffer(" {} \n").getBytes())).isEqualTo(new JsonObject());
    // nesting beyond Jackson's limit (1,000) is an error, not a stack overflow
    String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
    assertThatThrownBy(() -> JsonBytes.parseObject(deep.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class);
  }
}

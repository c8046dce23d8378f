package io.lookout.storage.kafka.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanCodecTest {

  /** Relay's flattened {@code SpanMeta} + V2 span, as {@code serde_json::to_vec} writes it. */
  private static final String RELAY_SPAN = "{\"organization_id\":1,\"project_id\":42,"
      + "\"key_id\":123,\"received\":1714658607.123,\"retention_days\":90,"
      + "\"downsampled_retention_days\":30,\"attributes\":{\"sentry.op\":{\"type\":\"string\","
      + "\"value\":\"http.server\"}},\"end_timestamp\":1714658607.5,\"is_segment\":true,"
      + "\"name\":\"GET /users\",\"span_id\":\"b0e6f15b45c36b12\",\"start_timestamp\":1714658607.0,"
      + "\"status\":\"ok\",\"trace_id\":\"5b8efff798038103d269b633813fc60c\"}";

  @Test
  void decodesAndReEncodesARelaySpan() {
    SpanMessage decoded = SpanCodec.decode(RELAY_SPAN.getBytes(UTF_8));

    assertThat(decoded.organizationId()).isEqualTo(1);
    assertThat(decoded.keyId()).isEqualTo(123L);
    assertThat(decoded.eventId()).isNull();
    assertThat(decoded.downsampledRetentionDays()).isEqualTo(30);
    assertThat(decoded.span().fieldNames()).doesNotContain("project_id", "received")
        .contains("trace_id", "attributes");
    assertThat(new String(SpanCodec.encode(decoded), UTF_8)).isEqualTo(RELAY_SPAN);
    assertThat(decoded.kafkaHeaders()).isEqualTo(Map.of("project_id", "42"));
  }

  @Test
  void metaWinsOverSpanFieldsOfTheSameName() {
    SpanMessage message = new SpanMessage(1, 42, null, "9ec79c33ec9942ab8353589fcb2e04dc",
        1_714_658_607.5, 90, 90, new JsonObject().put("project_id", 7).put("span_id", "a"));

    JsonObject encoded = new JsonObject(new String(SpanCodec.encode(message), UTF_8));

    assertThat(encoded.getLong("project_id")).isEqualTo(42);
    assertThat(encoded.containsKey("key_id")).isFalse();
    assertThat(encoded.getString("event_id")).isEqualTo("9ec79c33ec9942ab8353589fcb2e04dc");
    assertThat(SpanCodec.decode(SpanCodec.encode(message)).span())
        .isEqualTo(new JsonObject().put("span_id", "a"));
  }

  @Test
  void missingMetaIsRefused() {
    assertThatThrownBy(() -> SpanCodec.decode(("{\"project_id\":1,\"received\":1.0,"
        + "\"retention_days\":90}").getBytes(UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining("missing required field 'organization_id'");
  }
}

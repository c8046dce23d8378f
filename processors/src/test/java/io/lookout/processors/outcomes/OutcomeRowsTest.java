package io.lookout.processors.outcomes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.kafka.message.InvalidMessageException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutcomeRowsTest {

  private static JsonObject row(String json) {
    return OutcomeRows.row(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void relaysJsonBecomesAnOutcomesRawRow() {
    JsonObject row = row("{\"timestamp\":\"2024-05-02T14:03:27.123456Z\",\"org_id\":1,\"project_id\":42,"
        + "\"key_id\":123,\"outcome\":2,\"reason\":\"project_quota\",\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\","
        + "\"remote_addr\":\"10.0.0.1\",\"category\":4,\"quantity\":2048}");

    assertThat(row).isEqualTo(new JsonObject().put("org_id", 1L).put("project_id", 42L).put("key_id", 123L)
        .put("timestamp", 1714658607L).put("outcome", 2).put("reason", "project_quota")
        .put("event_id", "9ec79c33-ec99-42ab-8353-589fcb2e04dc").put("category", 4).put("quantity", 2048L));
  }

  @Test
  void missingFieldsTakeSnubasDefaults() {
    JsonObject row = row("{\"timestamp\":\"2024-05-02T14:03:27Z\",\"project_id\":42,\"outcome\":0}");

    assertThat(row.getLong("org_id")).isZero();
    assertThat(row.getInteger("category")).isEqualTo(1);
    assertThat(row.getLong("quantity")).isEqualTo(1);
    assertThat(row.containsKey("key_id")).isTrue();
    assertThat(row.getValue("key_id")).isNull();
    assertThat(row.getValue("reason")).isNull();
  }

  @Test
  void garbageIsInvalid() {
    assertThatThrownBy(() -> row("not json")).isInstanceOf(InvalidMessageException.class);
    assertThatThrownBy(() -> row("{\"project_id\":1,\"outcome\":0}")).isInstanceOf(InvalidMessageException.class);
  }
}

package io.lookout.storage.kafka.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceItemMessageTest {

  @Test
  void headersCarryProjectAndItemTypeAndReadBack() {
    TraceItemMessage message = new TraceItemMessage(42, 3, new byte[] {8, 1, 16, 42});

    assertThat(message.kafkaHeaders()).isEqualTo(Map.of("project_id", "42", "item_type", "3"));
    assertThat(TraceItemMessage.fromRecord(message.payload(), message.kafkaHeaders()))
        .isEqualTo(message);
  }

  @Test
  void aRecordWithoutItsHeadersIsInvalid() {
    assertThatThrownBy(() -> TraceItemMessage.fromRecord(new byte[0], Map.of("project_id", "1")))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("'item_type'");
    assertThatThrownBy(() -> TraceItemMessage.fromRecord(new byte[0],
        Map.of("project_id", "x", "item_type", "3")))
        .isInstanceOf(InvalidMessageException.class);
  }
}

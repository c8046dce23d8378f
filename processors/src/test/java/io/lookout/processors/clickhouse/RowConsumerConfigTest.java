package io.lookout.processors.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RowConsumerConfigTest {

  @Test
  void defaultsHoldARowBoundThatAFullBatchFits() {
    RowConsumerConfig config = RowConsumerConfig.fromJson("outcomes", new JsonObject(), "outcomes-consumer");

    assertThat(config.group()).isEqualTo("outcomes-consumer");
    assertThat(config.maxBatchSize()).isEqualTo(10_000);
    assertThat(config.maxBatchTimeMs()).isEqualTo(1_000);
    assertThat(config.batch().maxPendingItems()).isEqualTo(20_000);
    assertThat(config.batch().maxItems()).isEqualTo(10_000);
  }

  @Test
  void aBatchThatCouldNeverFillIsRejected() {
    JsonObject json = new JsonObject().put("max_batch_size", 5000).put("max_poll_records", 100)
        .put("max_batches_in_flight", 4);

    assertThatThrownBy(() -> RowConsumerConfig.fromJson("sessions", json, "g"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'sessions.max_batch_size' (5000)");
  }

  @Test
  void nonPositiveValuesNameTheirKey() {
    assertThatThrownBy(() -> RowConsumerConfig.fromJson("sessions", new JsonObject().put("max_batch_time_ms", 0), "g"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sessions.max_batch_time_ms");
  }
}

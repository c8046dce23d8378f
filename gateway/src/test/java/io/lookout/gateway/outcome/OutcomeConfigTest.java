package io.lookout.gateway.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.batch.BatchConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class OutcomeConfigTest {

  @Test
  void defaultsBatchForKafkaAndSetNoSource() {
    OutcomeConfig config = OutcomeConfig.fromJson(new JsonObject());

    assertThat(config.source()).isNull();
    assertThat(config.batch()).isEqualTo(new BatchConfig(1000, 1024 * 1024, 500, 2, 50_000));
    assertThat(OutcomeConfig.defaults()).isEqualTo(config);
  }

  @Test
  void batchKeysOverrideOneByOne() {
    OutcomeConfig config = OutcomeConfig.fromJson(new JsonObject()
        .put("source", "gw-1").put("batch", new JsonObject().put("max_age_ms", 100)));

    assertThat(config.source()).isEqualTo("gw-1");
    assertThat(config.batch().maxAgeMs()).isEqualTo(100);
    assertThat(config.batch().maxItems()).isEqualTo(1000);
  }

  @Test
  void aMisspeltBatchKeyIsAnError() {
    assertThatThrownBy(() -> OutcomeConfig.fromJson(new JsonObject()
        .put("batch", new JsonObject().put("max_itemz", 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_itemz");
  }
}

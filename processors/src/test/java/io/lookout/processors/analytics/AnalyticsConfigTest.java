package io.lookout.processors.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

  @Test
  void defaultsAreSnubas() {
    AnalyticsConfig config = AnalyticsConfig.fromJson(new JsonObject());

    assertThat(config.group()).isEqualTo("snuba-consumers");
    assertThat(config.maxBatchSize()).isEqualTo(50_000);
    assertThat(config.maxBatchTimeMs()).isEqualTo(2_000);
    assertThat(config.retentionDays()).isEqualTo(90);
    assertThat(config.discardOldEvents()).isTrue();
    assertThat(config.instancesOf("events")).isEqualTo(1);
    assertThat(config.instancesOf("transactions")).isEqualTo(1);
    assertThat(config.pollsPerBatch()).isEqualTo(20);
  }

  @Test
  void keysOverrideDefaults() {
    AnalyticsConfig config = AnalyticsConfig.fromJson(new JsonObject().put("max_batch_size", 10)
        .put("max_batch_time_ms", 50).put("max_batches_in_flight", 1)
        .put("instances", new JsonObject().put("transactions", 0)));

    assertThat(config.maxBatchSize()).isEqualTo(10);
    assertThat(config.maxBatchTimeMs()).isEqualTo(50);
    assertThat(config.pollsPerBatch()).isEqualTo(1);
    assertThat(config.instancesOf("transactions")).isZero();
  }

  @Test
  void invalidValuesNameTheirKey() {
    assertThatThrownBy(() -> AnalyticsConfig.fromJson(new JsonObject().put("max_batch_size", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("analytics.max_batch_size");
    assertThatThrownBy(() -> AnalyticsConfig.fromJson(new JsonObject().put("group", "a:b")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("analytics.group");
    assertThatThrownBy(() -> AnalyticsConfig.fromJson(new JsonObject()
        .put("instances", new JsonObject().put("outcomes", 1))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("outcomes");
  }
}

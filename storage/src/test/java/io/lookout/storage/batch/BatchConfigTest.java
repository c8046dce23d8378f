package io.lookout.storage.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BatchConfigTest {

  @Test
  void missingKeysTakeTheDocumentedDefaults() {
    BatchConfig config = BatchConfig.fromJson(new JsonObject());

    assertThat(config).isEqualTo(new BatchConfig(1000, 4L * 1024 * 1024, 200, 2, 10_000));
    assertThat(BatchConfig.fromJson(null)).isEqualTo(config);
    assertThat(BatchConfig.defaults()).isEqualTo(config);
  }

  @Test
  void snakeCaseKeysAreRead() {
    BatchConfig config = BatchConfig.fromJson(new JsonObject()
        .put("max_items", 50)
        .put("max_bytes", 1024L)
        .put("max_age_ms", 10)
        .put("max_flushes_in_flight", 4)
        .put("max_pending_items", 500));

    assertThat(config).isEqualTo(new BatchConfig(50, 1024, 10, 4, 500));
    assertThat(BatchConfig.fromJson(config.toJson())).isEqualTo(config);
  }

  @Test
  void numbersGivenAsStringsAreRead() {
    BatchConfig config = BatchConfig.fromJson(new JsonObject().put("max_items", "20"));

    assertThat(config.maxItems()).isEqualTo(20);
  }

  @Test
  void nonPositiveValuesAreRefused() {
    assertThatThrownBy(() -> BatchConfig.fromJson(new JsonObject().put("max_age_ms", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_age_ms");
    assertThatThrownBy(() -> new BatchConfig(1, -1, 1, 1, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_bytes");
  }

  @Test
  void maxItemsAboveMaxPendingItemsIsRefused() {
    assertThatThrownBy(() -> new BatchConfig(11, 1, 1, 1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_pending_items");
  }

  @Test
  void unknownKeyIsRefused() {
    assertThatThrownBy(() -> BatchConfig.fromJson(new JsonObject().put("max_item", 10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_item");
  }

  @Test
  void nonIntegerValueIsRefused() {
    assertThatThrownBy(() -> BatchConfig.fromJson(new JsonObject().put("max_items", 1.5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_items");
    assertThatThrownBy(() -> BatchConfig.fromJson(new JsonObject().put("max_items", "many")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max_items");
  }
}

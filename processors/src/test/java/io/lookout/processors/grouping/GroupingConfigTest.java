package io.lookout.processors.grouping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class GroupingConfigTest {

  @Test
  void emptyOrMissingSectionGivesSentrysDefaults() {
    assertThat(GroupingConfig.fromJson(new JsonObject())).isEqualTo(GroupingConfig.defaults());
    assertThat(GroupingConfig.fromJson(null)).isEqualTo(GroupingConfig.defaults());
    assertThat(GroupingConfig.defaults())
        .isEqualTo(new GroupingConfig(250, 100, 200, 1024, 128, true));
  }

  @Test
  void keysOverrideDefaults() {
    GroupingConfig c = GroupingConfig.fromJson(new JsonObject().put("max_frames", 50)
        .put("title_value_max_length", 80).put("culprit_max_length", 120)
        .put("metadata_value_max_length", 500).put("metadata_type_max_length", 64)
        .put("culprit_prefers_transaction", false));
    assertThat(c).isEqualTo(new GroupingConfig(50, 80, 120, 500, 64, false));
  }

  @Test
  void invalidValuesAreRejectedWithTheKey() {
    assertThatThrownBy(() -> GroupingConfig.fromJson(new JsonObject().put("max_frames", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("grouping.max_frames");
    assertThatThrownBy(() -> GroupingConfig.fromJson(new JsonObject().put("culprit_max_length", 3)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("grouping.culprit_max_length");
  }
}

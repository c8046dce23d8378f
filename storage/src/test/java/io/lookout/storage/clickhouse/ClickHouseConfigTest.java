package io.lookout.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.clickhouse.ClickHouseConfig.InsertFormat;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ClickHouseConfigTest {

  @Test
  void insertFormatDefaultsToRowBinaryAndTakesJsonEachRow() {
    assertThat(ClickHouseConfig.fromJson(new JsonObject()).insertFormat()).isEqualTo(InsertFormat.ROW_BINARY);
    assertThat(ClickHouseConfig.fromJson(new JsonObject().put("insert_format", "JSONEachRow")).insertFormat())
        .isEqualTo(InsertFormat.JSON_EACH_ROW);
    assertThat(ClickHouseConfig.fromJson(new JsonObject().put("insert_format", "JSONEachRow"))
        .withDatabase("other").insertFormat()).isEqualTo(InsertFormat.JSON_EACH_ROW);
  }

  @Test
  void unknownInsertFormatIsRejected() {
    assertThatThrownBy(() -> ClickHouseConfig.fromJson(new JsonObject().put("insert_format", "Native")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("clickhouse.insert_format");
  }
}

package io.lookout.storage.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfLoaderTest {

  @TempDir
  Path home;

  private ConfLoader loader(String storageJson, Map<String, String> env) throws IOException {
    Path conf = Files.createDirectories(home.resolve("conf"));
    if (storageJson != null) {
      Files.writeString(conf.resolve("storage.json"), storageJson);
    }
    return ConfLoader.of(conf, env);
  }

  @Test
  void missingFileGivesDocumentedDefaults() throws IOException {
    StorageConfig c = StorageConfig.load(loader(null, Map.of()));
    assertThat(c.postgres().port()).isEqualTo(5432);
    assertThat(c.postgres().schema()).isEqualTo("public");
    assertThat(c.redis().connectionString()).isEqualTo("redis://127.0.0.1:6379/0");
    assertThat(c.clickhouse().httpUrl()).isEqualTo("http://127.0.0.1:8123");
    assertThat(c.kafka().topics()).containsKeys("ingest-events", "events", "snuba-commit-log");
    assertThat(c.stateDir()).isEqualTo(home.resolve(".lookout").toAbsolutePath().normalize());
  }

  @Test
  void environmentOverridesNestedKeysWithTheirTypes() throws IOException {
    ConfLoader loader = loader("{\"postgres\":{\"port\":5432,\"password\":\"x\"},"
        + "\"kafka\":{\"topics\":{\"ingest-events\":{\"partitions\":4}}}}", Map.of(
            "LOOKOUT_STORAGE__POSTGRES__PORT", "6543",
            "LOOKOUT_STORAGE__POSTGRES__PASSWORD", "12345",
            "LOOKOUT_STORAGE__KAFKA__TOPICS__INGEST_EVENTS__PARTITIONS", "8",
            "LOOKOUT_STORAGE__REDIS__KEY_PREFIX", "it:",
            "LOOKOUT_GATEWAY__PORT", "1"));
    JsonObject json = loader.load("storage");
    assertThat(json.getJsonObject("postgres").getValue("port")).isEqualTo(6543);
    // the file has a string there, so digits stay a string
    assertThat(json.getJsonObject("postgres").getValue("password")).isEqualTo("12345");
    assertThat(json.getJsonObject("kafka").getJsonObject("topics").getJsonObject("ingest-events")
        .getInteger("partitions")).isEqualTo(8);
    assertThat(json.containsKey("port")).isFalse();

    StorageConfig c = StorageConfig.load(loader);
    assertThat(c.postgres().port()).isEqualTo(6543);
    assertThat(c.kafka().topics().get("ingest-events").partitions()).isEqualTo(8);
    assertThat(c.redis().keyPrefix()).isEqualTo("it:");
  }

  @Test
  void overrideOfWrongTypeIsRejectedWithTheVariableName() throws IOException {
    ConfLoader loader = loader("{\"postgres\":{\"port\":5432}}",
        Map.of("LOOKOUT_STORAGE__POSTGRES__PORT", "five"));
    assertThatThrownBy(() -> loader.load("storage"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("LOOKOUT_STORAGE__POSTGRES__PORT");
  }

  @Test
  void invalidValuesAreRejectedWithTheKeyName() throws IOException {
    assertThatThrownBy(() -> StorageConfig.load(loader("{\"redis\":{\"pool_size\":0}}", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("redis.pool_size");
    assertThatThrownBy(() -> StorageConfig.load(loader("{\"postgres\":{\"port\":70000}}", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("postgres.port");
    assertThatThrownBy(() -> StorageConfig.load(loader("{\"postgres\":{\"schema\":\"x; drop\"}}", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("postgres.schema");
    assertThatThrownBy(() -> StorageConfig.load(loader("{not json", Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not valid JSON");
  }

  @Test
  void shippedStorageJsonParsesAndMatchesTheDefaults() {
    Path shipped = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");
    StorageConfig fromFile = StorageConfig.load(ConfLoader.of(shipped, Map.of()));
    StorageConfig defaults = StorageConfig.fromJson(new JsonObject(), shipped.getParent());
    assertThat(fromFile).isEqualTo(defaults);
  }
}

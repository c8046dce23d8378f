package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.gateway.outcome.OutcomeConfig;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {

  private static final Path CONF = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");

  @Test
  void shippedGatewayJsonEqualsTheDocumentedDefaults() {
    ConfLoader loader = ConfLoader.of(CONF, Map.of());
    JsonObject shipped = loader.load("gateway");
    GatewayConfig fromFile = GatewayConfig.fromJson(shipped, CONF.getParent());
    GatewayConfig defaults = GatewayConfig.fromJson(new JsonObject(), CONF.getParent());
    assertThat(fromFile.relay()).isEqualTo(defaults.relay());
    assertThat(fromFile.http()).isEqualTo(defaults.http());
    assertThat(fromFile.limits()).isEqualTo(defaults.limits());
    assertThat(fromFile.cache()).isEqualTo(defaults.cache());
    assertThat(fromFile.metrics()).isEqualTo(defaults.metrics());
    assertThat(ProducerConfig.fromJson(fromFile.part("kafka"))).isEqualTo(ProducerConfig.defaults());
    assertThat(RateLimitConfig.fromJson(fromFile.part("rate_limits"))).isEqualTo(RateLimitConfig.defaults());
    assertThat(OutcomeConfig.fromJson(fromFile.part("outcomes")).batch())
        .isEqualTo(OutcomeConfig.defaults().batch());
  }

  @Test
  void sizesTakeRelayStringsAndEnvironmentOverrides() {
    ConfLoader loader = ConfLoader.of(CONF, Map.of("LOOKOUT_GATEWAY__LIMITS__MAX_EVENT_SIZE", "2MiB",
        "LOOKOUT_GATEWAY__RELAY__PORT", "3333"));
    GatewayConfig config = GatewayConfig.load(loader);
    assertThat(config.limits().maxEventSize()).isEqualTo(2L << 20);
    assertThat(config.relay().port()).isEqualTo(3333);
  }

  @Test
  void badValuesNameTheirKey() {
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("relay", new JsonObject().put("mode", "x")),
        Path.of("."))).isInstanceOf(ConfigException.class).hasMessageContaining("relay.mode");
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("limits",
        new JsonObject().put("max_event_size", "lots")), Path.of(".")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_event_size");
    assertThatThrownBy(() -> GatewayConfig.fromJson(new JsonObject().put("cache",
        new JsonObject().put("envelope_buffer_size", 0)), Path.of(".")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cache.envelope_buffer_size");
  }
}

package io.lookout.processors.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.processors.monitors.MonitorsConfig;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;

class CleanupConfigTest {

  @Test
  void defaultsAreDailyAtThreeUtcWithNinetyDays() {
    CleanupConfig config = CleanupConfig.fromJson(new JsonObject());
    assertThat(config.retentionDays()).isEqualTo(90);
    assertThat(config.scheduled()).isTrue();
    assertThat(config.dailyAt()).isEqualTo(LocalTime.of(3, 0));
    assertThat(config.batchSize()).isEqualTo(1000);
    assertThat(MonitorsConfig.fromJson(null).sweepIntervalMs()).isEqualTo(10_000);
  }

  @Test
  void nextRunIsTodayOrTomorrowInTheConfiguredZone() {
    CleanupConfig utc = CleanupConfig.fromJson(new JsonObject());
    assertThat(CleanupVerticle.nextRun(utc, Instant.parse("2024-06-01T02:59:00Z"))).isEqualTo("2024-06-01T03:00:00Z");
    assertThat(CleanupVerticle.nextRun(utc, Instant.parse("2024-06-01T03:00:00Z"))).isEqualTo("2024-06-02T03:00:00Z");
    CleanupConfig vienna = CleanupConfig.fromJson(new JsonObject().put("timezone", "Europe/Vienna").put("daily_at", "04:30"));
    assertThat(CleanupVerticle.nextRun(vienna, Instant.parse("2024-06-01T12:00:00Z"))).isEqualTo("2024-06-02T02:30:00Z");
  }

  @Test
  void badValuesAreRefused() {
    assertThatThrownBy(() -> CleanupConfig.fromJson(new JsonObject().put("daily_at", "3am")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("daily_at");
    assertThatThrownBy(() -> CleanupConfig.fromJson(new JsonObject().put("retention_days", 0)))
        .isInstanceOf(ConfigException.class);
  }
}

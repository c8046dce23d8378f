package io.lookout.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RateLimitConfigTest {

  @Test
  void defaultsWhenAbsent() {
    RateLimitConfig config = RateLimitConfig.fromJson(new JsonObject());

    assertThat(config).isEqualTo(new RateLimitConfig(0, 10_000, 1_000));
    assertThat(RateLimitConfig.fromJson(null)).isEqualTo(config);
    assertThat(config.systemQuota()).isEmpty();
  }

  @Test
  void readsKeys() {
    RateLimitConfig config = RateLimitConfig.fromJson(new JsonObject()
        .put("system_rate_limit", 500).put("verdict_cache_max_entries", 20).put("script_timeout_ms", "250"));

    assertThat(config).isEqualTo(new RateLimitConfig(500, 20, 250));
  }

  @Test
  void systemLimitIsAGlobalPerMinuteQuotaOnErrors() {
    Quota quota = new RateLimitConfig(500, 1, 1).systemQuota().orElseThrow();

    assertThat(quota.scope()).isEqualTo(QuotaScope.GLOBAL);
    assertThat(quota.limit()).isEqualTo(500);
    assertThat(quota.window()).isEqualTo(60);
    assertThat(quota.isCountable()).isTrue();
    assertThat(quota.categories()).containsExactly(DataCategory.DEFAULT, DataCategory.ERROR,
        DataCategory.SECURITY);
    assertThat(quota.reasonCode()).isEqualTo("org_quota");
  }

  @Test
  void rejectsBadValuesNamingTheKey() {
    assertThatThrownBy(() -> RateLimitConfig.fromJson(new JsonObject().put("system_rate_limit", -1)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rate_limits.system_rate_limit");
    assertThatThrownBy(() -> RateLimitConfig.fromJson(new JsonObject().put("verdict_cache_max_entries", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("verdict_cache_max_entries");
    assertThatThrownBy(() -> RateLimitConfig.fromJson(new JsonObject().put("script_timeout_ms", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("script_timeout_ms");
  }
}

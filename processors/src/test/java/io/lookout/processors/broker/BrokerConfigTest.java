package io.lookout.processors.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

  @Test
  void emptySectionGivesTheDocumentedDefaults() {
    BrokerConfig config = BrokerConfig.fromJson(new JsonObject());

    assertThat(config.transport()).isEqualTo("rabbitmq");
    assertThat(config.maxAttempts()).isEqualTo(5);
    assertThat(config.retryDelayMs()).isEqualTo(1000);
    assertThat(config.publishTimeoutMs()).isEqualTo(5000);
    assertThat(config.redisVisibilityTimeoutMs()).isEqualTo(30_000);
    assertThat(config.redisPollTimeoutMs()).isEqualTo(1000);
    assertThat(config.closeTimeoutMs()).isEqualTo(10_000);
    assertThat(config.rabbitmqMaxUnconfirmed()).isEqualTo(10_000);
    assertThat(BrokerConfig.fromJson(null)).isEqualTo(config);
  }

  @Test
  void readsSnakeCaseKeysAndEnvironmentStyleStrings() {
    BrokerConfig config = BrokerConfig.fromJson(new JsonObject()
        .put("transport", " Redis ")
        .put("max_attempts", "3")
        .put("retry_delay_ms", 0)
        .put("publish_timeout_ms", 250)
        .put("redis_visibility_timeout_ms", 2000)
        .put("redis_poll_timeout_ms", 50)
        .put("close_timeout_ms", 1000)
        .put("rabbitmq_max_unconfirmed", 64));

    assertThat(config).isEqualTo(new BrokerConfig("redis", 3, 0, 250, 2000, 50, 1000, 64, "", 100));
  }

  @Test
  void rejectsUnknownTransportKeyAndOutOfRangeValues() {
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("transport", "kafka")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("broker.transport");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("prefech", 10)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("prefech");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("prefetch", 10)))
        .as("the prefetch of a queue is workers.concurrency").hasMessageContaining("prefetch");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("max_attempts", 0)))
        .hasMessageContaining("broker.max_attempts");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("retry_delay_ms", -1)))
        .hasMessageContaining("broker.retry_delay_ms");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("publish_timeout_ms", 0)))
        .hasMessageContaining("broker.publish_timeout_ms");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("redis_visibility_timeout_ms", 100)))
        .hasMessageContaining("broker.redis_visibility_timeout_ms");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("redis_poll_timeout_ms", 1)))
        .hasMessageContaining("broker.redis_poll_timeout_ms");
    assertThatThrownBy(() -> BrokerConfig.fromJson(new JsonObject().put("max_attempts", 1.5)))
        .hasMessageContaining("max_attempts");
  }

  @Test
  void queueNamesMustWorkOnBothTransports() {
    TaskQueues.ALL.forEach(TaskQueues::requireValid);
    assertThat(TaskQueues.deadLetterQueue(TaskQueues.SAVE_EVENT)).isEqualTo("events.save_event.dead");
    assertThatThrownBy(() -> TaskQueues.requireValid("a:b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskQueues.requireValid("amq.x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskQueues.requireValid("")).isInstanceOf(IllegalArgumentException.class);
  }
}

package io.lookout.gateway.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.lookout.storage.kafka.KafkaConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerConfigTest {

  @Test
  void defaultsAreDurableAndBounded() {
    ProducerConfig config = ProducerConfig.defaults();
    Map<String, String> props = config.toProducerProperties(
        new KafkaConfig("127.0.0.1:9092", 9093, (short) 1, 1000, Map.of()));

    assertThat(config.envelopeBufferSize()).isEqualTo(1000);
    assertThat(props).containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("max.in.flight.requests.per.connection", "5")
        .containsEntry("linger.ms", "5")
        .containsEntry("batch.size", "262144")
        .containsEntry("compression.type", "lz4")
        .containsEntry("max.block.ms", "1000")
        .containsEntry("delivery.timeout.ms", "30000");
  }

  @Test
  void keysAreReadFromJson() {
    ProducerConfig config = ProducerConfig.fromJson(new JsonObject()
        .put("envelope_buffer_size", 5).put("compression_type", "ZSTD").put("linger_ms", 0)
        .put("attachment_chunk_size", 4096));

    assertThat(config.envelopeBufferSize()).isEqualTo(5);
    assertThat(config.compressionType()).isEqualTo("zstd");
    assertThat(config.lingerMs()).isZero();
    assertThat(config.attachmentChunkSize()).isEqualTo(4096);
  }

  @Test
  void badValuesAreRefusedWithTheKeyName() {
    assertThatThrownBy(() -> ProducerConfig.fromJson(new JsonObject().put("compression_type", "snappy")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("compression_type");
    assertThatThrownBy(() -> ProducerConfig.fromJson(new JsonObject().put("max_in_flight", 6)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("max_in_flight");
    assertThatThrownBy(() -> ProducerConfig.fromJson(new JsonObject()
        .put("delivery_timeout_ms", 1000).put("request_timeout_ms", 2000)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("delivery_timeout_ms");
    assertThatThrownBy(() -> ProducerConfig.fromJson(new JsonObject().put("envelope_buffer_size", 0)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("envelope_buffer_size");
  }
}

package io.lookout.processors.config;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Properties;
import java.util.Set;

/**
 * The producer of the processors' Kafka outputs: eventstream ({@code events}, {@code transactions})
 * and dead letters ({@code processors.json: producer}). Always acks=all.
 */
public record EventStreamConfig(int lingerMs, int batchSize, String compressionType, int deliveryTimeoutMs,
    int requestTimeoutMs, int maxBlockMs, long bufferMemory) {

  public EventStreamConfig {
    if (lingerMs < 0) {
      throw new ConfigException("'producer.linger_ms' must be >= 0");
    }
    positive("producer.batch_size", batchSize);
    if (!Set.of("lz4", "zstd", "gzip", "none").contains(compressionType)) {
      throw new ConfigException("'producer.compression_type' must be lz4, zstd, gzip or none");
    }
    positive("producer.delivery_timeout_ms", deliveryTimeoutMs);
    positive("producer.request_timeout_ms", requestTimeoutMs);
    positive("producer.max_block_ms", maxBlockMs);
    positive("producer.buffer_memory", bufferMemory);
    if (deliveryTimeoutMs < lingerMs + requestTimeoutMs) {
      throw new ConfigException("'producer.delivery_timeout_ms' must be >= linger_ms + request_timeout_ms");
    }
  }

  public static EventStreamConfig fromJson(JsonObject json) {
    return new EventStreamConfig(
        integer(json, "linger_ms", 5),
        integer(json, "batch_size", 256 * 1024),
        string(json, "compression_type", "lz4"),
        integer(json, "delivery_timeout_ms", 30_000),
        integer(json, "request_timeout_ms", 10_000),
        integer(json, "max_block_ms", 5000),
        io.lookout.storage.config.Conf.bytes(json, "buffer_memory", 32L * 1024 * 1024));
  }

  public Properties properties(String bootstrapServers, String clientId) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("client.id", clientId);
    p.put("linger.ms", Integer.toString(lingerMs));
    p.put("batch.size", Integer.toString(batchSize));
    p.put("compression.type", compressionType);
    p.put("delivery.timeout.ms", Integer.toString(deliveryTimeoutMs));
    p.put("request.timeout.ms", Integer.toString(requestTimeoutMs));
    p.put("max.block.ms", Integer.toString(maxBlockMs));
    p.put("buffer.memory", Long.toString(bufferMemory));
    p.put("enable.idempotence", "true");
    p.put("max.request.size", "50000000");
    return p;
  }
}

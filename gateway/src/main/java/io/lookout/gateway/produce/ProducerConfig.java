package io.lookout.gateway.produce;

import static io.lookout.storage.config.Conf.bool;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.lookout.storage.kafka.KafkaConfig;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the gateway produces to Kafka: the producer's settings and the bound on envelopes awaiting
 * acks. The broker address comes from {@link KafkaConfig} ({@code storage.json}).
 *
 * <p>JSON keys and defaults ({@link #fromJson}):
 * <ul>
 *   <li>{@code envelope_buffer_size} (1000): envelopes sent and not yet acknowledged, at most
 *       (Relay's {@code cache.envelope_buffer_size}); past it the endpoint answers 503.
 *   <li>{@code linger_ms} (5), {@code batch_size} (262144): how long and how much a producer
 *       batch collects per partition.
 *   <li>{@code compression_type} ({@code lz4}; or {@code zstd}, {@code gzip}, {@code none}).
 *   <li>{@code max_request_size} (50000000): largest request, so largest record; the broker's
 *       {@code message.max.bytes} (or the topic's {@code max.message.bytes}) must allow a full
 *       attachment chunk, as Sentry's self-hosted setup sets 50 MB on both sides.
 *   <li>{@code delivery_timeout_ms} (30000): a record not acknowledged by then fails, and with it
 *       its envelope; must be at least {@code linger_ms + request_timeout_ms}.
 *   <li>{@code request_timeout_ms} (10000): one produce request's timeout.
 *   <li>{@code max_block_ms} (1000): how long a send may wait for metadata or buffer space (on
 *       the gateway's Kafka sender thread, never an event loop) before it fails.
 *   <li>{@code buffer_memory} (67108864): bytes of records the client holds unsent.
 *   <li>{@code enable_idempotence} (true), {@code max_in_flight} (5, at most 5 with
 *       idempotence): retries neither duplicate nor reorder records, so chunks stay before
 *       their event. {@code acks} is always {@code all}: a 200 means the data is durable.
 *   <li>{@code attachment_chunk_size} (1048576): Relay's {@code attachment_chunk_size}.
 *   <li>{@code max_replay_message_size} (15728640): a replay recording message larger than this
 *       is dropped as {@code too_large:replay_recording}, as Relay does.
 *   <li>{@code close_timeout_ms} (30000): how long closing waits for records in flight.
 *   <li>{@code client_id} ({@code lookout-gateway}).
 *   <li>{@code send_queue_size} (4096): groups of records (one envelope's, one outcome batch's)
 *       waiting for the one thread that hands them to the Kafka client; past it a send fails at
 *       once (503 for an envelope).
 * </ul>
 */
public record ProducerConfig(
    int envelopeBufferSize,
    int lingerMs,
    int batchSize,
    String compressionType,
    int maxRequestSize,
    int deliveryTimeoutMs,
    int requestTimeoutMs,
    int maxBlockMs,
    long bufferMemory,
    boolean enableIdempotence,
    int maxInFlight,
    int attachmentChunkSize,
    int maxReplayMessageSize,
    long closeTimeoutMs,
    String clientId,
    int sendQueueSize) {

  public static final Set<String> COMPRESSION_TYPES = Set.of("lz4", "zstd", "gzip", "none");

  public ProducerConfig {
    positive("envelope_buffer_size", envelopeBufferSize);
    if (lingerMs < 0) {
      throw new ConfigException("'linger_ms' must be >= 0, got " + lingerMs);
    }
    positive("batch_size", batchSize);
    compressionType = compressionType == null ? null : compressionType.toLowerCase(Locale.ROOT);
    if (!COMPRESSION_TYPES.contains(compressionType)) {
      throw new ConfigException("'compression_type' must be one of " + COMPRESSION_TYPES
          + ", got " + compressionType);
    }
    positive("max_request_size", maxRequestSize);
    positive("delivery_timeout_ms", deliveryTimeoutMs);
    positive("request_timeout_ms", requestTimeoutMs);
    if ((long) deliveryTimeoutMs < (long) lingerMs + requestTimeoutMs) {
      throw new ConfigException("'delivery_timeout_ms' (" + deliveryTimeoutMs
          + ") must be at least linger_ms + request_timeout_ms (" + (lingerMs + requestTimeoutMs)
          + ")");
    }
    positive("max_block_ms", maxBlockMs);
    positive("buffer_memory", bufferMemory);
    positive("max_in_flight", maxInFlight);
    if (enableIdempotence && maxInFlight > 5) {
      throw new ConfigException("'max_in_flight' must be at most 5 with enable_idempotence, got "
          + maxInFlight);
    }
    positive("attachment_chunk_size", attachmentChunkSize);
    if (attachmentChunkSize >= maxRequestSize) {
      throw new ConfigException("'attachment_chunk_size' (" + attachmentChunkSize
          + ") must be below max_request_size (" + maxRequestSize + ")");
    }
    positive("max_replay_message_size", maxReplayMessageSize);
    positive("close_timeout_ms", closeTimeoutMs);
    notBlank("client_id", clientId);
    positive("send_queue_size", sendQueueSize);
  }

  /** All defaults. */
  public static ProducerConfig defaults() {
    return fromJson(new JsonObject());
  }

  /** Reads the keys listed on the class; a missing key takes its default. */
  public static ProducerConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new ProducerConfig(
        integer(j, "envelope_buffer_size", 1000),
        integer(j, "linger_ms", 5),
        integer(j, "batch_size", 256 * 1024),
        string(j, "compression_type", "lz4"),
        integer(j, "max_request_size", 50_000_000),
        integer(j, "delivery_timeout_ms", 30_000),
        integer(j, "request_timeout_ms", 10_000),
        integer(j, "max_block_ms", 1000),
        longValue(j, "buffer_memory", 64L * 1024 * 1024),
        bool(j, "enable_idempotence", true),
        integer(j, "max_in_flight", 5),
        integer(j, "attachment_chunk_size", KafkaRouting.DEFAULT_ATTACHMENT_CHUNK_SIZE),
        integer(j, "max_replay_message_size", KafkaRouting.DEFAULT_MAX_REPLAY_MESSAGE_SIZE),
        longValue(j, "close_timeout_ms", 30_000),
        string(j, "client_id", "lookout-gateway"),
        integer(j, "send_queue_size", 4096));
  }

  /** A copy with another {@code envelope_buffer_size}. */
  public ProducerConfig withEnvelopeBufferSize(int size) {
    return new ProducerConfig(size, lingerMs, batchSize, compressionType, maxRequestSize,
        deliveryTimeoutMs, requestTimeoutMs, maxBlockMs, bufferMemory, enableIdempotence,
        maxInFlight, attachmentChunkSize, maxReplayMessageSize, closeTimeoutMs, clientId,
        sendQueueSize);
  }

  /** A copy with other timeouts (tests use short ones). */
  public ProducerConfig withTimeouts(int newDeliveryTimeoutMs, int newRequestTimeoutMs,
      int newMaxBlockMs) {
    return new ProducerConfig(envelopeBufferSize, lingerMs, batchSize, compressionType,
        maxRequestSize, newDeliveryTimeoutMs, newRequestTimeoutMs, newMaxBlockMs, bufferMemory,
        enableIdempotence, maxInFlight, attachmentChunkSize, maxReplayMessageSize, closeTimeoutMs,
        clientId, sendQueueSize);
  }

  /** The Kafka producer properties for {@code kafka}'s brokers. */
  public Map<String, String> toProducerProperties(KafkaConfig kafka) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    p.put("client.id", clientId);
    p.put("acks", "all");
    p.put("linger.ms", Integer.toString(lingerMs));
    p.put("batch.size", Integer.toString(batchSize));
    p.put("compression.type", compressionType);
    p.put("max.request.size", Integer.toString(maxRequestSize));
    p.put("delivery.timeout.ms", Integer.toString(deliveryTimeoutMs));
    p.put("request.timeout.ms", Integer.toString(requestTimeoutMs));
    p.put("max.block.ms", Integer.toString(maxBlockMs));
    p.put("buffer.memory", Long.toString(bufferMemory));
    p.put("enable.idempotence", Boolean.toString(enableIdempotence));
    p.put("max.in.flight.requests.per.connection", Integer.toString(maxInFlight));
    p.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    p.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    return p;
  }
}

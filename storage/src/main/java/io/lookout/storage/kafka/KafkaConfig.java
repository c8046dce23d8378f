package io.lookout.storage.kafka;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.tcpPort;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.section;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kafka settings shared by producers, consumers and topic provisioning ({@code storage.json: kafka}).
 *
 * @param bootstrapServers comma-separated {@code host:port} list
 * @param controllerPort KRaft controller port of the local single-node broker ({@code bin/lookout stack})
 * @param replicationFactor replication of the topics Lookout creates
 * @param adminTimeoutMs topic creation and metadata calls fail after this long
 * @param topics partitions (and optional retention) per topic; every topic of {@link Topics#ALL} is present
 */
public record KafkaConfig(
    String bootstrapServers,
    int controllerPort,
    short replicationFactor,
    long adminTimeoutMs,
    Map<String, TopicConfig> topics) {

  /** One topic: partition count and retention ({@code -1} = broker default). */
  public record TopicConfig(int partitions, long retentionMs) {

    public TopicConfig {
      positive("kafka.topics.*.partitions", partitions);
      if (retentionMs < -1 || retentionMs == 0) {
        throw new ConfigException("'kafka.topics.*.retention_ms' must be -1 (broker default) or > 0");
      }
    }

    static TopicConfig fromJson(JsonObject json, int defaultPartitions) {
      return new TopicConfig(integer(json, "partitions", defaultPartitions), longValue(json, "retention_ms", -1));
    }
  }

  public KafkaConfig {
    notBlank("kafka.bootstrap_servers", bootstrapServers);
    tcpPort("kafka.controller_port", controllerPort);
    if (replicationFactor < 1) {
      throw new ConfigException("'kafka.replication_factor' must be >= 1");
    }
    positive("kafka.admin_timeout_ms", adminTimeoutMs);
    topics = Collections.unmodifiableMap(new LinkedHashMap<>(topics));
  }

  public static KafkaConfig fromJson(JsonObject json) {
    int defaultPartitions = integer(json, "default_partitions", 2);
    JsonObject topicsJson = section(json, "topics");
    Map<String, TopicConfig> topics = new LinkedHashMap<>();
    for (String name : Topics.ALL) {
      topics.put(name, TopicConfig.fromJson(section(topicsJson, name),
          Topics.DEFAULT_PARTITIONS.getOrDefault(name, defaultPartitions)));
    }
    for (String name : topicsJson.fieldNames()) {
      topics.computeIfAbsent(name, n -> TopicConfig.fromJson(section(topicsJson, n), defaultPartitions));
    }
    return new KafkaConfig(
        string(json, "bootstrap_servers", "127.0.0.1:9092"),
        integer(json, "controller_port", 9093),
        (short) integer(json, "replication_factor", 1),
        longValue(json, "admin_timeout_ms", 15000),
        topics);
  }

  /** Host of the first bootstrap server (the local stack runs a single broker there). */
  public String firstHost() {
    String first = bootstrapServers.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    return colon < 0 ? first : first.substring(0, colon);
  }

  /** Port of the first bootstrap server. */
  public int firstPort() {
    String first = bootstrapServers.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    try {
      return colon < 0 ? 9092 : Integer.parseInt(first.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ConfigException("'kafka.bootstrap_servers' has a bad port: " + first);
    }
  }
}

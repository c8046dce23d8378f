package io.lookout.processors.config;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.section;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest consumers ({@code processors.json: consumers}).
 *
 * @param group prefix of the Kafka consumer groups: {@code <group>-<topic>} per topic, shared by
 *     every instance of every process
 * @param maxPollRecords records per poll, which is the most a batch holds
 * @param maxBatchesInFlight polled batches not yet committed; at this many the partitions are paused
 * @param pollTimeoutMs how long one poll waits for records
 * @param retryDelayMs first delay before a failed hand-off is tried again (doubles up to 10 s)
 * @param sessionTimeoutMs Kafka's session timeout: a crashed instance's partitions move after this
 * @param maxPollIntervalMs Kafka's max.poll.interval.ms
 * @param deadLetterSuffix appended to a topic's name to name its dead-letter topic
 * @param instances consumer instances per topic in one process (each is a verticle)
 */
public record ConsumerConfig(String group, int maxPollRecords, int maxBatchesInFlight, long pollTimeoutMs,
    long retryDelayMs, int sessionTimeoutMs, int maxPollIntervalMs, String deadLetterSuffix,
    Map<String, Integer> instances) {

  /** The topics an ingest consumer exists for. */
  public static final List<String> TOPICS = List.of("ingest-events", "ingest-attachments",
      "ingest-transactions", "ingest-feedback-events");

  public ConsumerConfig {
    if (group == null || group.isBlank()) {
      throw new ConfigException("'consumers.group' must not be empty");
    }
    positive("consumers.max_poll_records", maxPollRecords);
    positive("consumers.max_batches_in_flight", maxBatchesInFlight);
    positive("consumers.poll_timeout_ms", pollTimeoutMs);
    positive("consumers.retry_delay_ms", retryDelayMs);
    positive("consumers.session_timeout_ms", sessionTimeoutMs);
    positive("consumers.max_poll_interval_ms", maxPollIntervalMs);
    if (deadLetterSuffix == null || deadLetterSuffix.isEmpty()) {
      throw new ConfigException("'consumers.dead_letter_suffix' must not be empty");
    }
    for (Map.Entry<String, Integer> e : instances.entrySet()) {
      if (!TOPICS.contains(e.getKey())) {
        throw new ConfigException("'consumers.instances' names an unknown topic '" + e.getKey() + "' (known: " + TOPICS + ")");
      }
      if (e.getValue() < 0) {
        throw new ConfigException("'consumers.instances." + e.getKey() + "' must be >= 0");
      }
    }
    instances = Map.copyOf(instances);
  }

  public int instancesOf(String topic) {
    return instances.getOrDefault(topic, 1);
  }

  public static ConsumerConfig fromJson(JsonObject json) {
    JsonObject inst = section(json, "instances");
    Map<String, Integer> instances = new LinkedHashMap<>();
    for (String topic : TOPICS) {
      // the two busy topics get one consumer per core of a 2-core box; each is its own event loop
      int def = topic.equals("ingest-events") || topic.equals("ingest-transactions") ? 2 : 1;
      instances.put(topic, integer(inst, topic, def));
    }
    for (String key : inst.fieldNames()) {
      if (!TOPICS.contains(key)) {
        throw new ConfigException("'consumers.instances' names an unknown topic '" + key + "' (known: " + TOPICS + ")");
      }
    }
    return new ConsumerConfig(
        string(json, "group", "ingest-consumer"),
        integer(json, "max_poll_records", 500),
        integer(json, "max_batches_in_flight", 4),
        longValue(json, "poll_timeout_ms", 100),
        longValue(json, "retry_delay_ms", 500),
        integer(json, "session_timeout_ms", 10_000),
        integer(json, "max_poll_interval_ms", 300_000),
        string(json, "dead_letter_suffix", "-dlq"),
        instances);
  }
}

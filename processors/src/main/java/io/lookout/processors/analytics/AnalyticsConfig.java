package io.lookout.processors.analytics;

import static io.lookout.storage.config.Conf.bool;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.section;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.lookout.storage.kafka.Topics;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analytics consumers, Snuba's role ({@code processors.json: analytics}): {@code events} into
 * ClickHouse {@code errors}, {@code transactions} into {@code transactions}.
 *
 * @param group the Kafka consumer group (Snuba's default {@code snuba-consumers}); it is also the
 *     group named in the {@code snuba-commit-log} keys the post-process forwarder follows
 * @param maxBatchSize rows per ClickHouse insert at most (Snuba's {@code --max-batch-size}, 50,000)
 * @param maxBatchTimeMs a batch is inserted at the latest this long after its first row arrived
 *     (Snuba's {@code --max-batch-time-ms}, 2,000)
 * @param maxPollRecords records per Kafka poll
 * @param maxBatchesInFlight polls not yet committed; at this many the partitions are paused. A batch
 *     also closes once it holds half this many polls, so that the next one can fill while it is
 *     inserted: with the defaults a batch holds at most 10,000 rows when the topic is busy
 * @param pollTimeoutMs how long one poll waits for records
 * @param retryDelayMs first delay before a failed insert (or commit-log publish) is tried again;
 *     doubles up to 10 s
 * @param sessionTimeoutMs Kafka's session timeout
 * @param maxPollIntervalMs Kafka's max.poll.interval.ms
 * @param retentionDays retention of a row whose event carries none (Snuba's default, 90)
 * @param discardOldEvents skip events older than their retention, as Snuba's
 *     {@code DISCARD_OLD_EVENTS} does: their partition would be dropped at once
 * @param instances consumer instances per topic in one process ({@code events},
 *     {@code transactions})
 */
public record AnalyticsConfig(
    String group,
    int maxBatchSize,
    long maxBatchTimeMs,
    int maxPollRecords,
    int maxBatchesInFlight,
    long pollTimeoutMs,
    long retryDelayMs,
    int sessionTimeoutMs,
    int maxPollIntervalMs,
    int retentionDays,
    boolean discardOldEvents,
    Map<String, Integer> instances) {

  /** The topics an analytics consumer exists for. */
  public static final List<String> TOPICS = List.of(Topics.EVENTS, Topics.TRANSACTIONS);

  public AnalyticsConfig {
    if (group == null || group.isBlank()) {
      throw new ConfigException("'analytics.group' must not be empty");
    }
    if (group.indexOf(':') >= 0) {
      // the commit-log key is topic:partition:group
      throw new ConfigException("'analytics.group' must not contain ':'");
    }
    positive("analytics.max_batch_size", maxBatchSize);
    positive("analytics.max_batch_time_ms", maxBatchTimeMs);
    positive("analytics.max_poll_records", maxPollRecords);
    positive("analytics.max_batches_in_flight", maxBatchesInFlight);
    positive("analytics.poll_timeout_ms", pollTimeoutMs);
    positive("analytics.retry_delay_ms", retryDelayMs);
    positive("analytics.session_timeout_ms", sessionTimeoutMs);
    positive("analytics.max_poll_interval_ms", maxPollIntervalMs);
    positive("analytics.retention_days", retentionDays);
    if (retentionDays > 65_535) {
      throw new ConfigException("'analytics.retention_days' must fit UInt16 (<= 65535)");
    }
    for (Map.Entry<String, Integer> e : instances.entrySet()) {
      if (!TOPICS.contains(e.getKey())) {
        throw new ConfigException("'analytics.instances' names an unknown topic '" + e.getKey()
            + "' (known: " + TOPICS + ")");
      }
      if (e.getValue() < 0) {
        throw new ConfigException("'analytics.instances." + e.getKey() + "' must be >= 0");
      }
    }
    instances = Map.copyOf(instances);
  }

  public static AnalyticsConfig fromJson(JsonObject json) {
    JsonObject inst = section(json, "instances");
    Map<String, Integer> instances = new LinkedHashMap<>();
    for (String topic : TOPICS) {
      instances.put(topic, integer(inst, topic, 1));
    }
    for (String key : inst.fieldNames()) {
      if (!TOPICS.contains(key)) {
        throw new ConfigException("'analytics.instances' names an unknown topic '" + key + "' (known: "
            + TOPICS + ")");
      }
    }
    return new AnalyticsConfig(
        string(json, "group", "snuba-consumers"),
        integer(json, "max_batch_size", 50_000),
        longValue(json, "max_batch_time_ms", 2_000),
        integer(json, "max_poll_records", 500),
        integer(json, "max_batches_in_flight", 40),
        longValue(json, "poll_timeout_ms", 100),
        longValue(json, "retry_delay_ms", 500),
        integer(json, "session_timeout_ms", 10_000),
        integer(json, "max_poll_interval_ms", 300_000),
        integer(json, "retention_days", 90),
        bool(json, "discard_old_events", true),
        instances);
  }

  public int instancesOf(String topic) {
    return instances.getOrDefault(topic, 1);
  }

  /** The polls after which the open batch closes even below {@link #maxBatchSize()}. */
  public int pollsPerBatch() {
    return Math.max(1, maxBatchesInFlight / 2);
  }
}

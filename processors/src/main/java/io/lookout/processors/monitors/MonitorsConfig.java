package io.lookout.processors.monitors;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * Cron monitors ({@code processors.json: monitors}): the {@code ingest-monitors} consumer and the
 * scheduler that marks missed and timed-out check-ins.
 *
 * @param group the Kafka consumer group of the check-in consumer
 * @param maxPollRecords records per poll, which is the most one batch (one transaction) holds
 * @param maxBatchesInFlight polled batches not yet committed; at this many the partitions pause
 * @param pollTimeoutMs how long one poll waits for records
 * @param retryDelayMs first delay before a failed batch is written again (doubles up to 10 s)
 * @param sessionTimeoutMs Kafka's session timeout for this consumer
 * @param deadLetterSuffix appended to the topic's name to name its dead-letter topic
 * @param sweepIntervalMs how often the scheduler looks for missed check-ins and timeouts
 * @param sweepBatchSize the most monitors (and check-ins) one sweep statement marks; the rest wait
 *     for the next sweep
 * @param issueBatchSize the most failure events saved in one save transaction
 */
public record MonitorsConfig(String group, int maxPollRecords, int maxBatchesInFlight, long pollTimeoutMs,
    long retryDelayMs, int sessionTimeoutMs, String deadLetterSuffix, long sweepIntervalMs, int sweepBatchSize,
    int issueBatchSize) {

  public MonitorsConfig {
    if (group == null || group.isBlank()) {
      throw new ConfigException("'monitors.group' must not be empty");
    }
    positive("monitors.max_poll_records", maxPollRecords);
    positive("monitors.max_batches_in_flight", maxBatchesInFlight);
    positive("monitors.poll_timeout_ms", pollTimeoutMs);
    positive("monitors.retry_delay_ms", retryDelayMs);
    positive("monitors.session_timeout_ms", sessionTimeoutMs);
    if (deadLetterSuffix == null || deadLetterSuffix.isEmpty()) {
      throw new ConfigException("'monitors.dead_letter_suffix' must not be empty");
    }
    positive("monitors.sweep_interval_ms", sweepIntervalMs);
    positive("monitors.sweep_batch_size", sweepBatchSize);
    positive("monitors.issue_batch_size", issueBatchSize);
  }

  public static MonitorsConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new MonitorsConfig(
        string(j, "group", "ingest-monitors"),
        integer(j, "max_poll_records", 500),
        integer(j, "max_batches_in_flight", 2),
        longValue(j, "poll_timeout_ms", 100),
        longValue(j, "retry_delay_ms", 500),
        integer(j, "session_timeout_ms", 10_000),
        string(j, "dead_letter_suffix", "-dlq"),
        longValue(j, "sweep_interval_ms", 10_000),
        integer(j, "sweep_batch_size", 1000),
        integer(j, "issue_batch_size", 100));
  }
}

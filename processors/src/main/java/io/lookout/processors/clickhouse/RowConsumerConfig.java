package io.lookout.processors.clickhouse;

import static io.lookout.storage.config.Conf.bytes;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * A consumer that writes one topic's messages as rows to one ClickHouse table (sections
 * {@code outcomes} and {@code sessions} of {@code processors.json}), batched as Snuba's consumers
 * are: a batch closes on {@code max_batch_size} rows or {@code max_batch_time_ms}, whichever comes
 * first, and is sent as one INSERT.
 *
 * <p>The rows held in memory are bounded by {@code max_batches_in_flight * max_poll_records}: that
 * many polled records may be waiting for their insert before the consumer pauses its partitions.
 * So that a batch can fill up at all, {@code max_batch_size} must not exceed that product.
 *
 * @param section the JSON section this came from, named in error messages
 * @param group the Kafka consumer group
 * @param maxBatchSize rows per INSERT at most; a batch closes when it holds this many
 * @param maxBatchBytes a batch closes before the message bytes it covers would pass this
 * @param maxBatchTimeMs a batch closes this long after its first row, however few it holds
 * @param maxInsertsInFlight INSERTs running at once; closed batches beyond that wait in order
 * @param maxPollRecords records per Kafka poll
 * @param maxBatchesInFlight polls whose rows are not yet inserted (so not committed); at this many
 *     the partitions are paused
 * @param pollTimeoutMs how long one poll waits for records
 * @param retryDelayMs first delay before a failed INSERT is tried again (doubles up to 10 s)
 * @param sessionTimeoutMs Kafka's session timeout
 * @param maxPollIntervalMs Kafka's max.poll.interval.ms
 * @param instances consumer verticles per process
 */
public record RowConsumerConfig(
    String section,
    String group,
    int maxBatchSize,
    long maxBatchBytes,
    long maxBatchTimeMs,
    int maxInsertsInFlight,
    int maxPollRecords,
    int maxBatchesInFlight,
    long pollTimeoutMs,
    long retryDelayMs,
    int sessionTimeoutMs,
    int maxPollIntervalMs,
    int instances) {

  public RowConsumerConfig {
    if (group == null || group.isBlank()) {
      throw new ConfigException("'" + section + ".group' must not be empty");
    }
    positive(section + ".max_batch_size", maxBatchSize);
    positive(section + ".max_batch_bytes", maxBatchBytes);
    positive(section + ".max_batch_time_ms", maxBatchTimeMs);
    positive(section + ".max_inserts_in_flight", maxInsertsInFlight);
    positive(section + ".max_poll_records", maxPollRecords);
    positive(section + ".max_batches_in_flight", maxBatchesInFlight);
    positive(section + ".poll_timeout_ms", pollTimeoutMs);
    positive(section + ".retry_delay_ms", retryDelayMs);
    positive(section + ".session_timeout_ms", sessionTimeoutMs);
    positive(section + ".max_poll_interval_ms", maxPollIntervalMs);
    if (instances < 0) {
      throw new ConfigException("'" + section + ".instances' must be >= 0, got " + instances);
    }
    if ((long) maxPollRecords * maxBatchesInFlight > Integer.MAX_VALUE) {
      throw new ConfigException("'" + section + ".max_poll_records' * '" + section
          + ".max_batches_in_flight' is too large");
    }
    if (maxBatchSize > maxPollRecords * maxBatchesInFlight) {
      throw new ConfigException("'" + section + ".max_batch_size' (" + maxBatchSize + ") must not exceed '"
          + section + ".max_poll_records' * '" + section + ".max_batches_in_flight' ("
          + maxPollRecords * maxBatchesInFlight + "), or a batch could never fill up");
    }
  }

  /**
   * Reads a section; a missing key takes its default.
   *
   * @param defaultGroup the consumer group when the section names none
   */
  public static RowConsumerConfig fromJson(String section, JsonObject json, String defaultGroup) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new RowConsumerConfig(
        section,
        string(j, "group", defaultGroup),
        integer(j, "max_batch_size", 10_000),
        bytes(j, "max_batch_bytes", 16L * 1024 * 1024),
        longValue(j, "max_batch_time_ms", 1_000),
        integer(j, "max_inserts_in_flight", 2),
        integer(j, "max_poll_records", 1_000),
        integer(j, "max_batches_in_flight", 20),
        longValue(j, "poll_timeout_ms", 100),
        longValue(j, "retry_delay_ms", 500),
        integer(j, "session_timeout_ms", 10_000),
        integer(j, "max_poll_interval_ms", 300_000),
        integer(j, "instances", 1));
  }

  /** The bounds of the batcher: pending rows are those of the polls in flight. */
  public BatchConfig batch() {
    return new BatchConfig(maxBatchSize, maxBatchBytes, maxBatchTimeMs, maxInsertsInFlight,
        maxPollRecords * maxBatchesInFlight);
  }
}

package io.lookout.processors.clickhouse;

/**
 * Meters of the ClickHouse row consumers, on top of those of their Kafka consumer
 * ({@code lookout.consumer.*}, tags {@code consumer}, {@code topic}) and their batcher
 * ({@code lookout.batch.*}, tag {@code batcher} = the consumer's name).
 */
public final class RowConsumerMetrics {

  /** Counter, messages skipped because they could not become a row. Tags: {@code consumer}, {@code topic}. */
  public static final String INVALID = "lookout.rows.invalid";

  /** Counter, rows written by successful INSERTs. Tags: {@code consumer}, {@code table}. */
  public static final String INSERTED = "lookout.rows.inserted";

  /** Counter, INSERTs that failed (their rows are retried). Tags: {@code consumer}, {@code table}. */
  public static final String INSERT_FAILED = "lookout.rows.insert.failed";

  private RowConsumerMetrics() {
  }
}

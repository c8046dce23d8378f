package io.lookout.processors.analytics;

/**
 * Metric names of the analytics consumers. Every meter carries the tag {@code topic} (the topic as
 * consumed); the ones below add:
 *
 * <ul>
 *   <li>{@value #MESSAGES}: {@code result} = {@code row}, {@code other_type}, {@code too_old},
 *       {@code other_operation}, {@code other_version}, {@code invalid};</li>
 *   <li>{@value #ROWS_INSERTED}, {@value #ROWS_REJECTED}, {@value #INSERT_RETRIES}, {@value #BATCH_ROWS},
 *       {@value #INSERT_LATENCY}: {@code table};</li>
 *   <li>{@value #PENDING_ROWS}: rows read and not yet inserted (the backlog gauge);</li>
 *   <li>{@value #COMMIT_LOG}: {@code result} = {@code published}, {@code failed}.</li>
 * </ul>
 */
public final class AnalyticsMetrics {

  public static final String MESSAGES = "lookout.analytics.messages";
  public static final String ROWS_INSERTED = "lookout.analytics.rows.inserted";
  public static final String ROWS_REJECTED = "lookout.analytics.rows.rejected";
  public static final String INSERT_RETRIES = "lookout.analytics.insert.retries";
  public static final String BATCH_ROWS = "lookout.analytics.batch.rows";
  public static final String INSERT_LATENCY = "lookout.analytics.insert.latency";
  public static final String PENDING_ROWS = "lookout.analytics.pending.rows";
  public static final String COMMIT_LOG = "lookout.analytics.commit_log";

  private AnalyticsMetrics() {
  }
}

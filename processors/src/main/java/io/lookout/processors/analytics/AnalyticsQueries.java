package io.lookout.processors.analytics;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Reads of the analytics tables that stay right when a batch was inserted twice (a consumer that
 * crashed after its insert and before its commit inserts the batch again on restart).
 *
 * <p>How to query {@code errors} and {@code transactions} (ClickHouse 18.16 and current):
 * <ul>
 *   <li>Both are {@code ReplacingMergeTree(deleted)} whose sort key ends in the event id's hash, so a
 *       replayed row has the same key as the original and the two collapse when their parts merge.
 *       Merges run in the background at no set time: until then both rows are stored.</li>
 *   <li>{@code FROM table FINAL} merges at read time: every key is read once, with the row of the
 *       highest {@code deleted}. Filter {@code deleted = 0} in the WHERE clause (18.16 applies it
 *       after FINAL, so a deleted event stays hidden). FINAL costs a merge of the selected parts:
 *       always narrow it with {@code project_id} (the sort key's prefix) and a time range.</li>
 *   <li>Counts use {@code uniqExact(event_id)} on top: equal to {@code count()} for replays, and also
 *       right for a row re-saved under another key (e.g. another primary hash).</li>
 *   <li>The alternative without FINAL, {@code GROUP BY event_id} with {@code argMax(col, deleted)}, is
 *       as correct and scales better for big aggregations; FINAL is simpler for lookups.</li>
 * </ul>
 */
public final class AnalyticsQueries {

  private final ClickHouseWriter clickhouse;

  public AnalyticsQueries(ClickHouseWriter clickhouse) {
    this.clickhouse = clickhouse;
  }

  /** Distinct error events of a project, however often each was inserted. */
  public Future<Long> countErrors(long projectId) {
    return countEvents(ErrorRowMapper.TABLE, projectId);
  }

  /** Distinct transactions of a project, however often each was inserted. */
  public Future<Long> countTransactions(long projectId) {
    return countEvents(TransactionRowMapper.TABLE, projectId);
  }

  /**
   * An error's row, or null: every column (Nested ones as {@code tags.key}, ...), plus
   * {@code timestamp_s} and {@code received_s} in unix seconds.
   *
   * @param eventId 32 hex digits, with or without hyphens
   */
  public Future<JsonObject> errorRow(long projectId, String eventId) {
    return row(ErrorRowMapper.TABLE, projectId, eventId,
        "toUnixTimestamp(timestamp) AS timestamp_s, toUnixTimestamp(received) AS received_s");
  }

  /** A transaction's row, or null, plus {@code start_s} and {@code finish_s} in unix seconds. */
  public Future<JsonObject> transactionRow(long projectId, String eventId) {
    return row(TransactionRowMapper.TABLE, projectId, eventId,
        "toUnixTimestamp(start_ts) AS start_s, toUnixTimestamp(finish_ts) AS finish_s");
  }

  private Future<Long> countEvents(String table, long projectId) {
    return clickhouse.query("SELECT uniqExact(event_id) AS events FROM " + table + " FINAL"
            + " WHERE project_id = " + projectId + " AND deleted = 0")
        .map(rows -> rows.isEmpty() ? 0L : rows.get(0).getLong("events"));
  }

  private Future<JsonObject> row(String table, long projectId, String eventId, String extra) {
    String uuid;
    try {
      uuid = ClickHouseWriter.uuid(eventId);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return clickhouse.query("SELECT *, " + extra + " FROM " + table + " FINAL WHERE project_id = " + projectId
            + " AND event_id = toUUID('" + uuid + "') AND deleted = 0 LIMIT 1")
        .map(rows -> rows.isEmpty() ? null : rows.get(0));
  }
}

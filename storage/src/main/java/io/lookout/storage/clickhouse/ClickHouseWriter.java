package io.lookout.storage.clickhouse;

import io.lookout.storage.clickhouse.impl.ClickHouseWriterImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * Writes rows to and reads rows from ClickHouse over HTTP, without blocking the caller: each call
 * runs on a worker pool of {@code clickhouse.max_connections} threads and completes on the caller's
 * context. Statements run in {@link ClickHouseConfig#database()}; table names are unqualified.
 *
 * <p>Row values follow ClickHouse's JSONEachRow input on 18.16 and current versions:
 * <ul>
 *   <li>DateTime: {@link #dateTime(Instant)} (unix seconds; an ISO string fails the insert);</li>
 *   <li>UUID: hyphenated, see {@link #uuid(String)} (18.16 rejects Sentry's 32-hex form);</li>
 *   <li>Nested columns: one array per sub-column, keyed {@code "tags.key"}, {@code "tags.value"},
 *       all of equal length;</li>
 *   <li>a column left out gets its type's zero value ({@code 0}, {@code ''}, {@code NULL}, {@code []}):
 *       18.16 ignores {@code DEFAULT} expressions for JSONEachRow;</li>
 *   <li>a field that is not a column fails the whole insert.</li>
 * </ul>
 *
 * <p>With {@code clickhouse.insert_format} RowBinary (the default) the writer learns a table's
 * insertable columns once ({@code DESCRIBE TABLE}, MATERIALIZED and ALIAS columns left out; learnt
 * again after a failed insert) and encodes the same rows itself, all of them before it sends
 * anything. It takes what JSONEachRow takes (a JSON null is 0 for a number and NaN for a float;
 * DateTime text {@code yyyy-MM-dd HH:mm:ss} is read in the column's or the server's time zone) and
 * a little more (32-hex UUIDs, enum numbers). A value that does not fit its column fails the insert
 * with a {@link ClickHouseStatementException} that is not retryable and carries the code ClickHouse
 * gives such a value (27, 53, 69, 72, 131...); an out-of-range integer fails instead of wrapping as
 * JSONEachRow on 18.16 does. A field that is not a column fails with code 117 and "Unknown field",
 * as JSONEachRow does. A table with a column type the encoder does not know (Decimal, Tuple, ...) is
 * written as JSONEachRow.
 */
public interface ClickHouseWriter {

  static ClickHouseWriter create(Vertx vertx, ClickHouseConfig config) {
    return new ClickHouseWriterImpl(vertx, config, config.database());
  }

  /**
   * Sends all rows as ONE {@code INSERT INTO table} (RowBinary or JSONEachRow): ClickHouse makes one part
   * per insert, so one insert per batch keeps merges cheap. The insert is atomic for a batch that
   * fits one block (up to {@code max_insert_block_size}, 1,048,576 rows): a bad row fails the
   * future with a {@link ClickHouseStatementException} carrying ClickHouse's message, and no row is
   * written.
   *
   * @return the number of rows sent (empty list: 0, without a request)
   */
  Future<Integer> insert(String table, List<JsonObject> rows);

  /**
   * Runs a SELECT with {@code FORMAT JSONEachRow} appended (so {@code sql} must not have a FORMAT
   * clause) and returns one object per row. 64-bit integers ({@code count()}, UInt64 columns) come
   * back as JSON numbers, not the quoted strings ClickHouse sends by default; a UInt64 above
   * {@link Long#MAX_VALUE} arrives as a {@link java.math.BigInteger}. DateTime columns come back as
   * {@code yyyy-MM-dd HH:mm:ss} in the server's time zone: select {@code toUnixTimestamp(col)} for
   * an unambiguous value. Meant for tests and modest read results: rows are held in memory.
   */
  Future<List<JsonObject>> query(String sql);

  /** Runs a statement with no result (DDL, {@code OPTIMIZE}, {@code ALTER ... DROP PARTITION}). */
  Future<Void> execute(String sql);

  /** Closes the HTTP connections; calls made afterwards fail. */
  Future<Void> close();

  /**
   * A DateTime value for JSONEachRow: unix seconds. Unlike {@code yyyy-MM-dd HH:mm:ss}, which the
   * server reads in its own time zone, seconds mean the same instant on every server.
   */
  static long dateTime(Instant instant) {
    return instant.getEpochSecond();
  }

  /**
   * A UUID value for JSONEachRow: Sentry's 32-hex ids ({@code event_id}, {@code trace_id}) in the
   * hyphenated form, which both 18.16 and current ClickHouse parse. A hyphenated input is returned
   * lower-cased.
   *
   * @throws IllegalArgumentException if {@code id} is not 32 hex digits, with or without hyphens
   */
  static String uuid(String id) {
    String hex = id.length() == 36 ? id.replace("-", "") : id;
    if (hex.length() != 32) {
      throw new IllegalArgumentException("not a UUID: '" + id + "'");
    }
    char[] out = new char[36];
    int j = 0;
    for (int i = 0; i < 32; i++) {
      if (i == 8 || i == 12 || i == 16 || i == 20) {
        out[j++] = '-';
      }
      char c = Character.toLowerCase(hex.charAt(i));
      if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
        throw new IllegalArgumentException("not a UUID: '" + id + "'");
      }
      out[j++] = c;
    }
    return new String(out);
  }
}

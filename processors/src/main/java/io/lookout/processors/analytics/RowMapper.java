package io.lookout.processors.analytics;

import io.lookout.storage.kafka.message.EventStreamInsert;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Turns one eventstream insert into one row of a ClickHouse table, as Snuba's message processors
 * do. Pure code, no I/O, thread-safe.
 */
public interface RowMapper {

  /** The table the rows go to. */
  String table();

  /**
   * The top-level keys of the event's {@code data} that {@link #map} reads; the consumer decodes only
   * these (the rest of a saved event, breadcrumbs above all, is most of its bytes).
   */
  Set<String> dataKeys();

  /**
   * @param now the consumer's clock, for the retention check
   * @throws IllegalArgumentException when the event cannot make a row (it is skipped and counted)
   */
  Result map(EventStreamInsert insert, Instant now);

  /** A row, or why the event has none. */
  record Result(JsonObject row, Skip skip) {

    static Result of(JsonObject row) {
      return new Result(row, null);
    }

    static Result skipped(Skip why) {
      return new Result(null, why);
    }
  }

  /** Why an insert is committed without a row. */
  enum Skip {
    /** Not this table's kind of event (a transaction on {@code events}, an error on {@code transactions}). */
    OTHER_TYPE,
    /** Older than its retention: its partition would be dropped at once (Snuba's {@code EventTooOld}). */
    TOO_OLD
  }

  /** The event's retention, or {@code defaultDays}; Snuba's {@code enforce_retention}. */
  static int retentionDays(Integer eventDays, int defaultDays) {
    return eventDays != null && eventDays > 0 && eventDays <= 65_535 ? eventDays : defaultDays;
  }

  static boolean tooOld(Instant timestamp, int retentionDays, Instant now) {
    return timestamp.isBefore(now.minus(Duration.ofDays(retentionDays)));
  }
}

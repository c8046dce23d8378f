package io.lookout.processors.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A keyset position in a list, in the three-part shape of Sentry's cursors ({@code value:offset:is_prev}),
 * so clients that pass {@code cursor} through from the {@code Link} header work unchanged. Where
 * Sentry's middle part is an offset among rows with an equal sort value, here it is the row's id:
 * pages are read with {@code (sort_column, id) < (value, id)}, never with OFFSET, so a page costs
 * the same however deep it is.
 *
 * @param value the sort column of the row at the edge of the page (timestamps as epoch microseconds,
 *     which is Postgres' precision, so no row is skipped or repeated)
 * @param id the id of that row
 * @param prev true: the page before this position; false: the page after it
 */
public record Cursor(long value, long id, boolean prev) {

  @Override
  public String toString() {
    return value + ":" + id + ":" + (prev ? 1 : 0);
  }

  /** Null for null or empty; a 400 {@link ApiError} for anything that is not {@code long:long:0|1}. */
  public static Cursor parse(String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    String[] parts = text.split(":", -1);
    if (parts.length != 3 || !(parts[2].equals("0") || parts[2].equals("1"))) {
      throw ApiError.badRequest("Invalid cursor parameter.");
    }
    try {
      return new Cursor(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2].equals("1"));
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid cursor parameter.");
    }
  }

  static long micros(OffsetDateTime time) {
    Instant i = time.toInstant();
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
  }

  static OffsetDateTime time(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}

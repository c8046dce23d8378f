package io.lookout.processors.api;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time range and buckets of a stats query ({@code stats_v2}, {@code sessions}), from the
 * request's {@code statsPeriod} or {@code start}/{@code end} and {@code interval}, rounded the way
 * Sentry's {@code get_constrained_date_range} rounds them: the range grows to a whole number of
 * intervals, its end moves up to the next interval boundary (so buckets line up with UTC hours or
 * days), and an end in the future becomes the next whole minute. Buckets are
 * {@code [start + i * interval, start + (i + 1) * interval)}; the last one may be cut short by
 * {@code end}.
 *
 * <p>Lookout reads hourly tables, so the interval is a whole number of hours that divides a day.
 *
 * @param start inclusive
 * @param end exclusive
 */
public record StatsPeriod(Instant start, Instant end, long intervalSeconds) {

  /** Sentry's {@code MAX_POINTS}. */
  static final int MAX_POINTS = 1000;
  static final long HOUR = 3600;
  static final long DAY = 86_400;

  private static final Pattern PERIOD = Pattern.compile("(\\d{1,9})([smhdw]?)");

  /**
   * @param param the request's query parameters, null when absent
   * @param defaultPeriod the range when neither {@code statsPeriod} nor {@code start}/{@code end} is given
   * @throws ApiError a 400 for a malformed or unsupported parameter
   */
  static StatsPeriod parse(Function<String, String> param, Instant now, String defaultPeriod) {
    String rawInterval = param.apply("interval");
    long interval = rawInterval == null || rawInterval.isBlank() ? HOUR : seconds("interval", rawInterval);
    if (interval % HOUR != 0 || interval < HOUR) {
      throw ApiError.badRequest("The interval has to be a multiple of the minimum interval of one hour.");
    }
    if (interval > DAY) {
      throw ApiError.badRequest("The interval has to be less than one day.");
    }
    if (DAY % interval != 0) {
      throw ApiError.badRequest("The interval should divide one day without a remainder.");
    }

    String period = param.apply("statsPeriod");
    String rawStart = param.apply("start");
    String rawEnd = param.apply("end");
    Instant end;
    Instant start;
    if (period != null && !period.isBlank()) {
      end = now;
      start = now.minusSeconds(seconds("statsPeriod", period));
    } else if (rawStart != null || rawEnd != null) {
      if (rawStart == null || rawEnd == null) {
        throw ApiError.badRequest("start and end are both required");
      }
      start = instant("start", rawStart);
      // an explicit end is inclusive
      end = instant("end", rawEnd).plusSeconds(1);
    } else {
      end = now;
      start = now.minusSeconds(seconds("statsPeriod", defaultPeriod));
    }
    if (!start.isBefore(end)) {
      throw ApiError.badRequest("start must be before end");
    }

    long range = end.getEpochSecond() - start.getEpochSecond() + (end.getNano() > start.getNano() ? 1 : 0);
    range = interval * ceilDiv(range, interval);
    if (range / interval > MAX_POINTS) {
      throw ApiError.badRequest("Your interval and date range would create too many results. "
          + "Use a larger interval, or a smaller date range.");
    }
    long endSeconds = end.getEpochSecond() + (end.getNano() > 0 ? 1 : 0);
    long roundedEnd = interval * ceilDiv(endSeconds, interval);
    Instant roundedStart = Instant.ofEpochSecond(roundedEnd - range);
    Instant finalEnd = Instant.ofEpochSecond(roundedEnd);
    if (finalEnd.isAfter(now)) {
      finalEnd = Instant.ofEpochSecond((Math.floorDiv(now.getEpochSecond(), 60) + 1) * 60);
    }
    return new StatsPeriod(roundedStart, finalEnd, interval);
  }

  /** The bucket starts, as Sentry lists them in {@code intervals}. */
  List<Instant> intervals() {
    List<Instant> out = new ArrayList<>();
    for (long t = start.getEpochSecond(); t < end.getEpochSecond(); t += intervalSeconds) {
      out.add(Instant.ofEpochSecond(t));
    }
    return out;
  }

  /** How many buckets there are. */
  int points() {
    return (int) ceilDiv(end.getEpochSecond() - start.getEpochSecond(), intervalSeconds);
  }

  /** The bucket of a bucket start (unix seconds), or -1 when it is outside the range. */
  int index(long bucketStart) {
    long offset = bucketStart - start.getEpochSecond();
    if (offset < 0 || offset % intervalSeconds != 0) {
      return -1;
    }
    long i = offset / intervalSeconds;
    return i < points() ? (int) i : -1;
  }

  /** Sentry's {@code parse_stats_period}: digits with an optional unit s, m, h, d or w (seconds without). */
  static long seconds(String name, String raw) {
    Matcher m = PERIOD.matcher(raw.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw ApiError.badRequest("Invalid " + name + ": \"" + raw + "\"");
    }
    long n = Long.parseLong(m.group(1));
    long seconds = switch (m.group(2)) {
      case "m" -> n * 60;
      case "h" -> n * HOUR;
      case "d" -> n * DAY;
      case "w" -> n * 7 * DAY;
      default -> n;
    };
    if (seconds <= 0) {
      throw ApiError.badRequest("Invalid " + name + ": \"" + raw + "\"");
    }
    return seconds;
  }

  /** An ISO 8601 date-time; without an offset it is UTC, as in Sentry; a bare date is its midnight. */
  static Instant instant(String name, String raw) {
    String s = raw.strip();
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeException e) {
      // try the forms without an offset
    }
    try {
      return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      // try a bare date
    }
    try {
      return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw ApiError.badRequest("Invalid " + name + ": \"" + raw + "\" is not an ISO 8601 date-time");
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}

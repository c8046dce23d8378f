package io.lookout.processors.monitors;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;

/**
 * A 5-field crontab expression ({@code minute hour day-of-month month day-of-week}), as Sentry's
 * monitors accept them: {@code *}, numbers, ranges {@code a-b}, steps {@code * /n} and {@code a-b/n}
 * and {@code a/n}, lists {@code a,b}, month and weekday names ({@code JAN}, {@code MON}), 7 as Sunday,
 * and the macros {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.
 *
 * <p>When both day-of-month and day-of-week are restricted, a day matches if either does (classic
 * cron and croniter). Times are wall-clock times in the monitor's time zone, with Vixie cron's
 * daylight-saving rules: a time that falls into a spring-forward gap runs at the same distance after
 * the gap (02:30 becomes 03:30); in a fall-back overlap a job with a fixed hour runs once (at the
 * first occurrence), while a job that runs every hour keeps running through the repeated hour.
 *
 * <p>Immutable and thread-safe.
 */
public final class CronExpression {

  private static final Map<String, String> MACROS = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *",
      "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
  private static final String[] MONTHS =
      {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  /** A schedule that matches no day within this many years matches none (e.g. 30 February). */
  private static final int SEARCH_YEARS = 9;

  private final String text;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domStar;
  private final boolean dowStar;
  private final boolean everyHour;

  private CronExpression(String text, BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months,
      BitSet daysOfWeek, boolean domStar, boolean dowStar) {
    this.text = text;
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
    this.domStar = domStar;
    this.dowStar = dowStar;
    this.everyHour = hours.cardinality() == 24;
  }

  /**
   * @throws IllegalArgumentException with what is wrong, if {@code expression} is not a valid
   *     crontab or matches no date at all
   */
  public static CronExpression parse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("empty crontab");
    }
    String text = expression.strip().replaceAll("\\s+", " ");
    String expanded = MACROS.getOrDefault(text.toLowerCase(Locale.ROOT), text);
    String[] fields = expanded.split(" ");
    if (fields.length != 5) {
      throw new IllegalArgumentException("crontab '" + text + "' must have 5 fields, has " + fields.length);
    }
    BitSet dow = field(fields[4], "day of week", 0, 7, DAYS);
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    CronExpression cron = new CronExpression(text, field(fields[0], "minute", 0, 59, null),
        field(fields[1], "hour", 0, 23, null), field(fields[2], "day of month", 1, 31, null),
        field(fields[3], "month", 1, 12, MONTHS), dow, isStar(fields[2]), isStar(fields[4]));
    if (cron.next(LocalDateTime.of(2000, 1, 1, 0, 0), ZoneOffset.UTC) == null) {
      throw new IllegalArgumentException("crontab '" + text + "' matches no date");
    }
    return cron;
  }

  private static boolean isStar(String field) {
    return field.equals("*") || field.equals("?");
  }

  private static BitSet field(String field, String name, int min, int max, String[] names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : field.split(",", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(name + ": empty list element in '" + field + "'");
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), name, 1, max, null);
        range = part.substring(0, slash);
      }
      int from;
      int to;
      if (isStar(range)) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-');
        if (dash >= 0) {
          from = number(range.substring(0, dash), name, min, max, names);
          to = number(range.substring(dash + 1), name, min, max, names);
          if (to < from) {
            throw new IllegalArgumentException(name + ": range '" + range + "' runs backwards");
          }
        } else {
          from = number(range, name, min, max, names);
          // "5/15" means from 5 to the end in steps of 15
          to = slash >= 0 ? max : from;
        }
      }
      for (int v = from; v <= to; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, String name, int min, int max, String[] names) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return names == MONTHS ? i + 1 : i;
        }
      }
    }
    try {
      int value = Integer.parseInt(text);
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + ": " + value + " is outside " + min + "-" + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + text + "' is not a number" + (names == null ? "" : " or name"));
    }
  }

  /** The first time this schedule fires strictly after {@code after} (whole minutes), in {@code zone}. */
  public Instant nextAfter(Instant after, ZoneId zone) {
    // start a few wall-clock hours early: when {@code after} lies in the first pass of a fall-back
    // overlap, the repeated hour comes after it in time but before it on the wall clock; candidates
    // not after {@code after} are skipped anyway
    LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).minusHours(3);
    Instant next = next(from, zone, after);
    if (next == null) {
      throw new IllegalStateException("crontab '" + text + "' has no time after " + after);
    }
    return next;
  }

  private Instant next(LocalDateTime startLocal, ZoneId zone) {
    return next(startLocal, zone, startLocal.atZone(zone).toInstant());
  }

  /** Candidates are wall-clock times after {@code fromLocal}; the result must be after {@code after}. */
  private Instant next(LocalDateTime fromLocal, ZoneId zone, Instant after) {
    LocalDate day = fromLocal.toLocalDate();
    LocalDate end = day.plusYears(SEARCH_YEARS);
    LocalTime firstTime = fromLocal.toLocalTime().plusMinutes(1);
    if (firstTime.equals(LocalTime.MIDNIGHT)) {
      day = day.plusDays(1);
    }
    boolean firstDay = !firstTime.equals(LocalTime.MIDNIGHT);
    for (; !day.isAfter(end); day = day.plusDays(1), firstDay = false) {
      if (!months.get(day.getMonthValue())) {
        day = day.withDayOfMonth(day.lengthOfMonth());
        continue;
      }
      if (!dayMatches(day)) {
        continue;
      }
      int fromHour = firstDay ? firstTime.getHour() : 0;
      for (int h = hours.nextSetBit(fromHour); h >= 0; h = hours.nextSetBit(h + 1)) {
        int fromMinute = firstDay && h == firstTime.getHour() ? firstTime.getMinute() : 0;
        for (int m = minutes.nextSetBit(fromMinute); m >= 0; m = minutes.nextSetBit(m + 1)) {
          Instant instant = resolve(LocalDateTime.of(day, LocalTime.of(h, m)), zone, after);
          if (instant != null) {
            return instant;
          }
        }
      }
    }
    return null;
  }

  /** A wall-clock time as an instant after {@code after}, with the DST rules above; null to skip it. */
  private Instant resolve(LocalDateTime local, ZoneId zone, Instant after) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition == null) {
      Instant instant = local.atZone(zone).toInstant();
      return instant.isAfter(after) ? instant : null;
    }
    if (transition.isGap()) {
      if (everyHour) {
        return null; // this wall-clock time does not exist; the next one that does follows
      }
      Instant instant = local.plus(transition.getDuration()).atZone(zone).toInstant();
      return instant.isAfter(after) ? instant : null;
    }
    Instant earlier = local.atOffset(transition.getOffsetBefore()).toInstant();
    if (earlier.isAfter(after)) {
      return earlier;
    }
    Instant later = local.atOffset(transition.getOffsetAfter()).toInstant();
    return everyHour && later.isAfter(after) ? later : null;
  }

  private boolean dayMatches(LocalDate day) {
    boolean dom = daysOfMonth.get(day.getDayOfMonth());
    boolean dow = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
    if (domStar || dowStar) {
      return dom && dow;
    }
    return dom || dow;
  }

  /** Whether the wall-clock minute of {@code time} is one this schedule fires at. */
  public boolean matches(ZonedDateTime time) {
    return minutes.get(time.getMinute()) && hours.get(time.getHour()) && months.get(time.getMonthValue())
        && dayMatches(time.toLocalDate());
  }

  @Override
  public String toString() {
    return text;
  }
}

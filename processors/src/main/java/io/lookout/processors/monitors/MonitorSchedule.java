package io.lookout.processors.monitors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * When a monitor expects its check-ins: the SDK's {@code monitor_config} ({@code schedule}
 * {@code {type: crontab, value}} or {@code {type: interval, value, unit}}, {@code checkin_margin} and
 * {@code max_runtime} in minutes, {@code timezone}), with Sentry's defaults (margin 1 minute, max
 * runtime 30 minutes, UTC).
 *
 * <p>As in Sentry, the next expected check-in is computed from the reference time truncated to the
 * minute: for a crontab the first tick after it (in the monitor's time zone), for an interval the
 * reference plus the interval. {@code next_checkin_latest} is that plus the margin.
 *
 * @param cron the crontab, or null for an interval schedule
 * @param intervalValue the interval's count (0 for a crontab)
 * @param intervalUnit the interval's unit (null for a crontab)
 */
public record MonitorSchedule(CronExpression cron, int intervalValue, ChronoUnit intervalUnit, ZoneId zone,
    int checkinMarginMinutes, int maxRuntimeMinutes) {

  public static final int DEFAULT_CHECKIN_MARGIN = 1;
  public static final int DEFAULT_MAX_RUNTIME = 30;
  /** Sentry's limit on both margins: 40 days in minutes. */
  public static final int MAX_MINUTES = 40 * 24 * 60;

  private static final Map<String, ChronoUnit> UNITS = Map.of("minute", ChronoUnit.MINUTES, "hour", ChronoUnit.HOURS,
      "day", ChronoUnit.DAYS, "week", ChronoUnit.WEEKS, "month", ChronoUnit.MONTHS, "year", ChronoUnit.YEARS);

  public MonitorSchedule {
    Objects.requireNonNull(zone, "zone");
    if ((cron == null) == (intervalUnit == null)) {
      throw new IllegalArgumentException("a schedule is either a crontab or an interval");
    }
    if (cron == null && intervalValue < 1) {
      throw new IllegalArgumentException("schedule: the interval must be at least 1, got " + intervalValue);
    }
  }

  /**
   * Reads a stored or SDK {@code monitor_config}.
   *
   * @throws IllegalArgumentException with what is wrong: a missing or unknown schedule type, a bad
   *     crontab, an unknown time zone, a negative margin
   */
  public static MonitorSchedule fromConfig(JsonObject config) {
    if (config == null) {
      throw new IllegalArgumentException("monitor_config is missing");
    }
    Object raw = config.getValue("schedule");
    String type;
    Object value;
    String unit = null;
    if (raw instanceof JsonObject schedule) {
      type = string(schedule.getValue("type"), "crontab");
      value = schedule.getValue("value");
      unit = string(schedule.getValue("unit"), null);
    } else if (raw instanceof String crontab) {
      // Sentry's stored form: schedule is the string, schedule_type says which
      type = string(config.getValue("schedule_type"), "crontab");
      value = crontab;
    } else if (raw instanceof JsonArray interval && interval.size() == 2) {
      type = "interval";
      value = interval.getValue(0);
      unit = string(interval.getValue(1), null);
    } else {
      throw new IllegalArgumentException("monitor_config.schedule is missing or not an object");
    }
    ZoneId zone = zone(config.getValue("timezone"));
    int margin = minutes(config.getValue("checkin_margin"), "checkin_margin", DEFAULT_CHECKIN_MARGIN);
    int runtime = minutes(config.getValue("max_runtime"), "max_runtime", DEFAULT_MAX_RUNTIME);
    switch (type) {
      case "crontab" -> {
        if (!(value instanceof String text)) {
          throw new IllegalArgumentException("monitor_config.schedule.value must be a crontab string");
        }
        return new MonitorSchedule(CronExpression.parse(text), 0, null, zone, margin, runtime);
      }
      case "interval" -> {
        int n;
        if (value instanceof Number number && number.doubleValue() == number.intValue()) {
          n = number.intValue();
        } else {
          throw new IllegalArgumentException("monitor_config.schedule.value must be a whole number for an interval");
        }
        ChronoUnit chrono = unit == null ? null : UNITS.get(unit.toLowerCase(Locale.ROOT).replaceAll("s$", ""));
        if (chrono == null) {
          throw new IllegalArgumentException("monitor_config.schedule.unit must be one of " + UNITS.keySet()
              + ", got " + unit);
        }
        return new MonitorSchedule(null, n, chrono, zone, margin, runtime);
      }
      default -> throw new IllegalArgumentException("monitor_config.schedule.type must be crontab or interval, got "
          + type);
    }
  }

  private static String string(Object value, String fallback) {
    return value instanceof String s && !s.isEmpty() ? s : fallback;
  }

  private static ZoneId zone(Object value) {
    if (!(value instanceof String name) || name.isEmpty()) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(name);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("monitor_config.timezone: unknown time zone '" + name + "'");
    }
  }

  private static int minutes(Object value, String name, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof Number n) || n.doubleValue() < 0 || n.doubleValue() > MAX_MINUTES) {
      throw new IllegalArgumentException("monitor_config." + name + " must be a number of minutes within 0.."
          + MAX_MINUTES + ", got " + value);
    }
    return n.intValue();
  }

  /** The next expected check-in after {@code reference} (truncated to the minute). */
  public Instant nextCheckin(Instant reference) {
    Instant minute = reference.truncatedTo(ChronoUnit.MINUTES);
    if (cron != null) {
      return cron.nextAfter(minute, zone);
    }
    // calendar units (months, years) count in the monitor's zone, as relativedelta does in Sentry
    return minute.atZone(zone).plus(intervalValue, intervalUnit).toInstant();
  }

  /** The latest time the check-in expected at {@code next} may arrive before it counts as missed. */
  public Instant latest(Instant next) {
    // a margin of 0 still gives the job its own minute, as Sentry does
    return next.plus(Math.max(1, checkinMarginMinutes), ChronoUnit.MINUTES);
  }

  /** When an in-progress check-in started at {@code started} times out. */
  public Instant timeoutAt(Instant started) {
    return started.truncatedTo(ChronoUnit.MINUTES).plus(maxRuntimeMinutes, ChronoUnit.MINUTES);
  }

  /** Sentry's API form of the config: {@code schedule_type}, {@code schedule}, margins, timezone. */
  public JsonObject toApiJson() {
    return new JsonObject()
        .put("schedule_type", cron != null ? "crontab" : "interval")
        .put("schedule", cron != null ? cron.toString()
            : new JsonArray().add(intervalValue).add(unitName(intervalUnit)))
        .put("checkin_margin", checkinMarginMinutes)
        .put("max_runtime", maxRuntimeMinutes)
        .put("timezone", zone.getId().equals("Z") ? "UTC" : zone.getId());
  }

  private static String unitName(ChronoUnit unit) {
    for (Map.Entry<String, ChronoUnit> e : UNITS.entrySet()) {
      if (e.getValue() == unit) {
        return e.getKey();
      }
    }
    throw new IllegalStateException(String.valueOf(unit));
  }
}

package io.lookout.processors.monitors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronExpressionTest {

  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId VIENNA = ZoneId.of("Europe/Vienna");

  private static Instant next(String cron, String after, ZoneId zone) {
    return CronExpression.parse(cron).nextAfter(Instant.parse(after), zone);
  }

  @Test
  void everyMinuteIsStrictlyAfterTheTruncatedMinute() {
    assertThat(next("* * * * *", "2024-06-01T12:00:30Z", UTC)).isEqualTo("2024-06-01T12:01:00Z");
    assertThat(next("* * * * *", "2024-06-01T12:00:00Z", UTC)).isEqualTo("2024-06-01T12:01:00Z");
  }

  @Test
  void rangesStepsListsAndNames() {
    assertThat(next("*/15 * * * *", "2024-06-01T12:16:00Z", UTC)).isEqualTo("2024-06-01T12:30:00Z");
    assertThat(next("5/20 * * * *", "2024-06-01T12:46:00Z", UTC)).isEqualTo("2024-06-01T13:05:00Z");
    assertThat(next("0 9-17/4 * * *", "2024-06-01T13:00:00Z", UTC)).isEqualTo("2024-06-01T17:00:00Z");
    assertThat(next("0 0 1,15 * *", "2024-06-02T00:00:00Z", UTC)).isEqualTo("2024-06-15T00:00:00Z");
    // 2024-06-01 is a Saturday
    assertThat(next("30 8 * * MON-FRI", "2024-06-01T09:00:00Z", UTC)).isEqualTo("2024-06-03T08:30:00Z");
    assertThat(next("0 0 * JUL sun", "2024-06-01T00:00:00Z", UTC)).isEqualTo("2024-07-07T00:00:00Z");
    assertThat(next("0 0 * * 7", "2024-06-01T00:00:00Z", UTC)).isEqualTo("2024-06-02T00:00:00Z");
    assertThat(next("@hourly", "2024-06-01T12:59:00Z", UTC)).isEqualTo("2024-06-01T13:00:00Z");
    assertThat(next("@monthly", "2024-12-15T00:00:00Z", UTC)).isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void dayOfMonthOrDayOfWeekWhenBothAreRestricted() {
    // the 13th, or any Friday: after Saturday 2024-06-01 comes Friday the 7th first
    assertThat(next("0 0 13 * FRI", "2024-06-01T00:00:00Z", UTC)).isEqualTo("2024-06-07T00:00:00Z");
  }

  @Test
  void leapDayIsFoundYearsAhead() {
    assertThat(next("0 0 29 2 *", "2024-03-01T00:00:00Z", UTC)).isEqualTo("2028-02-29T00:00:00Z");
  }

  @Test
  void timeZoneShiftsTheWallClock() {
    // 09:00 in Vienna in summer is 07:00 UTC, in winter 08:00 UTC
    assertThat(next("0 9 * * *", "2024-06-01T10:00:00Z", VIENNA)).isEqualTo("2024-06-02T07:00:00Z");
    assertThat(next("0 9 * * *", "2024-12-01T10:00:00Z", VIENNA)).isEqualTo("2024-12-02T08:00:00Z");
  }

  @Test
  void springForwardGapRunsAFixedTimeJobAfterTheGap() {
    // New York, 2024-03-10: 02:00 EST jumps to 03:00 EDT; 02:30 does not exist
    assertThat(next("30 2 * * *", "2024-03-10T06:00:00Z", NEW_YORK)).isEqualTo("2024-03-10T07:30:00Z"); // 03:30 EDT
    // the next day it is 02:30 EDT again
    assertThat(next("30 2 * * *", "2024-03-10T07:30:00Z", NEW_YORK)).isEqualTo("2024-03-11T06:30:00Z");
    // an every-15-minutes job skips the missing hour: 01:45 EST then 03:00 EDT
    assertThat(next("*/15 * * * *", "2024-03-10T06:45:00Z", NEW_YORK)).isEqualTo("2024-03-10T07:00:00Z");
  }

  @Test
  void fallBackOverlapRunsAFixedTimeJobOnceAndAFrequentJobThroughTheRepeatedHour() {
    // New York, 2024-11-03: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice
    assertThat(next("30 1 * * *", "2024-11-03T04:00:00Z", NEW_YORK)).isEqualTo("2024-11-03T05:30:00Z"); // EDT
    assertThat(next("30 1 * * *", "2024-11-03T05:30:00Z", NEW_YORK)).isEqualTo("2024-11-04T06:30:00Z"); // next day
    // hourly: 01:00 EDT (05:00Z), then 01:00 EST (06:00Z), then 02:00 EST (07:00Z)
    assertThat(next("0 * * * *", "2024-11-03T05:00:00Z", NEW_YORK)).isEqualTo("2024-11-03T06:00:00Z");
    assertThat(next("0 * * * *", "2024-11-03T06:00:00Z", NEW_YORK)).isEqualTo("2024-11-03T07:00:00Z");
  }

  @Test
  void invalidExpressionsSayWhatIsWrong() {
    assertThatThrownBy(() -> CronExpression.parse("* * * *")).hasMessageContaining("5 fields");
    assertThatThrownBy(() -> CronExpression.parse("60 * * * *")).hasMessageContaining("minute");
    assertThatThrownBy(() -> CronExpression.parse("* * * FOO *")).hasMessageContaining("month");
    assertThatThrownBy(() -> CronExpression.parse("5-1 * * * *")).hasMessageContaining("backwards");
    assertThatThrownBy(() -> CronExpression.parse("0 0 30 2 *")).hasMessageContaining("matches no date");
  }

  @Test
  void intervalAndCrontabSchedulesFromTheSdkConfig() {
    MonitorSchedule interval = MonitorSchedule.fromConfig(new JsonObject()
        .put("schedule", new JsonObject().put("type", "interval").put("value", 10).put("unit", "minute"))
        .put("checkin_margin", 5).put("max_runtime", 2));
    Instant next = interval.nextCheckin(Instant.parse("2024-06-01T12:00:42Z"));
    assertThat(next).isEqualTo("2024-06-01T12:10:00Z");
    assertThat(interval.latest(next)).isEqualTo("2024-06-01T12:15:00Z");
    assertThat(interval.timeoutAt(Instant.parse("2024-06-01T12:00:42Z"))).isEqualTo("2024-06-01T12:02:00Z");

    MonitorSchedule crontab = MonitorSchedule.fromConfig(new JsonObject()
        .put("schedule", new JsonObject().put("type", "crontab").put("value", "0 * * * *"))
        .put("timezone", "Europe/Vienna"));
    assertThat(crontab.nextCheckin(Instant.parse("2024-06-01T12:20:00Z"))).isEqualTo("2024-06-01T13:00:00Z");
    assertThat(crontab.latest(Instant.parse("2024-06-01T13:00:00Z"))).isEqualTo("2024-06-01T13:01:00Z");
    assertThat(crontab.maxRuntimeMinutes()).isEqualTo(30);
    assertThat(crontab.toApiJson().getString("timezone")).isEqualTo("Europe/Vienna");

    assertThatThrownBy(() -> MonitorSchedule.fromConfig(new JsonObject()
        .put("schedule", new JsonObject().put("type", "interval").put("value", 1).put("unit", "fortnight"))))
        .hasMessageContaining("unit");
    assertThatThrownBy(() -> MonitorSchedule.fromConfig(new JsonObject()
        .put("schedule", new JsonObject().put("type", "crontab").put("value", "0 * * * *"))
        .put("timezone", "Mars/Olympus"))).hasMessageContaining("time zone");
  }
}

package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsPeriodTest {

  private static final Instant NOW = Instant.parse("2021-03-14T12:27:28.303Z");

  private static StatsPeriod parse(Map<String, String> params) {
    return StatsPeriod.parse(params::get, NOW, "24h");
  }

  @Test
  void oneDayAtOneDayIntervalCoversTodayAsSentryRoundsIt() {
    StatsPeriod p = parse(Map.of("statsPeriod", "1d", "interval", "1d"));

    assertThat(p.start()).isEqualTo(Instant.parse("2021-03-14T00:00:00Z"));
    // the rounded end is in the future, so it becomes the next whole minute
    assertThat(p.end()).isEqualTo(Instant.parse("2021-03-14T12:28:00Z"));
    assertThat(p.intervals()).containsExactly(Instant.parse("2021-03-14T00:00:00Z"));
  }

  @Test
  void oneDayAtSixHoursGivesFourBuckets() {
    StatsPeriod p = parse(Map.of("statsPeriod", "1d", "interval", "6h"));

    assertThat(p.intervals()).containsExactly(Instant.parse("2021-03-13T18:00:00Z"),
        Instant.parse("2021-03-14T00:00:00Z"), Instant.parse("2021-03-14T06:00:00Z"),
        Instant.parse("2021-03-14T12:00:00Z"));
    assertThat(p.index(Instant.parse("2021-03-14T06:00:00Z").getEpochSecond())).isEqualTo(2);
    assertThat(p.index(Instant.parse("2021-03-13T12:00:00Z").getEpochSecond())).isEqualTo(-1);
  }

  @Test
  void twentyFourHoursHourlyEndsWithTheCurrentHour() {
    StatsPeriod p = parse(Map.of());

    assertThat(p.points()).isEqualTo(24);
    assertThat(p.start()).isEqualTo(Instant.parse("2021-03-13T13:00:00Z"));
    assertThat(p.intervals().get(23)).isEqualTo(Instant.parse("2021-03-14T12:00:00Z"));
  }

  @Test
  void explicitEndIsInclusive() {
    StatsPeriod p = parse(Map.of("start", "2021-03-10T00:00:00Z", "end", "2021-03-11T23:59:59Z", "interval", "1d"));

    assertThat(p.start()).isEqualTo(Instant.parse("2021-03-10T00:00:00Z"));
    assertThat(p.end()).isEqualTo(Instant.parse("2021-03-12T00:00:00Z"));
    assertThat(p.points()).isEqualTo(2);
  }

  @Test
  void badIntervalsAndRangesAreRejectedWithSentrysMessages() {
    assertThatThrownBy(() -> parse(Map.of("interval", "30m")))
        .hasMessage("The interval has to be a multiple of the minimum interval of one hour.");
    assertThatThrownBy(() -> parse(Map.of("interval", "2d"))).hasMessage("The interval has to be less than one day.");
    assertThatThrownBy(() -> parse(Map.of("interval", "5h")))
        .hasMessage("The interval should divide one day without a remainder.");
    assertThatThrownBy(() -> parse(Map.of("statsPeriod", "90d")))
        .hasMessageStartingWith("Your interval and date range would create too many results.");
    assertThatThrownBy(() -> parse(Map.of("interval", "bad_interval"))).hasMessage("Invalid interval: \"bad_interval\"");
    assertThatThrownBy(() -> parse(Map.of("start", "2021-03-10"))).hasMessage("start and end are both required");
    assertThatThrownBy(() -> parse(Map.of("start", "yesterday", "end", "2021-03-10")))
        .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
  }
}

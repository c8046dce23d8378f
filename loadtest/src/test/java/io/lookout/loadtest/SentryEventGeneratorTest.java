package io.lookout.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.IntSummaryStatistics;
import org.junit.jupiter.api.Test;

class SentryEventGeneratorTest {

  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

  @Test
  void eventsAreTwoToFiveKilobytesWithTenToFortyFrames() {
    SentryEventGenerator generator = new SentryEventGenerator(1);
    IntSummaryStatistics sizes = new IntSummaryStatistics();
    IntSummaryStatistics frames = new IntSummaryStatistics();
    for (int i = 0; i < 2_000; i++) {
      String id = generator.eventId();
      byte[] json = generator.event(id, NOW);
      sizes.accept(json.length);
      JsonObject event = new JsonObject(new String(json, StandardCharsets.UTF_8));
      assertThat(event.getString("event_id")).isEqualTo(id).hasSize(32);
      JsonArray values = event.getJsonObject("exception").getJsonArray("values");
      frames.accept(values.getJsonObject(values.size() - 1).getJsonObject("stacktrace").getJsonArray("frames").size());
      assertThat(event.getJsonObject("breadcrumbs").getJsonArray("values")).isNotNull();
      assertThat(event.getJsonObject("request").getString("url")).startsWith("https://");
    }
    assertThat(sizes.getMin()).isGreaterThanOrEqualTo(2 * 1024);
    assertThat(sizes.getMax()).isLessThanOrEqualTo(5 * 1024);
    assertThat(frames.getMin()).isEqualTo(10);
    // 40 frames of a Spring stack are ~6 KB alone: the size cap trims the deepest traces
    assertThat(frames.getMax()).isGreaterThanOrEqualTo(25).isLessThanOrEqualTo(40);
  }

  @Test
  void sameSeedGivesTheSameEvents() {
    SentryEventGenerator a = new SentryEventGenerator(7);
    SentryEventGenerator b = new SentryEventGenerator(7);
    for (int i = 0; i < 50; i++) {
      String idA = a.eventId();
      assertThat(b.eventId()).isEqualTo(idA);
      assertThat(b.event(idA, NOW)).isEqualTo(a.event(idA, NOW));
    }
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(NodestoreBench.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(NodestoreBench.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }
}

package io.lookout.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.grouping.Grouper;
import io.lookout.processors.grouping.GroupingConfig;
import io.lookout.processors.grouping.GroupingResult;
import io.lookout.processors.normalize.EventNormalizer;
import io.lookout.processors.normalize.NormalizeConfig;
import io.lookout.processors.process.EventProcessor;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.project.ProjectInfo;
import io.lookout.storage.kafka.message.EventMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  void issueShapesGroupIntoExactlyThatManyIssues() {
    SentryEventGenerator generator = new SentryEventGenerator(3, 100);
    assertThat(generator.issues()).isEqualTo(100);
    // what the pipeline does to each event: normalize (process_event), then group (save_event)
    EventProcessor processor = new EventProcessor(new EventNormalizer(NormalizeConfig.defaults()));
    Grouper grouper = new Grouper(GroupingConfig.defaults());
    ProjectInfo project = new ProjectInfo(1, 1, "shop", true, new JsonObject());
    Instant now = Instant.now();
    Map<String, Set<String>> hashesByIssue = new HashMap<>();
    IntSummaryStatistics sizes = new IntSummaryStatistics();
    for (int i = 0; i < 1_200; i++) {
      String id = generator.eventId();
      byte[] json = generator.event(id, now.minusSeconds(i % 300));
      sizes.accept(json.length);
      ProcessedEvent processed = processor.process(new EventMessage(json, now.getEpochSecond(), id, 1, null,
          List.of()), project);
      GroupingResult grouping = grouper.group(processed.event());
      Set<String> hashes = hashesByIssue.computeIfAbsent(grouping.primaryHash(), h -> new HashSet<>(grouping.hashes()));
      // every event of an issue has the same hashes, so it finds its issue whichever hash is looked up
      assertThat(grouping.hashes()).containsExactlyInAnyOrderElementsOf(hashes);
    }
    assertThat(hashesByIssue).hasSize(100);
    // no hash of one issue is a hash of another: the saver would merge them
    Set<String> all = new HashSet<>();
    hashesByIssue.values().forEach(all::addAll);
    assertThat(all).hasSize(hashesByIssue.values().stream().mapToInt(Set::size).sum());
    assertThat(sizes.getMin()).isGreaterThanOrEqualTo(2 * 1024);
    assertThat(sizes.getMax()).isLessThanOrEqualTo(5 * 1024);
  }

  @Test
  void withoutShapesNearlyEveryEventIsItsOwnIssue() {
    SentryEventGenerator generator = new SentryEventGenerator(5);
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      String id = generator.eventId();
      JsonObject event = new JsonObject(new String(generator.event(id, NOW), StandardCharsets.UTF_8));
      keys.add(SentryEventGenerator.groupingKey(event.getJsonObject("exception").getJsonArray("values"), false));
    }
    assertThat(keys.size()).isGreaterThan(490);
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(NodestoreBench.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(NodestoreBench.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }
}

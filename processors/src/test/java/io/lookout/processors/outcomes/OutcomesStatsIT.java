package io.lookout.processors.outcomes;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.StatsItBase;
import io.lookout.processors.clickhouse.RowConsumerMetrics;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Outcomes of several categories and outcomes, two projects (one rate limited), another
 * organization and two undecodable messages go through the real {@code outcomes} topic, the
 * consumer and ClickHouse, and come out of {@code stats_v2} with Sentry's totals and groupings.
 */
class OutcomesStatsIT extends StatsItBase {

  private static final int VALID = 22;
  private static final int INVALID = 2;

  private long orgId;
  private long web;
  private long backend;
  private String group;

  @Override
  protected List<String> topicNames() {
    return List.of(Topics.OUTCOMES);
  }

  @BeforeAll
  void sendOutcomes() throws Exception {
    web = project("web");
    backend = project("backend");
    orgId = orgId();
    group = "it-outcomes-" + id;
    JsonObject section = new JsonObject().put("group", group).put("max_batch_time_ms", 200).put("poll_timeout_ms", 50)
        .put("max_batch_size", 10).put("max_poll_records", 10).put("max_batches_in_flight", 4);
    deploy(new OutcomesConsumerVerticle(OutcomesConsumerVerticle.config(section), storage.kafka(), clickhouse, topics,
        registry, 0));

    Instant now = Instant.now();
    for (int i = 0; i < 5; i++) {
      send(outcome(now, web, OutcomeType.ACCEPTED, DataCategory.ERROR, 1, null));
    }
    for (int i = 0; i < 3; i++) {
      send(outcome(now, web, OutcomeType.ACCEPTED, DataCategory.TRANSACTION, 1, null));
    }
    send(outcome(now, web, OutcomeType.FILTERED, DataCategory.ERROR, 1, "browser-extensions"));
    send(outcome(now, web, OutcomeType.FILTERED, DataCategory.ERROR, 1, "browser-extensions"));
    send(outcome(now, web, OutcomeType.INVALID, DataCategory.ATTACHMENT, 2048, "too_large"));
    send(outcome(now, web, OutcomeType.CLIENT_DISCARD, DataCategory.ERROR, 4, "queue_overflow"));
    // a default-category event counts as an error
    send(outcome(now, web, OutcomeType.ACCEPTED, DataCategory.DEFAULT, 1, null));
    for (int i = 0; i < 7; i++) {
      send(outcome(now, backend, OutcomeType.RATE_LIMITED, DataCategory.ERROR, 1, "project_quota"));
    }
    send(outcome(now, backend, OutcomeType.RATE_LIMITED, DataCategory.TRANSACTION, 2, null));
    send(outcome(now, backend, OutcomeType.ACCEPTED, DataCategory.ERROR, 1, null));
    // another organization's project: never in this organization's stats
    send(Outcome.of(now, orgId + 1000, backend + 1000, null, OutcomeType.ACCEPTED, DataCategory.ERROR, 50));
    send("not json".getBytes(StandardCharsets.UTF_8));
    send("{\"timestamp\":\"2024-05-02T14:03:27Z\",\"outcome\":0}".getBytes(StandardCharsets.UTF_8));
  }

  private Outcome outcome(Instant at, long project, OutcomeType type, DataCategory category, long quantity,
      String reason) {
    return Outcome.of(at, orgId, project, 7L, type, category, quantity).withReason(reason);
  }

  private void send(Outcome outcome) throws Exception {
    send(Topics.OUTCOMES, OutcomeCodec.key(outcome), OutcomeCodec.encode(outcome));
  }

  private void send(byte[] value) throws Exception {
    send(Topics.OUTCOMES, null, value);
  }

  private String stats(String query) {
    return "/api/0/organizations/" + org + "/stats_v2/?statsPeriod=24h&interval=1h&" + query;
  }

  /** {by as JSON: total of the first field} for every group. */
  private static Map<String, Long> totals(JsonObject body, String field) {
    Map<String, Long> out = new HashMap<>();
    for (Object g : body.getJsonArray("groups")) {
      JsonObject group = (JsonObject) g;
      out.put(group.getJsonObject("by").encode(), group.getJsonObject("totals").getLong(field));
    }
    return out;
  }

  private static long sum(JsonObject body, String field) {
    return totals(body, field).values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void totalsPerOutcomeAndCategoryMatchWhatWasSent() throws Exception {
    String url = stats("field=sum(quantity)&field=sum(times_seen)&groupBy=outcome&groupBy=category");
    JsonObject body = poll(url, b -> sum(b, "sum(times_seen)") == VALID);

    assertThat(body.getJsonArray("intervals")).hasSize(24);
    assertThat(body.getString("start")).endsWith(":00:00Z");
    assertThat(totals(body, "sum(quantity)")).containsOnly(
        Map.entry("{\"outcome\":\"accepted\",\"category\":\"error\"}", 7L),
        Map.entry("{\"outcome\":\"accepted\",\"category\":\"transaction\"}", 3L),
        Map.entry("{\"outcome\":\"filtered\",\"category\":\"error\"}", 2L),
        Map.entry("{\"outcome\":\"invalid\",\"category\":\"attachment\"}", 2048L),
        Map.entry("{\"outcome\":\"client_discard\",\"category\":\"error\"}", 4L),
        Map.entry("{\"outcome\":\"rate_limited\",\"category\":\"error\"}", 7L),
        Map.entry("{\"outcome\":\"rate_limited\",\"category\":\"transaction\"}", 2L));
    assertThat(totals(body, "sum(times_seen)")).containsEntry("{\"outcome\":\"client_discard\",\"category\":\"error\"}", 1L)
        .containsEntry("{\"outcome\":\"accepted\",\"category\":\"error\"}", 7L);
    for (Object g : body.getJsonArray("groups")) {
      JsonObject group = (JsonObject) g;
      JsonArray series = group.getJsonObject("series").getJsonArray("sum(quantity)");
      assertThat(series).hasSize(24);
      assertThat(series.stream().mapToLong(v -> ((Number) v).longValue()).sum())
          .isEqualTo(group.getJsonObject("totals").getLong("sum(quantity)"));
    }
  }

  @Test
  void theRateLimitedProjectShowsUpWhenGroupedByProject() throws Exception {
    poll(stats("field=sum(times_seen)&groupBy=category"), b -> sum(b, "sum(times_seen)") == VALID);

    JsonObject body = poll(stats("field=sum(quantity)&groupBy=project&category=error&outcome=rate_limited"), b -> true);
    assertThat(body.getJsonArray("groups")).containsExactly(new JsonObject()
        .put("by", new JsonObject().put("project", backend))
        .put("totals", new JsonObject().put("sum(quantity)", 7))
        .put("series", body.getJsonArray("groups").getJsonObject(0).getJsonObject("series")));

    JsonObject reasons = poll(stats("field=sum(quantity)&groupBy=reason&category=error&project=" + backend), b -> true);
    assertThat(totals(reasons, "sum(quantity)")).containsOnly(Map.entry("{\"reason\":\"project_quota\"}", 7L),
        Map.entry("{\"reason\":\"none\"}", 1L));

    JsonObject transactions = poll(stats("field=sum(quantity)&category=transaction&outcome=rate_limited"), b -> true);
    assertThat(totals(transactions, "sum(quantity)")).containsOnly(Map.entry("{}", 2L));
  }

  @Test
  void badMessagesAreSkippedCountedAndCommitted() throws Exception {
    poll(stats("field=sum(times_seen)&groupBy=category"), b -> sum(b, "sum(times_seen)") == VALID);

    long rows = clickhouse.query("SELECT count() AS c FROM outcomes_raw").await(30, TimeUnit.SECONDS).get(0).getLong("c");
    assertThat(rows).isEqualTo(VALID + 1);
    long committed = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      while (committed < VALID + 1 + INVALID && System.nanoTime() < deadline) {
        Map<?, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
            .get(10, TimeUnit.SECONDS);
        committed = offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        Thread.sleep(100);
      }
    }
    assertThat(committed).isEqualTo(VALID + 1 + INVALID);
    assertThat(registry.get(RowConsumerMetrics.INVALID).counter().count()).isEqualTo(INVALID);
    assertThat(registry.get(RowConsumerMetrics.INSERTED).counter().count()).isEqualTo(VALID + 1);
  }

  @Test
  void requestsSentryWouldRejectAreRejected() throws Exception {
    HttpResponse<String> noCategory = get(stats("field=sum(quantity)"));
    assertThat(noCategory.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noCategory.body()).getString("detail"))
        .isEqualTo("Query must have category as groupby or filter");

    HttpResponse<String> foreign = get(stats("field=sum(quantity)&category=error&project=" + (backend + 1000)));
    assertThat(foreign.statusCode()).isEqualTo(403);

    HttpResponse<String> unknownOrg = get("/api/0/organizations/nope-" + id + "/stats_v2/?field=sum(quantity)&category=error");
    assertThat(unknownOrg.statusCode()).isEqualTo(404);
  }
}

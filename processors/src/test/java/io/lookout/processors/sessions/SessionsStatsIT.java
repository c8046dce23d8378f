package io.lookout.processors.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.StatsItBase;
import io.lookout.processors.clickhouse.RowConsumerMetrics;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.SessionCodec;
import io.lookout.storage.kafka.message.SessionMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Release health end to end: session updates as the gateway writes them to {@code ingest-sessions}
 * (an initial {@code ok} update, then {@code exited} or {@code crashed}), and an exploded aggregate,
 * go through the consumer and ClickHouse and come out of the sessions API as Sentry's crash-free
 * rates per release and environment.
 */
class SessionsStatsIT extends StatsItBase {

  private long orgId;
  private long app;
  private long other;

  @Override
  protected List<String> topicNames() {
    return List.of(Topics.INGEST_SESSIONS);
  }

  @BeforeAll
  void sendSessions() throws Exception {
    app = project("app");
    other = project("other");
    orgId = orgId();
    JsonObject section = new JsonObject().put("group", "it-sessions-" + id).put("max_batch_time_ms", 200)
        .put("poll_timeout_ms", 50);
    deploy(new SessionsConsumerVerticle(SessionsConsumerVerticle.config(section), storage.kafka(), clickhouse, topics,
        registry, 0));

    double now = System.currentTimeMillis() / 1000.0;
    // release 1.0 in production: 10 sessions of 5 users (2 each); sessions 8 and 9 crash, and they
    // belong to users 3 and 4, so 2 of the 5 users saw a crash
    for (int i = 0; i < 10; i++) {
      UUID sid = UUID.randomUUID();
      UUID did = UUID.nameUUIDFromBytes(("user-" + (i % 5)).getBytes(StandardCharsets.UTF_8));
      send(update(app, sid, did, 0, now - 60, now - 60, "ok", 0, null, "1.0", "production"));
      boolean crashed = i >= 8;
      send(update(app, sid, did, 2, now - 60, now, crashed ? "crashed" : "exited", crashed ? 1 : 0, 60.0, "1.0",
          "production"));
    }
    // release 1.0 in staging: one healthy session without a user
    UUID lone = UUID.randomUUID();
    send(update(app, lone, SessionMessage.NIL, 0, now, now, "ok", 0, null, "1.0", "staging"));
    send(update(app, lone, SessionMessage.NIL, 1, now, now, "exited", 0, 5.0, "1.0", "staging"));
    // release 2.0: an aggregate exploded as the gateway does it, 4 exited and 1 crashed, no users
    send(aggregate(app, "exited", 4, 0, "2.0", "production", now));
    send(aggregate(app, "crashed", 1, 1, "2.0", "production", now));
    // the other project: one crash, which must not show up when asking for "app" only
    UUID sid = UUID.randomUUID();
    send(update(other, sid, SessionMessage.NIL, 0, now, now, "crashed", 1, 1.0, "1.0", "production"));
    send(Topics.INGEST_SESSIONS, null, "{\"not\": \"a session\"}".getBytes(StandardCharsets.UTF_8));
  }

  private SessionMessage update(long project, UUID sid, UUID did, long seq, double started, double received,
      String status, int errors, Double duration, String release, String environment) {
    return new SessionMessage(orgId, project, sid, did, 1, seq, received, started, duration, status, errors, release,
        environment, "sentry.java/8.0", 90);
  }

  private SessionMessage aggregate(long project, String status, long count, int errors, String release,
      String environment, double now) {
    return new SessionMessage(orgId, project, SessionMessage.NIL, SessionMessage.NIL, count, 0, now, now, null, status,
        errors, release, environment, "sentry.javascript/8.0", 90);
  }

  private void send(SessionMessage message) throws Exception {
    send(Topics.INGEST_SESSIONS, null, SessionCodec.encode(message));
  }

  private String sessions(String query) {
    return "/api/0/organizations/" + org + "/sessions/?statsPeriod=24h&interval=1h&" + query;
  }

  private static Map<String, JsonObject> byGroup(JsonObject body) {
    Map<String, JsonObject> out = new HashMap<>();
    for (Object g : body.getJsonArray("groups")) {
      JsonObject group = (JsonObject) g;
      out.put(group.getJsonObject("by").encode(), group.getJsonObject("totals"));
    }
    return out;
  }

  /** Until both projects' sessions (16 of app, 1 of other) are queryable: they may come in different inserts. */
  private JsonObject awaitAllSessions() throws Exception {
    return poll(sessions("field=sum(session)"), b -> {
      JsonArray groups = b.getJsonArray("groups");
      return !groups.isEmpty() && groups.getJsonObject(0).getJsonObject("totals").getLong("sum(session)") == 17;
    });
  }

  @Test
  void crashFreeRatesPerReleaseAndEnvironmentAreSentrys() throws Exception {
    awaitAllSessions();

    JsonObject body = poll(sessions("field=crash_free_rate(session)&field=crash_free_rate(user)&field=sum(session)"
        + "&field=count_unique(user)&groupBy=release&groupBy=environment&project=" + app), b -> true);

    Map<String, JsonObject> groups = byGroup(body);
    assertThat(groups).containsOnlyKeys("{\"release\":\"1.0\",\"environment\":\"production\"}",
        "{\"release\":\"1.0\",\"environment\":\"staging\"}", "{\"release\":\"2.0\",\"environment\":\"production\"}");
    JsonObject production = groups.get("{\"release\":\"1.0\",\"environment\":\"production\"}");
    assertThat(production.getLong("sum(session)")).isEqualTo(10);
    assertThat(production.getLong("count_unique(user)")).isEqualTo(5);
    assertThat(production.getDouble("crash_free_rate(session)")).isEqualTo(0.8);
    assertThat(production.getDouble("crash_free_rate(user)")).isEqualTo(0.6);
    JsonObject staging = groups.get("{\"release\":\"1.0\",\"environment\":\"staging\"}");
    assertThat(staging.getDouble("crash_free_rate(session)")).isEqualTo(1.0);
    assertThat(staging.getValue("crash_free_rate(user)")).isNull();
    JsonObject aggregated = groups.get("{\"release\":\"2.0\",\"environment\":\"production\"}");
    assertThat(aggregated.getLong("sum(session)")).isEqualTo(5);
    assertThat(aggregated.getDouble("crash_free_rate(session)")).isEqualTo(0.8);

    assertThat(body.getJsonArray("intervals")).hasSize(24);
    JsonArray series = body.getJsonArray("groups").getJsonObject(0).getJsonObject("series")
        .getJsonArray("crash_free_rate(session)");
    assertThat(series).hasSize(24);
    assertThat(series.stream().filter(v -> v != null)).isNotEmpty();
  }

  @Test
  void filtersByReleaseEnvironmentAndProject() throws Exception {
    awaitAllSessions();

    JsonObject release = poll(sessions("field=crash_free_rate(session)&field=sum(session)&groupBy=project"
        + "&query=release:1.0&environment=production"), b -> true);
    Map<String, JsonObject> groups = byGroup(release);
    assertThat(groups.get("{\"project\":" + app + "}").getDouble("crash_free_rate(session)")).isEqualTo(0.8);
    assertThat(groups.get("{\"project\":" + other + "}").getDouble("crash_free_rate(session)")).isEqualTo(0.0);

    JsonObject all = poll(sessions("field=crash_free_rate(session)&field=sum(session)"), b -> true);
    JsonObject totals = all.getJsonArray("groups").getJsonObject(0).getJsonObject("totals");
    assertThat(totals.getLong("sum(session)")).isEqualTo(17);
    assertThat(totals.getDouble("crash_free_rate(session)")).isEqualTo(1 - 4.0 / 17);
  }

  @Test
  void anUndecodableMessageIsSkippedAndCounted() throws Exception {
    awaitAllSessions();

    long deadline = System.nanoTime() + 30_000_000_000L;
    while (registry.get(RowConsumerMetrics.INVALID).counter().count() < 1 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(registry.get(RowConsumerMetrics.INVALID).counter().count()).isEqualTo(1);
    long rows = clickhouse.query("SELECT count() AS c FROM sessions").await(30, java.util.concurrent.TimeUnit.SECONDS)
        .get(0).getLong("c");
    assertThat(rows).isEqualTo(25);
  }

  @Test
  void unknownFieldsAreRejected() throws Exception {
    HttpResponse<String> response = get(sessions("field=sum(sessions)"));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("detail")).isEqualTo("Invalid field: \"sum(sessions)\"");
  }
}

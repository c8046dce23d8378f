package io.lookout.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.config.StorageConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One database for the class (migrated once); each test writes its own project or org ids. */
@ExtendWith(VertxExtension.class)
class ClickHouseWriterIT {

  private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

  private static ClickHouseConfig config;
  private static ClickHouseWriter writer;

  @BeforeAll
  static void migrateOwnDatabase(Vertx vertx, VertxTestContext ctx) {
    String database = "it_ch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    config = StorageConfig.load().clickhouse().withDatabase(database);
    ClickHouseMigrator.create(vertx, config).migrate()
        .onComplete(ctx.succeeding(applied -> {
          writer = ClickHouseWriter.create(vertx, config);
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void dropDatabase(Vertx vertx, VertxTestContext ctx) {
    ClickHouseWriter system = ClickHouseWriter.create(vertx, config.withDatabase("system"));
    Future<Void> closed = writer == null ? Future.succeededFuture() : writer.close();
    closed.compose(v -> system.execute("DROP DATABASE IF EXISTS " + config.database()))
        .eventually(system::close)
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void tenThousandErrorRowsInOneInsertCompleteOnTheCallersContext(Vertx vertx, VertxTestContext ctx) {
    List<JsonObject> rows = errorRows(1001, 10_000);
    Context caller = vertx.getOrCreateContext();

    caller.runOnContext(v -> writer.insert("errors", rows).onComplete(ctx.succeeding(n -> ctx.verify(() -> {
      assertThat(n).isEqualTo(10_000);
      // the blocking HTTP call ran on a worker; its result comes back on the event loop that asked
      assertThat(Vertx.currentContext()).isSameAs(caller);
      assertThat(Context.isOnEventLoopThread()).isTrue();
      writer.query("SELECT count() AS c FROM errors WHERE project_id = 1001")
          .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
            assertThat(result).singleElement().satisfies(r -> assertThat(r.getLong("c")).isEqualTo(10_000L));
            ctx.completeNow();
          })));
    }))));
  }

  @Test
  void replayedBatchDoesNotShowEventsTwice(VertxTestContext ctx) {
    List<JsonObject> rows = errorRows(1002, 10_000);

    writer.insert("errors", rows)
        .compose(n -> writer.insert("errors", errorRows(1002, 10_000)))
        .compose(n -> writer.query("SELECT count() AS final_count, uniqExact(event_id) AS events"
            + " FROM errors FINAL WHERE project_id = 1002"))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          JsonObject r = result.get(0);
          assertThat(r.getLong("final_count")).isEqualTo(10_000L);
          assertThat(r.getLong("events")).isEqualTo(10_000L);
          ctx.completeNow();
        })));
  }

  @Test
  void nestedColumnsRoundTrip(VertxTestContext ctx) {
    JsonObject row = errorRow(1003, 0)
        .put("tags.key", new JsonArray().add("browser").add("level").add("server_name"))
        .put("tags.value", new JsonArray().add("Chrome 120").add("error").add("web-1"))
        .put("exception_stacks.type", new JsonArray().add("IllegalStateException"))
        .put("exception_stacks.value", new JsonArray().add("boom"))
        .put("exception_stacks.mechanism_type", new JsonArray().add("generic"))
        .put("exception_stacks.mechanism_handled", new JsonArray().addNull())
        .put("exception_frames.abs_path", new JsonArray().add("App.java").addNull())
        .put("exception_frames.filename", new JsonArray().add("App.java").add("Thread.java"))
        .put("exception_frames.package", new JsonArray().addNull().addNull())
        .put("exception_frames.module", new JsonArray().add("com.example.App").add("java.lang.Thread"))
        .put("exception_frames.function", new JsonArray().add("main").add("run"))
        .put("exception_frames.lineno", new JsonArray().add(42).addNull())
        .put("exception_frames.in_app", new JsonArray().add(1).add(0))
        .put("exception_frames.stack_level", new JsonArray().add(0).add(0));

    writer.insert("errors", List.of(row))
        .compose(n -> writer.query("SELECT tags.key, tags.value,"
            + " tags.value[indexOf(tags.key, 'server_name')] AS server_name,"
            + " exception_stacks.type, exception_stacks.mechanism_handled,"
            + " exception_frames.lineno, exception_frames.in_app, exception_frames.package,"
            + " message, environment FROM errors WHERE project_id = 1003"))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          JsonObject r = result.get(0);
          assertThat(r.getJsonArray("tags.key")).isEqualTo(row.getJsonArray("tags.key"));
          assertThat(r.getJsonArray("tags.value")).isEqualTo(row.getJsonArray("tags.value"));
          assertThat(r.getString("server_name")).isEqualTo("web-1");
          assertThat(r.getJsonArray("exception_stacks.type")).containsExactly("IllegalStateException");
          assertThat(r.getJsonArray("exception_stacks.mechanism_handled")).isEqualTo(new JsonArray().addNull());
          assertThat(r.getJsonArray("exception_frames.lineno")).isEqualTo(new JsonArray().add(42).addNull());
          assertThat(r.getJsonArray("exception_frames.in_app")).isEqualTo(new JsonArray().add(1).add(0));
          assertThat(r.getJsonArray("exception_frames.package")).isEqualTo(new JsonArray().addNull().addNull());
          assertThat(r.getString("message")).isEqualTo(row.getString("message"));
          assertThat(r.getValue("environment")).isEqualTo("production");
          ctx.completeNow();
        })));
  }

  @Test
  void rawOutcomesShowUpSummedPerHour(VertxTestContext ctx) {
    Instant nextHour = HOUR.plus(1, ChronoUnit.HOURS);
    List<JsonObject> rows = List.of(
        outcome(HOUR.plusSeconds(10), 0, null, null, 1),
        outcome(HOUR.plusSeconds(20), 0, null, null, 1),
        outcome(HOUR.plusSeconds(3599), 0, null, null, 5), // an envelope of 5 errors
        outcome(HOUR.plusSeconds(30), 2, 9L, "key_quota", 1),
        outcome(HOUR.plusSeconds(40), 2, 9L, "key_quota", 2),
        outcome(nextHour.plusSeconds(1), 0, null, null, 1));

    // two inserts: the hourly rows of the two blocks are only summed by a merge, so the read sums
    writer.insert("outcomes_raw", rows.subList(0, 3))
        .compose(n -> writer.insert("outcomes_raw", rows.subList(3, rows.size())))
        .compose(n -> writer.query("SELECT toUnixTimestamp(timestamp) AS ts, outcome, key_id, reason,"
            + " sum(times_seen) AS times_seen, sum(quantity) AS quantity FROM outcomes_hourly"
            + " WHERE org_id = 77 GROUP BY timestamp, outcome, key_id, reason ORDER BY ts, outcome"))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).containsExactly(
              hourly(HOUR, 0, 0, "none", 3, 7),
              hourly(HOUR, 2, 9, "key_quota", 2, 3),
              hourly(nextHour, 0, 0, "none", 1, 1));
          ctx.completeNow();
        })));
  }

  @Test
  void badRowFailsWithClickHouseMessageAndInsertsNothing(VertxTestContext ctx) {
    List<JsonObject> unknownField = List.of(errorRow(1005, 0), errorRow(1005, 1).put("bogus", 1), errorRow(1005, 2));
    List<JsonObject> wrongType = List.of(errorRow(1005, 3), errorRow(1005, 4).put("group_id", "not a number"));

    writer.insert("errors", unknownField)
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertThat(e).isInstanceOf(ClickHouseStatementException.class)
              .hasMessageContaining("INSERT INTO " + config.database() + ".errors (3 rows)")
              .hasMessageContaining("Unknown field found while parsing JSONEachRow format: bogus");
          assertThat(((ClickHouseStatementException) e).serverCode()).isEqualTo(117);
          assertThat(((ClickHouseStatementException) e).retryable()).isFalse();
          writer.insert("errors", wrongType)
              .onComplete(ctx.failing(e2 -> ctx.verify(() -> {
                assertThat(e2).isInstanceOf(ClickHouseStatementException.class)
                    .hasMessageContaining("Cannot parse input")
                    .hasMessageContaining("group_id");
                writer.query("SELECT count() AS c FROM errors WHERE project_id = 1005")
                    .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
                      assertThat(result.get(0).getLong("c")).isZero();
                      ctx.completeNow();
                    })));
              })));
        })));
  }

  @Test
  void sessionBatchGivesCrashFreeRatesPerRelease(VertxTestContext ctx) {
    List<JsonObject> rows = new ArrayList<>();
    // release 1.0: 10 sessions by 8 users (user 0 and 1 have two sessions each)
    for (int i = 0; i < 10; i++) {
      String sid = sessionId(i);
      String user = "user-" + (i < 4 ? i / 2 : i - 2);
      rows.add(session(sid, user, 0, "1.0", "ok", 0, 4294967295L, 1));
      String end = i == 3 ? "crashed" : i == 7 ? "abnormal" : "exited";
      rows.add(session(sid, user, 5, "1.0", end, i == 5 ? 1 : 0, 60, 1));
    }
    // release 1.1: one crash in a session that only sent its final update, plus a pre-aggregated
    // bucket of 20 exited and 1 crashed sessions (nil session_id, no user)
    rows.add(session(sessionId(100), "user-a", 0, "1.1", "crashed", 1, 5, 1));
    rows.add(session(sessionId(101), "user-b", 0, "1.1", "exited", 0, 5, 1));
    rows.add(session(new UUID(0, 0).toString(), "", 0, "1.1", "exited", 0, 4294967295L, 20));
    rows.add(session(new UUID(0, 0).toString(), "", 0, "1.1", "crashed", 0, 4294967295L, 1));

    writer.insert("sessions", rows)
        .compose(n -> writer.query("SELECT release,"
            + " countIfMerge(sessions) + sumIfMerge(sessions_preaggr) AS total,"
            + " countIfMerge(sessions_crashed) + sumIfMerge(sessions_crashed_preaggr) AS crashed,"
            + " uniqIfMerge(sessions_errored) AS errored,"
            + " round(1 - crashed / total, 4) AS crash_free_sessions,"
            + " uniqIfMerge(users) AS users, uniqIfMerge(users_crashed) AS users_crashed,"
            + " round(1 - users_crashed / users, 4) AS crash_free_users"
            + " FROM sessions_hourly WHERE org_id = 88 AND project_id = 2001"
            + " GROUP BY release ORDER BY release"))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result).hasSize(2);
          JsonObject v10 = result.get(0);
          assertThat(v10.getString("release")).isEqualTo("1.0");
          assertThat(v10.getLong("total")).isEqualTo(10L);
          assertThat(v10.getLong("crashed")).isEqualTo(1L);
          assertThat(v10.getLong("errored")).isEqualTo(3L); // crashed + abnormal + one with an error
          assertThat(v10.getDouble("crash_free_sessions")).isEqualTo(0.9);
          assertThat(v10.getLong("users")).isEqualTo(8L);
          assertThat(v10.getLong("users_crashed")).isEqualTo(1L);
          assertThat(v10.getDouble("crash_free_users")).isEqualTo(0.875);
          JsonObject v11 = result.get(1);
          assertThat(v11.getLong("total")).isEqualTo(23L);
          assertThat(v11.getLong("crashed")).isEqualTo(2L);
          assertThat(v11.getDouble("crash_free_sessions")).isEqualTo(0.913);
          assertThat(v11.getDouble("crash_free_users")).isEqualTo(0.5);
          ctx.completeNow();
        })));
  }

  // --- rows -------------------------------------------------------------------------------------

  static List<JsonObject> errorRows(long projectId, int count) {
    List<JsonObject> rows = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      rows.add(errorRow(projectId, i));
    }
    return rows;
  }

  /** A complete error row; the same (project, i) always gives the same row, as a replay would. */
  static JsonObject errorRow(long projectId, int i) {
    String eventId = UUID.nameUUIDFromBytes((projectId + ":" + i).getBytes(StandardCharsets.UTF_8)).toString();
    Instant ts = HOUR.plusSeconds(i % 3600);
    return new JsonObject()
        .put("project_id", projectId)
        .put("timestamp", ClickHouseWriter.dateTime(ts))
        .put("event_id", eventId)
        .put("group_id", 1 + i % 50)
        .put("primary_hash", String.format("%032x", i % 50))
        .put("platform", "java")
        .put("environment", "production")
        .put("release", "app@1.0." + (i % 3))
        .putNull("dist")
        .put("level", "error")
        .put("title", "IllegalStateException: boom " + (i % 50))
        .put("message", "boom " + i)
        .put("culprit", "com.example.App in main")
        .put("type", "error")
        .put("transaction_name", "/api/items")
        .put("trace_id", UUID.nameUUIDFromBytes(("trace:" + eventId).getBytes(StandardCharsets.UTF_8)).toString())
        .put("user", "user-" + (i % 100))
        .put("user_id", "user-" + (i % 100))
        .putNull("user_name")
        .putNull("user_email")
        .put("ip_address_v4", "10.0.0." + (i % 250))
        .putNull("ip_address_v6")
        .put("sdk_name", "sentry.java")
        .put("sdk_version", "8.63.0")
        .put("http_method", "GET")
        .putNull("http_referer")
        .put("http_url", "https://example.com/api/items")
        .put("tags.key", new JsonArray().add("environment").add("level"))
        .put("tags.value", new JsonArray().add("production").add("error"))
        .put("received", ClickHouseWriter.dateTime(ts.plusSeconds(1)))
        .put("retention_days", 90)
        .put("deleted", 0);
  }

  private static JsonObject outcome(Instant ts, int outcome, Long keyId, String reason, long quantity) {
    return new JsonObject()
        .put("org_id", 77)
        .put("project_id", 3)
        .put("key_id", keyId)
        .put("timestamp", ClickHouseWriter.dateTime(ts))
        .put("outcome", outcome)
        .put("reason", reason)
        .putNull("event_id")
        .put("category", 1)
        .put("quantity", quantity);
  }

  private static JsonObject hourly(Instant hour, int outcome, long keyId, String reason, long timesSeen,
      long quantity) {
    return new JsonObject()
        .put("ts", hour.getEpochSecond())
        .put("outcome", outcome)
        .put("key_id", keyId)
        .put("reason", reason)
        .put("times_seen", timesSeen)
        .put("quantity", quantity);
  }

  private static String sessionId(int i) {
    return UUID.nameUUIDFromBytes(("session:" + i).getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static JsonObject session(String sessionId, String distinctId, long seq, String release, String status,
      int errors, long duration, int quantity) {
    return new JsonObject()
        .put("session_id", sessionId)
        .put("distinct_id", distinctId)
        .put("seq", seq)
        .put("org_id", 88)
        .put("project_id", 2001)
        .put("release", release)
        .put("environment", "production")
        .put("status", status)
        .put("errors", errors)
        .put("duration", duration)
        .put("quantity", quantity)
        .put("started", ClickHouseWriter.dateTime(HOUR.plusSeconds(60)))
        .put("received", ClickHouseWriter.dateTime(HOUR.plusSeconds(120)))
        .put("retention_days", 90);
  }
}

package io.lookout.storage.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.clickhouse.ClickHouseConfig.InsertFormat;

import io.lookout.storage.config.StorageConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.math.BigInteger;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One database for the class (migrated once); each test writes its own project or org ids. */
@ExtendWith(VertxExtension.class)
class ClickHouseWriterIT {

  private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);

  private static ClickHouseConfig config;
  private static ClickHouseWriter writer;
  private static ClickHouseWriter rowBinary;
  private static ClickHouseWriter jsonEachRow;

  @BeforeAll
  static void migrateOwnDatabase(Vertx vertx, VertxTestContext ctx) {
    String database = "it_ch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    config = StorageConfig.load().clickhouse().withDatabase(database);
    ClickHouseMigrator.create(vertx, config).migrate()
        .onComplete(ctx.succeeding(applied -> {
          writer = ClickHouseWriter.create(vertx, config);
          rowBinary = ClickHouseWriter.create(vertx, config.withInsertFormat(InsertFormat.ROW_BINARY));
          jsonEachRow = ClickHouseWriter.create(vertx, config.withInsertFormat(InsertFormat.JSON_EACH_ROW));
          ctx.completeNow();
        }));
  }

  @AfterAll
  static void dropDatabase(Vertx vertx, VertxTestContext ctx) {
    ClickHouseWriter system = ClickHouseWriter.create(vertx, config.withDatabase("system"));
    Future<Void> closed = writer == null ? Future.succeededFuture()
        : Future.all(writer.close(), rowBinary.close(), jsonEachRow.close()).mapEmpty();
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

  @ParameterizedTest
  @EnumSource(InsertFormat.class)
  void badRowFailsWithClickHouseMessageAndInsertsNothing(InsertFormat format, VertxTestContext ctx) {
    ClickHouseWriter w = format == InsertFormat.ROW_BINARY ? rowBinary : jsonEachRow;
    long project = 1005 + format.ordinal() * 100;
    List<JsonObject> unknownField = List.of(errorRow(project, 0), errorRow(project, 1).put("bogus", 1),
        errorRow(project, 2));
    List<JsonObject> wrongType = List.of(errorRow(project, 3), errorRow(project, 4).put("group_id", "not a number"));

    w.insert("errors", unknownField)
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          // AnalyticsStep retries (never drops) a batch failing with "Unknown field"
          assertThat(e).isInstanceOf(ClickHouseStatementException.class)
              .hasMessageContaining("INSERT INTO " + config.database() + ".errors (3 rows)")
              .hasMessageContaining("Unknown field found while")
              .hasMessageContaining(": bogus");
          assertThat(((ClickHouseStatementException) e).serverCode()).isEqualTo(117);
          assertThat(((ClickHouseStatementException) e).retryable()).isFalse();
          w.insert("errors", wrongType)
              .onComplete(ctx.failing(e2 -> ctx.verify(() -> {
                assertThat(e2).isInstanceOf(ClickHouseStatementException.class)
                    .hasMessageContaining("Cannot parse input")
                    .hasMessageContaining("group_id");
                assertThat(((ClickHouseStatementException) e2).retryable()).isFalse();
                assertThat(((ClickHouseStatementException) e2).serverCode()).isIn(27, 72);
                w.query("SELECT count() AS c FROM errors WHERE project_id = " + project)
                    .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
                      assertThat(result.get(0).getLong("c")).isZero();
                      ctx.completeNow();
                    })));
              })));
        })));
  }

  /** Every column type of Lookout's tables (and a few more), written both ways, reads back alike. */
  @Test
  void everyTypeReadsBackTheSameFromRowBinaryAndJsonEachRow() {
    writer.execute("CREATE TABLE types_rt (id UInt32, u8 UInt8, u16 UInt16, u32 UInt32, u64 UInt64,"
        + " i8 Int8, i16 Int16, i32 Int32, i64 Int64, f32 Float32, f64 Float64, s String, fs FixedString(8),"
        + " dt DateTime, dtz DateTime('Asia/Tokyo'), dutc DateTime('Etc/UTC'), d Date, uuid UUID,"
        + " ns Nullable(String), nuuid Nullable(UUID), nu64 Nullable(UInt64), as Array(String),"
        + " ans Array(Nullable(String)), au8n Array(Nullable(UInt8)), af Array(Float64), aa Array(Array(UInt16)),"
        + " e8 Enum8('ok' = 0, 'crashed' = 2, 'it\\'s' = -3), e16 Enum16('a' = 1000, 'b' = -1000),"
        + " tags Nested(key String, value String), dflt UInt8 DEFAULT 7,"
        + " m UInt32 MATERIALIZED id * 2, al UInt32 ALIAS id + 1) ENGINE = MergeTree ORDER BY id").await();
    for (InsertFormat format : InsertFormat.values()) {
      int base = format == InsertFormat.ROW_BINARY ? 100 : 0;
      ClickHouseWriter w = format == InsertFormat.ROW_BINARY ? rowBinary : jsonEachRow;
      w.insert("types_rt", List.of(fullRow(base + 1), new JsonObject().put("id", base + 2), nullsRow(base + 3)))
          .await();
    }
    List<JsonObject> rows = writer.query("SELECT id, u8, u16, u32, u64, i8, i16, i32, i64, f32, f64, s, fs,"
        + " hex(fs) AS fs_hex, toUnixTimestamp(dt) AS dt, toUnixTimestamp(dtz) AS dtz, toUnixTimestamp(dutc) AS dutc,"
        + " toString(d) AS d, toString(uuid) AS uuid, ns, toString(nuuid) AS nuuid, nu64, as, ans, au8n, af, aa,"
        + " e8, e16, tags.key, tags.value, dflt, m, al FROM types_rt ORDER BY id").await();
    assertThat(rows).hasSize(6);
    for (int i = 0; i < 3; i++) {
      JsonObject json = rows.get(i).copy();
      JsonObject binary = rows.get(i + 3).copy();
      assertThat(binary.getLong("m")).isEqualTo(binary.getLong("id") * 2);
      for (String generated : List.of("id", "m", "al")) {
        json.remove(generated);
        binary.remove(generated);
      }
      assertThat(binary).as("row " + (i + 1) + " RowBinary vs JSONEachRow").isEqualTo(json);
    }
    JsonObject full = rows.get(3);
    assertThat(full.getString("uuid")).isEqualTo("01234567-89ab-cdef-0123-456789abcdef");
    assertThat(full.getString("nuuid")).isEqualTo("fedcba98-7654-3210-fedc-ba9876543210");
    assertThat(full.getString("s")).isEqualTo(UNICODE);
    assertThat(full.getString("fs_hex")).isEqualTo("6162630000000000");
    assertThat(full.getValue("u64")).isEqualTo(new BigInteger("18446744073709551615"));
    assertThat(full.getLong("i64")).isEqualTo(Long.MIN_VALUE);
    assertThat(full.getLong("dt")).isEqualTo(1714557600L);
    assertThat(full.getLong("dtz")).isEqualTo(1714557600L); // 19:00 in Tokyo
    assertThat(full.getString("d")).isEqualTo("2024-05-01");
    assertThat(full.getJsonArray("ans")).isEqualTo(new JsonArray().add("a").addNull());
    assertThat(full.getJsonArray("aa")).isEqualTo(new JsonArray().add(new JsonArray().add(1).add(2)).add(new JsonArray()));
    assertThat(full.getString("e8")).isEqualTo("it's");
    assertThat(full.getString("e16")).isEqualTo("b");
    JsonObject empty = rows.get(4);
    assertThat(empty.getString("uuid")).isEqualTo("00000000-0000-0000-0000-000000000000");
    assertThat(empty.getString("fs_hex")).isEqualTo("0000000000000000");
    assertThat(empty.getString("s")).isEmpty();
    assertThat(empty.getValue("ns")).isNull();
    assertThat(empty.getJsonArray("as")).isEmpty();
    assertThat(empty.getString("e8")).isEqualTo("it's"); // the smallest value, as ClickHouse defaults an enum
    assertThat(empty.getLong("dflt")).isZero(); // 18.16 ignores DEFAULT for JSONEachRow: RowBinary does the same
    JsonObject nulls = rows.get(5);
    assertThat(nulls.getValue("ns")).isNull();
    assertThat(nulls.getValue("nu64")).isNull();
    assertThat(nulls.getLong("u8")).isZero();
    assertThat(nulls.getJsonArray("ans")).isEqualTo(new JsonArray().addNull());
  }

  @Test
  void rowBinaryTakesEnumNumbersAndSentryHexIdsWhichJsonEachRowRefuses() {
    writer.execute("CREATE TABLE lenient_rt (id UInt32, e Enum8('ok' = 0, 'crashed' = 2), u UUID)"
        + " ENGINE = MergeTree ORDER BY id").await();
    rowBinary.insert("lenient_rt", List.of(new JsonObject().put("id", 1).put("e", 2)
        .put("u", "0123456789ABCDEF0123456789abcdef"))).await();
    JsonObject row = writer.query("SELECT e, toString(u) AS u FROM lenient_rt").await().get(0);
    assertThat(row.getString("e")).isEqualTo("crashed");
    assertThat(row.getString("u")).isEqualTo("01234567-89ab-cdef-0123-456789abcdef");
  }

  /** A value that does not fit fails before anything is sent, as an error AnalyticsStep drops the row for. */
  @Test
  void rowBinaryValueThatDoesNotFitFailsTheWholeInsertAsARowError() {
    writer.execute("CREATE TABLE bad_rt (id UInt32, u8 UInt8, s String, fs FixedString(2), u UUID,"
        + " e Enum8('ok' = 0), a Array(UInt8)) ENGINE = MergeTree ORDER BY id").await();
    List<JsonObject> bad = List.of(new JsonObject().put("u8", 256), new JsonObject().put("u8", -1),
        new JsonObject().put("s", 5), new JsonObject().putNull("s"), new JsonObject().put("fs", "abc"),
        new JsonObject().put("u", "not-a-uuid"), new JsonObject().put("e", "nope"),
        new JsonObject().put("a", "[1]"), new JsonObject().put("a", new JsonArray().add("x")));
    for (JsonObject value : bad) {
      List<JsonObject> rows = List.of(new JsonObject().put("id", 1), value.copy().put("id", 2));
      String field = value.fieldNames().iterator().next();
      assertThatThrownBy(() -> rowBinary.insert("bad_rt", rows).await())
          .as(value.encode())
          .isInstanceOfSatisfying(ClickHouseStatementException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.serverCode()).isIn(6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 131);
            assertThat(e.getMessage()).contains("INSERT INTO " + config.database() + ".bad_rt (2 rows) failed: Code: ")
                .contains("column " + field + ", row 2 of 2");
          });
    }
    assertThat(writer.query("SELECT count() AS c FROM bad_rt").await().get(0).getLong("c")).isZero();
  }

  /**
   * RowBinary streams a batch chunk by chunk (1,000 rows each): a bad value found after earlier
   * chunks went out must still leave the whole batch unstored, with the row's own error.
   */
  @Test
  void rowBinaryBadValueAfterStreamedChunksStoresNothingOfTheBatch() {
    long project = 1707;
    List<JsonObject> wrongType = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      wrongType.add(errorRow(project, i));
    }
    wrongType.get(2_500).put("group_id", "not a number");
    assertThatThrownBy(() -> rowBinary.insert("errors", wrongType).await())
        .isInstanceOfSatisfying(ClickHouseStatementException.class, e -> {
          assertThat(e.retryable()).isFalse();
          assertThat(e.getMessage()).contains("column group_id, row 2501 of 3000");
        });
    List<JsonObject> unknownField = new java.util.ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      unknownField.add(errorRow(project, i));
    }
    unknownField.get(2_999).put("bogus", 1);
    assertThatThrownBy(() -> rowBinary.insert("errors", unknownField).await())
        .isInstanceOfSatisfying(ClickHouseStatementException.class, e -> {
          assertThat(e.serverCode()).isEqualTo(117);
          assertThat(e.getMessage()).contains("Unknown field").contains("bogus");
        });
    assertThat(writer.query("SELECT count() AS c FROM errors WHERE project_id = " + project).await()
        .get(0).getLong("c")).isZero();
    // and the same writer goes on: a good streamed batch lands whole
    unknownField.get(2_999).remove("bogus");
    assertThat(rowBinary.insert("errors", unknownField).await()).isEqualTo(3_000);
    assertThat(writer.query("SELECT count() AS c FROM errors WHERE project_id = " + project).await()
        .get(0).getLong("c")).isEqualTo(3_000);
  }

  @Test
  void rowBinaryLearnsAColumnAddedAfterItDescribedTheTable() {
    writer.execute("CREATE TABLE grows_rt (id UInt32) ENGINE = MergeTree ORDER BY id").await();
    rowBinary.insert("grows_rt", List.of(new JsonObject().put("id", 1))).await();
    writer.execute("ALTER TABLE grows_rt ADD COLUMN extra String").await();

    rowBinary.insert("grows_rt", List.of(new JsonObject().put("id", 2).put("extra", "new"))).await();

    assertThat(writer.query("SELECT extra FROM grows_rt WHERE id = 2").await().get(0).getString("extra"))
        .isEqualTo("new");
  }

  @Test
  void tableWithATypeRowBinaryCannotEncodeIsWrittenAsJsonEachRow() {
    writer.execute("CREATE TABLE decimal_rt (id UInt32, price Decimal(9, 2)) ENGINE = MergeTree ORDER BY id").await();

    rowBinary.insert("decimal_rt", List.of(new JsonObject().put("id", 1).put("price", 12.5))).await();

    assertThat(writer.query("SELECT toString(price) AS p FROM decimal_rt").await().get(0).getString("p"))
        .isEqualTo("12.50");
  }

  private static final String UNICODE = "héllo wörld ✓ 𝄞 \n\t\" \\ \u0000 end";

  private static JsonObject fullRow(int id) {
    return new JsonObject().put("id", id).put("u8", 255).put("u16", 65535).put("u32", 4294967295L)
        .put("u64", new BigInteger("18446744073709551615")).put("i8", -128).put("i16", -32768)
        .put("i32", Integer.MIN_VALUE).put("i64", Long.MIN_VALUE).put("f32", 1.5).put("f64", -2.25e100)
        .put("s", UNICODE).put("fs", "abc").put("dt", 1714557600L).put("dtz", "2024-05-01 19:00:00")
        .put("dutc", "2024-05-01 10:00:00").put("d", "2024-05-01").put("uuid", "01234567-89ab-cdef-0123-456789abcdef")
        .put("ns", "x").put("nuuid", "fedcba98-7654-3210-fedc-ba9876543210").put("nu64", 5)
        .put("as", new JsonArray().add("a").add("ü")).put("ans", new JsonArray().add("a").addNull())
        .put("au8n", new JsonArray().add(1).addNull()).put("af", new JsonArray().add(0.5).add(-1.25))
        .put("aa", new JsonArray().add(new JsonArray().add(1).add(2)).add(new JsonArray()))
        .put("e8", "it's").put("e16", "b")
        .put("tags.key", new JsonArray().add("k1").add("k2")).put("tags.value", new JsonArray().add("v1").add("v2"))
        .put("dflt", 3);
  }

  private static JsonObject nullsRow(int id) {
    return new JsonObject().put("id", id).putNull("ns").putNull("nuuid").putNull("nu64").putNull("u8")
        .put("ans", new JsonArray().addNull()).put("au8n", new JsonArray().addNull()).put("e8", "ok")
        .put("as", new JsonArray());
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

package io.lookout.processors.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowMapperTest {

  private static final Instant NOW = Instant.parse("2024-05-02T14:03:27.123456Z");
  private static final String EVENT_ID = "0123456789abcdef0123456789abcdef";
  private static final String TRACE_ID = "fedcba9876543210fedcba9876543210";
  private static final String HASH = "c4ca4238a0b923820dcc509a6f75849b";

  private final ErrorRowMapper errors = new ErrorRowMapper(90, true);
  private final TransactionRowMapper transactions = new TransactionRowMapper(90, true);

  static JsonObject errorData() {
    return new JsonObject()
        .put("event_id", EVENT_ID).put("type", "error").put("platform", "java").put("level", "fatal")
        .put("environment", "production").put("release", "shop@1.2.3")
        .put("title", "IllegalStateException: order 7 is locked").put("culprit", "com.example.Checkout in pay")
        .put("received", NOW.getEpochSecond() + 0.5)
        .put("tags", new JsonArray()
            .add(new JsonArray().add("server_name").add("web-1"))
            .add(new JsonArray().add("level").add("fatal"))
            .add(new JsonArray().add("sentry:release").add("shop@1.2.3"))
            .add(new JsonArray().add("sentry:user").add("id:42"))
            .add(new JsonArray().add("transaction").add("POST /pay"))
            .add(new JsonArray().add("empty").add("")))
        .put("user", new JsonObject().put("id", 42).put("email", "jane@example.com").put("ip_address", "2001:DB8::1")
            .put("geo", new JsonObject().put("country_code", "DE")))
        .put("sdk", new JsonObject().put("name", "sentry.java").put("version", "8.63.0"))
        .put("request", new JsonObject().put("method", "POST").put("url", "https://shop.example.com/pay")
            .put("headers", new JsonArray().add(new JsonArray().add("referer").add("https://shop.example.com/"))))
        .put("contexts", new JsonObject()
            .put("trace", new JsonObject().put("trace_id", TRACE_ID).put("span_id", "0123456789abcdef").put("type", "trace"))
            .put("runtime", new JsonObject().put("name", "Java").put("version", "17").put("type", "runtime")
                .put("nested", new JsonObject().put("x", 1))))
        .put("exception", new JsonObject().put("values", new JsonArray()
            .add(new JsonObject().put("type", "IOException").put("value", "closed")
                .put("stacktrace", new JsonObject().put("frames", new JsonArray()
                    .add(new JsonObject().put("module", "java.io.Stream").put("function", "read").put("lineno", 10)
                        .put("in_app", false)))))
            .add(new JsonObject().put("type", "IllegalStateException").put("value", "order 7 is locked")
                .put("mechanism", new JsonObject().put("type", "UncaughtExceptionHandler").put("handled", false))
                .put("stacktrace", new JsonObject().put("frames", new JsonArray()
                    .add(new JsonObject().put("module", "com.example.Main").put("function", "main").put("lineno", -1))
                    .add(new JsonObject().put("module", "com.example.Checkout").put("function", "pay")
                        .put("lineno", 131).put("in_app", true).put("filename", "Checkout.java")))))));
  }

  static EventStreamInsert insert(JsonObject data, Long groupId, String primaryHash, Instant timestamp) {
    // through the codec, as the consumer sees it
    EventStreamInsert built = new EventStreamInsert(new EventStreamInsert.Event(data.getString("event_id", EVENT_ID), 5, 1L, groupId,
        groupId == null ? List.of() : List.of(groupId), "order 7 is locked", "java", timestamp, data, primaryHash,
        null, null, null), new EventStreamInsert.State(true, false, true, null, false, null));
    return (EventStreamInsert) EventStreamCodec.decode(EventStreamCodec.encode(built));
  }

  @Test
  void anErrorBecomesARowOfEveryColumnSnubaFills() {
    JsonObject row = errors.map(insert(errorData(), 77L, HASH, NOW), NOW).row();

    assertThat(row.getLong("project_id")).isEqualTo(5L);
    assertThat(row.getLong("timestamp")).isEqualTo(NOW.getEpochSecond());
    assertThat(row.getString("event_id")).isEqualTo("01234567-89ab-cdef-0123-456789abcdef");
    assertThat(row.getLong("group_id")).isEqualTo(77L);
    assertThat(row.getString("primary_hash")).isEqualTo(HASH);
    assertThat(row.getString("level")).isEqualTo("fatal");
    assertThat(row.getString("release")).isEqualTo("shop@1.2.3");
    assertThat(row.getValue("dist")).isNull();
    assertThat(row.getString("message")).isEqualTo("order 7 is locked");
    assertThat(row.getString("transaction_name")).isEqualTo("POST /pay");
    assertThat(row.getString("trace_id")).isEqualTo("fedcba98-7654-3210-fedc-ba9876543210");
    assertThat(row.getString("user")).isEqualTo("id:42");
    assertThat(row.getString("user_id")).isEqualTo("42");
    assertThat(row.getString("user_email")).isEqualTo("jane@example.com");
    assertThat(row.getValue("ip_address_v4")).isNull();
    assertThat(row.getString("ip_address_v6")).isEqualTo("2001:db8::1");
    assertThat(row.getString("sdk_name")).isEqualTo("sentry.java");
    assertThat(row.getString("http_method")).isEqualTo("POST");
    assertThat(row.getString("http_referer")).isEqualTo("https://shop.example.com/");
    assertThat(row.getString("http_url")).isEqualTo("https://shop.example.com/pay");
    assertThat(row.getJsonArray("tags.key").getList())
        .containsExactly("level", "sentry:release", "sentry:user", "server_name", "transaction");
    assertThat(row.getJsonArray("tags.value").getList()).containsExactly("fatal", "shop@1.2.3", "id:42", "web-1",
        "POST /pay");
    assertThat(row.getJsonArray("contexts.key").getList()).containsExactly("trace.trace_id", "trace.span_id",
        "runtime.name", "runtime.version", "geo.country_code");
    assertThat(row.getJsonArray("exception_stacks.type").getList()).containsExactly("IOException",
        "IllegalStateException");
    assertThat(row.getJsonArray("exception_stacks.mechanism_type").getList()).containsExactly(null,
        "UncaughtExceptionHandler");
    assertThat(row.getJsonArray("exception_stacks.mechanism_handled").getList()).containsExactly(null, 0);
    assertThat(row.getJsonArray("exception_frames.function").getList()).containsExactly("read", "main", "pay");
    assertThat(row.getJsonArray("exception_frames.lineno").getList()).containsExactly(10L, null, 131L);
    assertThat(row.getJsonArray("exception_frames.in_app").getList()).containsExactly(0, null, 1);
    assertThat(row.getJsonArray("exception_frames.stack_level").getList()).containsExactly(0, 1, 1);
    assertThat(row.getLong("received")).isEqualTo(NOW.getEpochSecond());
    assertThat(row.getInteger("retention_days")).isEqualTo(90);
    assertThat(row.getInteger("deleted")).isZero();
  }

  @Test
  void everyNestedColumnHasArraysOfEqualLength() {
    JsonObject row = errors.map(insert(errorData(), 77L, HASH, NOW), NOW).row();
    for (String nested : List.of("tags", "contexts", "exception_stacks", "exception_frames")) {
      List<Integer> sizes = row.fieldNames().stream().filter(f -> f.startsWith(nested + "."))
          .map(f -> row.getJsonArray(f).size()).distinct().toList();
      assertThat(sizes).as(nested).hasSize(1);
    }
  }

  @Test
  void anErrorWithoutGroupGetsZeroAndAnOddHashIsHashed() {
    JsonObject row = errors.map(insert(new JsonObject().put("type", "default"), null, "not-a-hash", NOW), NOW).row();

    assertThat(row.getLong("group_id")).isZero();
    assertThat(row.getString("primary_hash")).hasSize(32).matches("[0-9a-f]{32}");
    assertThat(row.getString("sdk_name")).isEmpty();
    assertThat(row.getString("level")).isEqualTo("error");
    assertThat(row.getLong("received")).isEqualTo(NOW.getEpochSecond());
  }

  @Test
  void skipsWhatIsNotItsTableOrTooOld() {
    JsonObject tx = new JsonObject().put("type", "transaction");
    assertThat(errors.map(insert(tx, null, null, NOW), NOW).skip()).isEqualTo(RowMapper.Skip.OTHER_TYPE);
    assertThat(transactions.map(insert(errorData(), 77L, HASH, NOW), NOW).skip())
        .isEqualTo(RowMapper.Skip.OTHER_TYPE);
    Instant old = NOW.minus(91, ChronoUnit.DAYS);
    assertThat(errors.map(insert(errorData(), 77L, HASH, old), NOW).skip()).isEqualTo(RowMapper.Skip.TOO_OLD);
    assertThat(new ErrorRowMapper(90, false).map(insert(errorData(), 77L, HASH, old), NOW).row()).isNotNull();
    assertThatThrownBy(() -> errors.map(insert(errorData(), 77L, null, NOW), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("primary_hash");
  }

  static JsonObject transactionData(double start, double finish, String status) {
    return new JsonObject().put("type", "transaction").put("transaction", "GET /orders")
        .put("start_timestamp", start).put("timestamp", finish).put("environment", "staging")
        .put("tags", new JsonArray().add(new JsonArray().add("sentry:release").add("shop@2")))
        .put("measurements", new JsonObject().put("lcp", new JsonObject().put("value", 1200.5))
            .put("fcp", new JsonObject().put("value", 800)).put("bad", new JsonObject().put("value", "x")))
        .put("contexts", new JsonObject().put("trace", new JsonObject().put("trace_id", TRACE_ID)
            .put("span_id", "0123456789ABCDEF").put("op", "http.server").put("status", status)
            .put("data", new JsonObject().put("thread.id", 1))));
  }

  @Test
  void theDataKeysAMapperNamesAreAllItNeeds() {
    double start = NOW.getEpochSecond();
    JsonObject extra = new JsonObject()
        .put("breadcrumbs", new JsonObject().put("values", new JsonArray().add(new JsonObject().put("message", "hi"))))
        .put("extra", new JsonObject().put("k", "v")).put("modules", new JsonObject().put("m", "1"));
    for (RowMapper mapper : List.of(errors, transactions)) {
      JsonObject data = (mapper == errors ? errorData() : transactionData(start, start + 1, "ok")).mergeIn(extra);
      byte[] message = EventStreamCodec.encode(insert(data, 77L, HASH, NOW));
      JsonObject whole = mapper.map((EventStreamInsert) EventStreamCodec.decode(message), NOW).row();
      EventStreamInsert some = (EventStreamInsert) EventStreamCodec.decode(message, mapper.dataKeys()::contains);

      assertThat(some.event().data().fieldNames()).doesNotContain("breadcrumbs", "extra", "modules");
      assertThat(mapper.map(some, NOW).row()).isEqualTo(whole);
    }
  }

  @Test
  void aTransactionBecomesARowWithTimesDurationAndStatus() {
    double start = NOW.getEpochSecond() + 0.125;
    JsonObject data = transactionData(start, start + 0.25, "deadline_exceeded");
    JsonObject row = transactions.map(insert(data, null, null, NOW), NOW).row();

    assertThat(row.getString("trace_id")).isEqualTo("fedcba98-7654-3210-fedc-ba9876543210");
    assertThat(row.getString("span_id")).isEqualTo("0123456789abcdef");
    assertThat(row.getString("transaction_name")).isEqualTo("GET /orders");
    assertThat(row.getString("transaction_op")).isEqualTo("http.server");
    assertThat(row.getString("transaction_status")).isEqualTo("deadline_exceeded");
    assertThat(row.getLong("start_ts")).isEqualTo(NOW.getEpochSecond());
    assertThat(row.getInteger("start_ms")).isEqualTo(125);
    assertThat(row.getInteger("finish_ms")).isEqualTo(375);
    assertThat(row.getLong("duration")).isEqualTo(250L);
    assertThat(row.getString("release")).isEqualTo("shop@2");
    assertThat(row.getString("environment")).isEqualTo("staging");
    assertThat(row.getJsonArray("measurements.key").getList()).containsExactly("fcp", "lcp");
    assertThat(row.getJsonArray("measurements.value").getList()).containsExactly(800.0, 1200.5);
    assertThat(row.getJsonArray("contexts.key").getList()).containsExactly("trace.op", "trace.status");
  }

  @Test
  void aTransactionStatusOutsideTheEnumIsUnknownAndBadIdsAreInvalid() {
    double start = NOW.getEpochSecond();
    assertThat(transactions.map(insert(transactionData(start, start + 1, "teapot"), null, null, NOW), NOW).row()
        .getString("transaction_status")).isEqualTo("unknown");
    JsonObject badTrace = transactionData(start, start + 1, "ok");
    badTrace.getJsonObject("contexts").getJsonObject("trace").put("trace_id", "xyz");
    assertThatThrownBy(() -> transactions.map(insert(badTrace, null, null, NOW), NOW))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trace_id");
    JsonObject negative = transactionData(start, start - 1, "ok");
    assertThat(transactions.map(insert(negative, null, null, NOW), NOW).row().getLong("duration")).isZero();
  }
}

package io.lookout.storage.kafka.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventStreamCodecTest {

  private static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";
  private static final String DATA_JSON = "{\"event_id\":\"" + EVENT_ID + "\",\"level\":\"error\","
      + "\"received\":1714658607.2,\"tags\":[[\"environment\",\"prod\"]]}";
  private static final JsonObject DATA = new JsonObject(DATA_JSON);

  /**
   * {@code json.dumps((2, "insert", {...}, {...}))} as Sentry's {@code SnubaProtocolEventStream}
   * writes it: compact separators, the event keys in the order its dict literal lists them.
   */
  private static final String SENTRY_INSERT = "[2,\"insert\",{\"group_id\":7,\"group_ids\":[7],"
      + "\"event_id\":\"" + EVENT_ID + "\",\"organization_id\":1,\"project_id\":42,"
      + "\"message\":\"IllegalStateException boom\",\"platform\":\"java\","
      + "\"datetime\":\"2024-05-02T14:03:27.123456Z\",\"data\":" + DATA_JSON + ","
      + "\"primary_hash\":\"d41d8cd98f00b204e9800998ecf8427e\",\"retention_days\":90,"
      + "\"occurrence_id\":null,\"occurrence_data\":{}},"
      + "{\"is_new\":true,\"is_regression\":false,\"is_new_group_environment\":true,"
      + "\"queue\":\"post_process_errors\",\"skip_consume\":false,\"group_states\":null}]";

  private static EventStreamInsert errorInsert() {
    return new EventStreamInsert(
        new EventStreamInsert.Event(EVENT_ID, 42, 1L, 7L, List.of(7L),
            "IllegalStateException boom", "java", Instant.parse("2024-05-02T14:03:27.123456Z"),
            DATA, "d41d8cd98f00b204e9800998ecf8427e", 90, null, null),
        new EventStreamInsert.State(true, false, true,
            EventStreamInsert.QUEUE_POST_PROCESS_ERRORS, false, null));
  }

  @Test
  void encodesAnInsertTheWaySentryWritesIt() {
    byte[] encoded = EventStreamCodec.encode(errorInsert());

    assertThat(new JsonArray(new String(encoded, UTF_8))).isEqualTo(new JsonArray(SENTRY_INSERT));
    assertThat(new String(encoded, UTF_8)).isEqualTo(SENTRY_INSERT);
  }

  @Test
  void encodingWithTheDataAlreadyInJsonGivesTheSameBytes() {
    byte[] raw = EventStreamCodec.encode(errorInsert(), DATA_JSON.getBytes(UTF_8));

    assertThat(new String(raw, UTF_8)).isEqualTo(SENTRY_INSERT);
  }

  @Test
  void insertValueHasTheFourElementShape() {
    JsonArray value = new JsonArray(new String(EventStreamCodec.encode(errorInsert()), UTF_8));

    assertThat(value.size()).isEqualTo(4);
    assertThat(value.getInteger(0)).isEqualTo(2);
    assertThat(value.getString(1)).isEqualTo("insert");
    assertThat(value.getJsonObject(2).fieldNames()).containsExactlyInAnyOrder("group_id",
        "group_ids", "event_id", "organization_id", "project_id", "message", "platform",
        "datetime", "data", "primary_hash", "retention_days", "occurrence_id", "occurrence_data");
    assertThat(value.getJsonObject(3).fieldNames()).containsExactlyInAnyOrder("is_new",
        "is_regression", "is_new_group_environment", "queue", "skip_consume", "group_states");
  }

  @Test
  void decodesSentrysInsert() {
    assertThat(EventStreamCodec.decode(SENTRY_INSERT.getBytes(UTF_8))).isEqualTo(errorInsert());
  }

  @Test
  void transactionInsertWithoutGroupRoundTrips() {
    EventStreamInsert insert = new EventStreamInsert(
        new EventStreamInsert.Event(EVENT_ID, 42, 1L, null, List.of(), "GET /users", "python",
            Instant.parse("2024-05-02T14:03:27.5Z"), new JsonObject().put("type", "transaction"),
            null, 30, null, new JsonObject()),
        new EventStreamInsert.State(false, false, false,
            EventStreamInsert.QUEUE_POST_PROCESS_TRANSACTIONS, false,
            List.of(new EventStreamInsert.GroupState(3, true, false, true))));

    assertThat(EventStreamCodec.decode(EventStreamCodec.encode(insert))).isEqualTo(insert);
  }

  @Test
  void headersAreSentrysAndLeaveOutMissingValues() {
    Map<String, String> headers = EventStreamCodec.headers(errorInsert(), 1_714_658_607.123456);

    assertThat(headers).containsExactly(
        Map.entry("Received-Timestamp", "1714658607.123456"),
        Map.entry("event_id", EVENT_ID),
        Map.entry("project_id", "42"),
        Map.entry("group_id", "7"),
        Map.entry("primary_hash", "d41d8cd98f00b204e9800998ecf8427e"),
        Map.entry("is_new", "1"),
        Map.entry("is_new_group_environment", "1"),
        Map.entry("is_regression", "0"),
        Map.entry("skip_consume", "0"),
        Map.entry("queue", "post_process_errors"),
        Map.entry("operation", "insert"),
        Map.entry("version", "2"));

    EventStreamInsert withGroupStates = new EventStreamInsert(errorInsert().event(),
        new EventStreamInsert.State(false, false, false, null, true,
            List.of(new EventStreamInsert.GroupState(7, false, true, false))));
    assertThat(EventStreamCodec.headers(withGroupStates, 1_714_658_607))
        .containsEntry("Received-Timestamp", "1714658607.0")
        .containsEntry("skip_consume", "1")
        .containsEntry("group_states",
            "[{\"id\":7,\"is_new\":false,\"is_regression\":true,\"is_new_group_environment\":false}]")
        .doesNotContainKey("queue");
  }

  @Test
  void keyIsTheProjectIdAsText() {
    assertThat(EventStreamCodec.key(42)).isEqualTo("42".getBytes(UTF_8));
  }

  @Test
  void otherOperationsDecodeAsOperations() {
    String delete = "[2,\"start_delete_groups\",{\"transaction_id\":\"abc\",\"project_id\":42,"
        + "\"group_ids\":[1,2],\"datetime\":\"2024-05-02T14:03:27.000000Z\"}]";

    EventStreamMessage decoded = EventStreamCodec.decode(delete.getBytes(UTF_8));

    assertThat(decoded).isInstanceOf(EventStreamOperation.class);
    assertThat(decoded.operation()).isEqualTo("start_delete_groups");
    assertThat(((EventStreamOperation) decoded).body().getJsonArray("group_ids"))
        .isEqualTo(new JsonArray().add(1).add(2));
    assertThat(new String(EventStreamCodec.encode(decoded), UTF_8)).isEqualTo(delete);
  }

  @Test
  void versionOneAndAMissingStateAndStringGroupIdsAreAccepted() {
    String insert = "[1,\"insert\",{\"event_id\":\"" + EVENT_ID + "\",\"project_id\":42,"
        + "\"datetime\":\"2024-05-02T14:03:27\",\"data\":{}}]";
    String stringIds = "[2,\"insert\",{\"event_id\":\"" + EVENT_ID + "\",\"project_id\":42,"
        + "\"datetime\":\"2024-05-02T14:03:27Z\",\"data\":{}},{\"group_states\":"
        + "[{\"id\":\"12\",\"is_new\":true}]}]";

    EventStreamInsert v1 = (EventStreamInsert) EventStreamCodec.decode(insert.getBytes(UTF_8));
    EventStreamInsert s = (EventStreamInsert) EventStreamCodec.decode(stringIds.getBytes(UTF_8));

    assertThat(v1.event().datetime()).isEqualTo(Instant.parse("2024-05-02T14:03:27Z"));
    assertThat(v1.state()).isEqualTo(new EventStreamInsert.State(false, false, false, null,
        false, null));
    assertThat(s.state().groupStates())
        .containsExactly(new EventStreamInsert.GroupState(12, true, false, false));
  }

  @Test
  void invalidMessagesAreRefused() {
    assertInvalid("", "empty");
    assertInvalid("[2,\"insert\"", "not valid JSON");
    assertInvalid("{\"version\":2}", "expected a JSON array");
    assertInvalid("[2]", "expected [version, operation, ...]");
    assertInvalid("[3,\"insert\",{}]", "unsupported version 3");
    assertInvalid("[\"2\",\"insert\",{}]", "unsupported version a string");
    assertInvalid("[2,7,{}]", "operation must be a string");
    assertInvalid("[2,\"insert\"]", "the event must be an object, got nil");
    assertInvalid("[2,\"insert\",[]]", "the event must be an object, got an array");
    assertInvalid("[2,\"insert\",{\"project_id\":1,\"datetime\":\"2024-05-02T14:03:27Z\","
        + "\"data\":{}}]", "missing required field 'event_id'");
    assertInvalid("[2,\"insert\",{\"event_id\":\"" + EVENT_ID + "\",\"project_id\":1,"
        + "\"datetime\":\"2024-05-02T14:03:27Z\",\"data\":\"{}\"}]",
        "field 'data' must be an object");
    assertInvalid("[2,\"insert\",{\"event_id\":\"" + EVENT_ID + "\",\"project_id\":1,"
        + "\"datetime\":\"now\",\"data\":{}}]", "field 'datetime' is not an RFC 3339");
    assertInvalid("[2,\"insert\",{\"event_id\":\"" + EVENT_ID + "\",\"project_id\":1,"
        + "\"datetime\":\"2024-05-02T14:03:27Z\",\"data\":{}},7]", "the state must be an object");
    assertInvalid("[2,\"end_merge\",\"x\"]", "body must be an object");
  }

  @Test
  void decodingSomeDataKeysKeepsThemAndSkipsTheRestUnbuilt() {
    String bulky = SENTRY_INSERT.replace("\"tags\":[[\"environment\",\"prod\"]]}",
        "\"tags\":[[\"environment\",\"prod\"]],\"breadcrumbs\":{\"values\":[{\"message\":\"a]}\\\"\",\"data\":"
            + "{\"n\":[1,2.5,null,true]}}]},\"extra\":\"x\",\"level\":\"fatal\"}");
    EventStreamInsert full = (EventStreamInsert) EventStreamCodec.decode(bulky.getBytes(UTF_8));
    EventStreamInsert some = (EventStreamInsert) EventStreamCodec.decode(bulky.getBytes(UTF_8),
        Set.of("level", "tags", "received")::contains);

    assertThat(full.event().data().fieldNames()).contains("breadcrumbs", "extra", "event_id");
    // a key given twice keeps its last value in both, as Python's json.loads does
    assertThat(some.event().data()).isEqualTo(new JsonObject().put("level", "fatal")
        .put("received", 1714658607.2).put("tags", DATA.getJsonArray("tags")));
    assertThat(some.event().data().getString("level")).isEqualTo(full.event().data().getString("level"));
    assertThat(some.state()).isEqualTo(full.state());
    assertThat(some.event().eventId()).isEqualTo(full.event().eventId());
    assertThat(some.event().primaryHash()).isEqualTo(full.event().primaryHash());
    assertThat(some.event().datetime()).isEqualTo(full.event().datetime());
  }

  @Test
  void aSkippedValueMustStillBeJson() {
    String broken = SENTRY_INSERT.replace("\"tags\":", "\"breadcrumbs\":[1,},\"tags\":");
    assertThatThrownBy(() -> EventStreamCodec.decode(broken.getBytes(UTF_8), "tags"::equals))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> EventStreamCodec.decode((SENTRY_INSERT + "]").getBytes(UTF_8), "tags"::equals))
        .isInstanceOf(InvalidMessageException.class).hasMessageContaining("not valid JSON");
  }

  /** Both decoders refuse it with the same message. */
  private static void assertInvalid(String json, String messagePart) {
    assertThatThrownBy(() -> EventStreamCodec.decode(json.getBytes(UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(messagePart);
    assertThatThrownBy(() -> EventStreamCodec.decode(json.getBytes(UTF_8), "level"::equals))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(messagePart);
  }
}

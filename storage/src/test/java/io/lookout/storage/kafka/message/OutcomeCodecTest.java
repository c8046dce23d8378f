package io.lookout.storage.kafka.message;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutcomeCodecTest {

  /**
   * What Relay's {@code serde_json::to_string(&TrackRawOutcome)} produces for a rate-limited error
   * of a request from 127.0.0.1 (outcome.rs: field order as declared, None fields skipped,
   * timestamp via {@code to_rfc3339_opts(SecondsFormat::Micros, true)}, event id simple hex).
   */
  private static final String RELAY_RATE_LIMITED = "{\"timestamp\":\"2024-05-02T14:03:27.123456Z\","
      + "\"org_id\":1,\"project_id\":42,\"key_id\":123,\"outcome\":2,\"reason\":\"project_quota\","
      + "\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"remote_addr\":\"127.0.0.1\","
      + "\"source\":\"pop-relay\",\"category\":1,\"quantity\":1}";

  /** An accepted attachment outcome: no reason, event, address or source, so none are written. */
  private static final String RELAY_ACCEPTED_ATTACHMENT = "{\"timestamp\":\"2024-05-02T14:03:27.000000Z\","
      + "\"org_id\":1,\"project_id\":42,\"key_id\":123,\"outcome\":0,\"category\":4,"
      + "\"quantity\":2500000}";

  @Test
  void encodesARelayOutcomeExactly() {
    Outcome outcome = Outcome.of(Instant.parse("2024-05-02T14:03:27.123456789Z"), 1L, 42, 123L,
            OutcomeType.RATE_LIMITED, DataCategory.ERROR, 1)
        .withReason("project_quota")
        .withEventId("9ec79c33-ec99-42ab-8353-589fcb2e04dc")
        .withRemoteAddr("127.0.0.1")
        .withSource("pop-relay");

    byte[] encoded = OutcomeCodec.encode(outcome);

    assertThat(new JsonObject(new String(encoded, UTF_8)))
        .isEqualTo(new JsonObject(RELAY_RATE_LIMITED));
    assertThat(new String(encoded, UTF_8)).isEqualTo(RELAY_RATE_LIMITED);
    assertThat(outcome.timestamp()).isEqualTo(Instant.parse("2024-05-02T14:03:27.123456Z"));
    assertThat(OutcomeCodec.decode(RELAY_RATE_LIMITED.getBytes(UTF_8))).isEqualTo(outcome);
  }

  @Test
  void leavesOutFieldsThatHaveNoValueAsRelayDoes() {
    Outcome outcome = Outcome.of(Instant.parse("2024-05-02T14:03:27Z"), 1L, 42, 123L,
        OutcomeType.ACCEPTED, DataCategory.ATTACHMENT, 2_500_000);

    assertThat(new String(OutcomeCodec.encode(outcome), UTF_8))
        .isEqualTo(RELAY_ACCEPTED_ATTACHMENT);
    assertThat(OutcomeCodec.decode(RELAY_ACCEPTED_ATTACHMENT.getBytes(UTF_8))).isEqualTo(outcome);
  }

  @Test
  void decodesExplicitNullsAndNanosecondTimestampsFromOtherProducers() {
    // shapes from Snuba's outcomes processor fixtures
    Outcome withNulls = OutcomeCodec.decode(("{\"timestamp\":\"2023-03-24T19:28:20.605851Z\","
        + "\"org_id\":1,\"project_id\":1,\"key_id\":null,\"outcome\":0,\"reason\":null,"
        + "\"event_id\":\"1410e6d2ea534dcb9d6d15a51c9962f8\",\"category\":1,\"quantity\":1}")
        .getBytes(UTF_8));
    Outcome abuse = OutcomeCodec.decode(("{\"org_id\":1,\"outcome\":4,\"project_id\":1,"
        + "\"quantity\":3,\"timestamp\":\"2023-03-28T18:50:49.442341621Z\"}").getBytes(UTF_8));

    assertThat(withNulls.keyId()).isNull();
    assertThat(withNulls.reason()).isNull();
    assertThat(withNulls.outcomeType()).contains(OutcomeType.ACCEPTED);
    assertThat(withNulls.dataCategory()).contains(DataCategory.ERROR);
    assertThat(abuse.timestamp()).isEqualTo(Instant.parse("2023-03-28T18:50:49.442341Z"));
    assertThat(abuse.category()).isNull();
    assertThat(abuse.dataCategory()).isEmpty();
    assertThat(abuse.outcomeType()).contains(OutcomeType.ABUSE);
  }

  @Test
  void unknownCodesPassThrough() {
    Outcome outcome = new Outcome(Instant.EPOCH, null, 1, null, 9, "new", null, null, null, 99,
        null);

    Outcome decoded = OutcomeCodec.decode(OutcomeCodec.encode(outcome));

    assertThat(decoded).isEqualTo(outcome);
    assertThat(decoded.outcomeType()).isEmpty();
    assertThat(decoded.dataCategory()).isEmpty();
  }

  @Test
  void keyIsTheEventIdOrRandom() {
    Outcome base = Outcome.of(Instant.EPOCH, 1L, 1, null, OutcomeType.FILTERED,
        DataCategory.ERROR, 1);

    assertThat(OutcomeCodec.key(base.withEventId("9ec79c33ec9942ab8353589fcb2e04dc")))
        .isEqualTo(EventIds.toBytes("9ec79c33ec9942ab8353589fcb2e04dc"));
    assertThat(OutcomeCodec.key(base)).hasSize(16).isNotEqualTo(OutcomeCodec.key(base));
  }

  @Test
  void invalidOutcomesAreRefused() {
    assertInvalid("", "empty");
    assertInvalid("{not json", "not valid JSON");
    assertInvalid("[1,2]", "expected a JSON object");
    assertInvalid("{\"project_id\":1,\"outcome\":0}", "missing required field 'timestamp'");
    assertInvalid("{\"timestamp\":\"2024-05-02T14:03:27Z\",\"outcome\":0}",
        "missing required field 'project_id'");
    assertInvalid("{\"timestamp\":\"yesterday\",\"project_id\":1,\"outcome\":0}",
        "is not an RFC 3339 timestamp");
    assertInvalid("{\"timestamp\":\"2024-05-02T14:03:27Z\",\"project_id\":\"1\",\"outcome\":0}",
        "field 'project_id' must be an integer");
    assertInvalid("{\"timestamp\":\"2024-05-02T14:03:27Z\",\"project_id\":1,\"outcome\":0,"
        + "\"quantity\":-1}", "quantity must be within");
  }

  @Test
  void outcomeTypesHaveRelaysCodesAndNames() {
    assertThat(Arrays.stream(OutcomeType.values()).map(t -> t.code() + ":" + t.apiName()))
        .containsExactly("0:accepted", "1:filtered", "2:rate_limited", "3:invalid", "4:abuse",
            "5:client_discard", "6:cardinality_limited");
    assertThat(OutcomeType.fromCode(7)).isEmpty();
  }

  @Test
  void dataCategoriesHaveRelaysCodesAndNames() {
    assertThat(DataCategory.ERROR.code()).isEqualTo(1);
    assertThat(DataCategory.ATTACHMENT.code()).isEqualTo(4);
    assertThat(DataCategory.MONITOR.code()).isEqualTo(10);
    assertThat(DataCategory.SPAN.code()).isEqualTo(12);
    assertThat(DataCategory.FEEDBACK.code()).isEqualTo(14);
    assertThat(DataCategory.FEEDBACK.apiName()).isEqualTo("feedback");
    assertThat(DataCategory.LOG_ITEM.code()).isEqualTo(23);
    assertThat(DataCategory.LOG_BYTE.code()).isEqualTo(24);
    assertThat(DataCategory.TRACE_METRIC.code()).isEqualTo(33);
    assertThat(DataCategory.PROFILE_UI.code()).isEqualTo(36);
    assertThat(DataCategory.fromApiName("user_report_v2")).contains(DataCategory.FEEDBACK);
    assertThat(DataCategory.fromApiName("replay_video")).contains(DataCategory.REPLAY_VIDEO);
    assertThat(DataCategory.fromApiName("nonsense")).isEmpty();
    assertThat(DataCategory.fromCode(-1)).isEmpty();
    assertThat(DataCategory.fromCode(37)).isEmpty();
    Set<String> names = new HashSet<>();
    for (DataCategory category : DataCategory.values()) {
      assertThat(category.code()).isEqualTo(category.ordinal());
      assertThat(names.add(category.apiName())).isTrue();
      assertThat(DataCategory.fromCode(category.code())).contains(category);
      assertThat(DataCategory.fromApiName(category.apiName())).contains(category);
    }
  }

  private static void assertInvalid(String json, String messagePart) {
    assertThatThrownBy(() -> OutcomeCodec.decode(json.getBytes(UTF_8)))
        .isInstanceOf(InvalidMessageException.class)
        .hasMessageContaining(messagePart);
  }
}

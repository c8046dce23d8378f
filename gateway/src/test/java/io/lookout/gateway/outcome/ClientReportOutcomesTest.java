package io.lookout.gateway.outcome;

import io.lookout.gateway.project.Scoping;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class ClientReportOutcomesTest {

  static final Instant RECEIVED = Instant.parse("2024-05-02T14:03:27.5Z");
  static final Scoping SCOPING = new Scoping(3, 42, 7L);

  static EnvelopeItem report(String json) {
    return EnvelopeItem.create(ItemType.CLIENT_REPORT, Buffer.buffer(json));
  }

  static List<Outcome> outcomes(Instant sentAt, String... reports) {
    List<EnvelopeItem> items = java.util.Arrays.stream(reports).map(ClientReportOutcomesTest::report)
        .toList();
    return ClientReports.toOutcomes(items, SCOPING, RECEIVED, sentAt, 90);
  }

  @Test
  void everyKindOfEntryBecomesItsOutcome() {
    List<Outcome> outcomes = outcomes(null, "{\"timestamp\":1714658600,"
        + "\"discarded_events\":[{\"reason\":\"before_send\",\"category\":\"error\",\"quantity\":2}],"
        + "\"filtered_events\":[{\"reason\":\"error-message\",\"category\":\"error\",\"quantity\":1}],"
        + "\"filtered_sampling_events\":[{\"reason\":\"Sampled:1001,3005,1002\","
        + "\"category\":\"transaction\",\"quantity\":4}],"
        + "\"rate_limited_events\":[{\"reason\":\"key_quota\",\"category\":\"attachment\","
        + "\"quantity\":1024}]}");

    // Relay's order: filtered, filtered_sampling, rate_limited, client_discard
    assertThat(outcomes).extracting(Outcome::outcome, Outcome::reason, Outcome::category,
        Outcome::quantity).containsExactly(
        Tuple.tuple(OutcomeType.FILTERED.code(), "error-message", DataCategory.ERROR.code(), 1L),
        Tuple.tuple(OutcomeType.FILTERED.code(), "Sampled:1001,1002,3000",
            DataCategory.TRANSACTION.code(), 4L),
        Tuple.tuple(OutcomeType.RATE_LIMITED.code(), "key_quota",
            DataCategory.ATTACHMENT.code(), 1024L),
        Tuple.tuple(OutcomeType.CLIENT_DISCARD.code(), "before_send",
            DataCategory.ERROR.code(), 2L));
    assertThat(outcomes).allSatisfy(o -> {
      assertThat(o.timestamp()).isEqualTo(Instant.ofEpochSecond(1714658600));
      assertThat(o.eventId()).isNull();
      assertThat(o.remoteAddr()).isNull();
      assertThat(o.keyId()).isEqualTo(7L);
    });
  }

  @Test
  void entriesAreSummedAcrossReportsAndTheFirstTimestampWins() {
    List<Outcome> outcomes = outcomes(null,
        "{\"timestamp\":\"2024-05-02T14:00:00Z\",\"discarded_events\":"
            + "[{\"reason\":\"network_error\",\"category\":\"span\",\"quantity\":3}]}",
        "{\"timestamp\":1714658000.9,\"discarded_events\":"
            + "[{\"reason\":\"network_error\",\"category\":\"span\",\"quantity\":4}]}");

    assertThat(outcomes).singleElement().satisfies(o -> {
      assertThat(o.quantity()).isEqualTo(7);
      assertThat(o.timestamp()).isEqualTo(Instant.parse("2024-05-02T14:00:00Z"));
    });
  }

  @Test
  void withoutATimestampTheReceiveSecondIsUsed() {
    assertThat(outcomes(null, "{\"discarded_events\":"
        + "[{\"reason\":\"x\",\"category\":\"error\",\"quantity\":1}]}"))
        .singleElement()
        .satisfies(o -> assertThat(o.timestamp()).isEqualTo(Instant.parse("2024-05-02T14:03:27Z")));
  }

  @Test
  void aClockDriftOfAnHourOrMoreIsCorrected() {
    Instant sentAt = RECEIVED.minus(Duration.ofHours(2));
    List<Outcome> outcomes = outcomes(sentAt, "{\"timestamp\":" + sentAt.getEpochSecond() + ","
        + "\"discarded_events\":[{\"reason\":\"x\",\"category\":\"error\",\"quantity\":1}]}");

    assertThat(outcomes).singleElement()
        .satisfies(o -> assertThat(o.timestamp()).isEqualTo(Instant.ofEpochSecond(
            RECEIVED.getEpochSecond())));
  }

  @Test
  void reportsOlderThanRetentionOrFromTheFutureAreIgnored() {
    String entry = "\"discarded_events\":[{\"reason\":\"x\",\"category\":\"error\",\"quantity\":1}]}";
    assertThat(outcomes(null, "{\"timestamp\":"
        + RECEIVED.minus(Duration.ofDays(91)).getEpochSecond() + "," + entry)).isEmpty();
    assertThat(outcomes(null, "{\"timestamp\":"
        + RECEIVED.plusSeconds(120).getEpochSecond() + "," + entry)).isEmpty();
    assertThat(outcomes(null, "{\"timestamp\":"
        + RECEIVED.plusSeconds(30).getEpochSecond() + "," + entry)).hasSize(1);
  }

  @Test
  void invalidReportsAndEntriesAreSkipped() {
    assertThat(outcomes(null, "not json")).isEmpty();
    assertThat(outcomes(null, "[]")).isEmpty();
    // a bad entry voids the whole report, as serde does
    assertThat(outcomes(null, "{\"discarded_events\":[{\"reason\":\"x\",\"category\":\"error\","
        + "\"quantity\":1},{\"reason\":\"y\",\"category\":\"error\"}]}")).isEmpty();
    assertThat(outcomes(null, "{\"discarded_events\":[{\"reason\":\"x\",\"category\":\"error\","
        + "\"quantity\":-1}]}")).isEmpty();
    // an overlong reason drops only its entry
    assertThat(outcomes(null, "{\"discarded_events\":[{\"reason\":\"" + "r".repeat(201)
        + "\",\"category\":\"error\",\"quantity\":1},"
        + "{\"reason\":\"ok\",\"category\":\"error\",\"quantity\":1}]}"))
        .extracting(Outcome::reason).containsExactly("ok");
    // a sampling reason that is not Sampled:<ids> makes no outcome
    assertThat(outcomes(null, "{\"filtered_sampling_events\":["
        + "{\"reason\":\"Sampled:\",\"category\":\"error\",\"quantity\":1},"
        + "{\"reason\":\"Sampled:ab\",\"category\":\"error\",\"quantity\":1},"
        + "{\"reason\":\"other\",\"category\":\"error\",\"quantity\":1}]}")).isEmpty();
  }

  @Test
  void anUnknownCategoryGivesAnOutcomeWithoutCategory() {
    assertThat(outcomes(null, "{\"discarded_events\":"
        + "[{\"reason\":\"x\",\"category\":\"brand_new\",\"quantity\":1},"
        + "{\"reason\":\"x\",\"category\":\"user_report_v2\",\"quantity\":1}]}"))
        .extracting(Outcome::category)
        .containsExactly(null, DataCategory.FEEDBACK.code());
  }

  @Test
  void samplingReasonsMapRuleIdsToRelaysCategories() {
    assertThat(ClientReports.samplingReason("Sampled:123,456")).isEqualTo("Sampled:0");
    assertThat(ClientReports.samplingReason("Sampled:1001,1456,1567,3333,4444"))
        .isEqualTo("Sampled:1001,1400,1500,3000");
    assertThat(ClientReports.samplingReason("Sampled:;")).isNull();
    assertThat(ClientReports.samplingReason("Sampled:ab;12")).isNull();
  }
}

package io.lookout.gateway.outcome;

import io.lookout.gateway.project.Scoping;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeParser;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

class OutcomesTest {

  static final String EVENT_ID = "9ec79c33ec9942ab8353589fcb2e04dc";
  static final Instant NOW = Instant.parse("2024-05-02T14:03:27.123456Z");

  static Envelope envelope() {
    String body = "{\"event_id\":\"" + EVENT_ID + "\"}\n"
        + "{\"type\":\"event\"}\n{\"message\":\"x\"}\n"
        + "{\"type\":\"attachment\",\"length\":10}\n0123456789\n"
        + "{\"type\":\"attachment\",\"length\":5}\n01234\n"
        + "{\"type\":\"client_report\"}\n{}\n";
    return EnvelopeParser.parse(Buffer.buffer(body));
  }

  final Outcomes outcomes = Outcomes.of(new Scoping(3, 42, 7L), NOW, EVENT_ID, "203.0.113.9");

  @Test
  void oneOutcomePerCategoryWithQuantitiesSummed() {
    var list = outcomes.rateLimited(envelope().items(), "project_quota");

    assertThat(list).extracting(Outcome::category, Outcome::quantity).containsExactly(
        Tuple.tuple(DataCategory.ERROR.code(), 1L),
        Tuple.tuple(DataCategory.ATTACHMENT.code(), 15L),
        Tuple.tuple(DataCategory.ATTACHMENT_ITEM.code(), 2L));
    assertThat(list).allSatisfy(o -> {
      assertThat(o.outcome()).isEqualTo(OutcomeType.RATE_LIMITED.code());
      assertThat(o.reason()).isEqualTo("project_quota");
      assertThat(o.orgId()).isEqualTo(3L);
      assertThat(o.projectId()).isEqualTo(42);
      assertThat(o.keyId()).isEqualTo(7L);
      assertThat(o.eventId()).isEqualTo(EVENT_ID);
      assertThat(o.remoteAddr()).isEqualTo("203.0.113.9");
      assertThat(o.timestamp()).isEqualTo(NOW);
    });
  }

  @Test
  void eachKindCarriesItsOutcomeAndReason() {
    var items = envelope().items().subList(0, 1);

    assertThat(outcomes.accepted(items)).singleElement().satisfies(o -> {
      assertThat(o.outcome()).isEqualTo(OutcomeType.ACCEPTED.code());
      assertThat(o.reason()).isNull();
    });
    assertThat(outcomes.filtered(items, "browser-extensions")).singleElement().satisfies(o -> {
      assertThat(o.outcome()).isEqualTo(OutcomeType.FILTERED.code());
      assertThat(o.reason()).isEqualTo("browser-extensions");
    });
    assertThat(outcomes.rateLimited(items, null)).singleElement()
        .satisfies(o -> assertThat(o.reason()).isNull());
    assertThat(outcomes.invalid(items, "too_large:event")).singleElement().satisfies(o -> {
      assertThat(o.outcome()).isEqualTo(OutcomeType.INVALID.code());
      assertThat(o.reason()).isEqualTo("too_large:event");
    });
  }

  @Test
  void anOrganizationOfZeroIsLeftOutAsRelayDoes() {
    Outcome outcome = Outcomes.of(new Scoping(0, 42, null), NOW, null, null)
        .outcome(OutcomeType.FILTERED, "localhost", DataCategory.ERROR, 1);

    String json = new String(OutcomeCodec.encode(outcome), StandardCharsets.UTF_8);
    assertThat(json).isEqualTo("{\"timestamp\":\"2024-05-02T14:03:27.123456Z\",\"project_id\":42,"
        + "\"outcome\":1,\"reason\":\"localhost\",\"category\":1,\"quantity\":1}");
  }

  @Test
  void itemsWithoutACategoryMakeNoOutcome() {
    assertThat(outcomes.invalid(envelope().items().subList(3, 4), "invalid_json")).isEmpty();
  }
}

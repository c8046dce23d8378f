package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutcomeStatsQueryTest {

  private static final Instant NOW = Instant.parse("2021-03-14T12:27:28Z");
  private static final StatsScope SCOPE = new StatsScope(7, List.of(11L, 12L));

  private static OutcomeStatsQuery parse(Map<String, List<String>> params) {
    return OutcomeStatsQuery.parse(name -> params.getOrDefault(name, List.of()), NOW);
  }

  private static JsonObject row(int category, int outcome, String reason, long project, long quantity, long times) {
    return new JsonObject().put("category", category).put("outcome", outcome).put("reason", reason)
        .put("project_id", project).put("time", Instant.parse("2021-03-14T00:00:00Z").getEpochSecond())
        .put("quantity", quantity).put("times_seen", times);
  }

  @Test
  void errorCategoriesMergeIntoOneGroupAndSpikeProtectionIsRenamed() {
    OutcomeStatsQuery q = parse(Map.of("field", List.of("sum(quantity)", "sum(times_seen)"),
        "groupBy", List.of("category", "outcome", "reason"), "statsPeriod", List.of("2d"),
        "interval", List.of("1d")));

    JsonObject result = q.result(List.of(row(1, 0, "none", 11, 5, 5), row(0, 0, "none", 11, 1, 1),
        row(4, 2, "smart_rate_limit", 11, 1024, 1), row(2, 2, "smart_rate_limit", 12, 1, 1)));

    assertThat(result.getJsonArray("intervals")).containsExactly("2021-03-13T00:00:00Z", "2021-03-14T00:00:00Z");
    JsonArray groups = result.getJsonArray("groups");
    assertThat(groups).hasSize(3);
    assertThat(groups.getJsonObject(0)).isEqualTo(new JsonObject()
        .put("by", new JsonObject().put("category", "attachment").put("outcome", "rate_limited")
            .put("reason", "spike_protection"))
        .put("totals", new JsonObject().put("sum(quantity)", 1024L).put("sum(times_seen)", 1L))
        .put("series", new JsonObject().put("sum(quantity)", new JsonArray().add(0L).add(1024L))
            .put("sum(times_seen)", new JsonArray().add(0L).add(1L))));
    assertThat(groups.getJsonObject(1).getJsonObject("by"))
        .isEqualTo(new JsonObject().put("category", "error").put("outcome", "accepted").put("reason", "none"));
    assertThat(groups.getJsonObject(1).getJsonObject("totals").getLong("sum(quantity)")).isEqualTo(6);
  }

  @Test
  void withoutGroupByThereIsOneGroupEvenOverNothing() {
    OutcomeStatsQuery q = parse(Map.of("field", List.of("sum(quantity)"), "category", List.of("error"),
        "statsPeriod", List.of("1d"), "interval", List.of("6h")));

    JsonObject result = q.result(List.of());

    assertThat(result.getJsonArray("groups")).containsExactly(new JsonObject().put("by", new JsonObject())
        .put("totals", new JsonObject().put("sum(quantity)", 0L))
        .put("series", new JsonObject().put("sum(quantity)", new JsonArray().add(0L).add(0L).add(0L).add(0L))));
  }

  @Test
  void filtersBecomeConditionsOnTheHourlyTable() {
    OutcomeStatsQuery q = parse(Map.of("field", List.of("sum(quantity)"), "category", List.of("error", "transaction"),
        "outcome", List.of("rate_limited"), "reason", List.of("spike_protection", "it's"), "groupBy",
        List.of("project")));

    String sql = q.sql(SCOPE);

    assertThat(sql).contains("FROM outcomes_hourly WHERE org_id = 7 AND project_id IN (11, 12)")
        .contains("category IN (0, 1, 2, 3)").contains("outcome IN (2)")
        .contains("reason IN ('smart_rate_limit', 'it\\'s')").contains("GROUP BY project_id, time");
  }

  @Test
  void invalidRequestsGetSentrysMessages() {
    assertThatThrownBy(() -> parse(Map.of())).hasMessage("At least one \"field\" is required.");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("summ(qarntenty)"))))
        .hasMessage("Invalid field: \"summ(qarntenty)\"");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(quantity)"), "groupBy", List.of("cattygory"))))
        .hasMessage("Invalid groupBy: \"cattygory\"");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(quantity)"))))
        .hasMessage("Query must have category as groupby or filter");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(quantity)"), "category", List.of("error", "attachment"))))
        .hasMessage("if filtering by attachment no other category may be present");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(quantity)"), "category", List.of("errors"))))
        .hasMessage("Invalid category: \"errors\"");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(quantity)"), "category", List.of("error"),
        "outcome", List.of("dropped")))).hasMessage("Invalid outcome: \"dropped\"");
  }
}

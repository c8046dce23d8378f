package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionStatsQueryTest {

  private static final Instant NOW = Instant.parse("2021-03-14T12:27:28Z");
  private static final StatsScope SCOPE = new StatsScope(7, List.of(11L));

  private static SessionStatsQuery parse(Map<String, List<String>> params) {
    return SessionStatsQuery.parse(name -> params.getOrDefault(name, List.of()), NOW);
  }

  private static JsonObject counts(String release, String env, long sessions, long crashed, long users, long crashedUsers) {
    return new JsonObject().put("release", release).put("environment", env).put("sessions", sessions)
        .put("sessions_crashed", crashed).put("users", users).put("users_crashed", crashedUsers);
  }

  @Test
  void crashFreeRatesPerReleaseAndEnvironment() {
    SessionStatsQuery q = parse(Map.of("field", List.of("crash_free_rate(session)", "crash_free_rate(user)"),
        "groupBy", List.of("release", "environment"), "statsPeriod", List.of("2d"), "interval", List.of("1d")));
    JsonObject total = counts("1.0", "production", 10, 2, 5, 2);
    JsonObject bucket = counts("1.0", "production", 10, 2, 5, 2)
        .put("bucket", Instant.parse("2021-03-14T00:00:00Z").getEpochSecond());

    JsonObject result = q.result(List.of(total), List.of(bucket));

    assertThat(result.getString("query")).isEmpty();
    JsonObject group = result.getJsonArray("groups").getJsonObject(0);
    assertThat(group.getJsonObject("by")).isEqualTo(new JsonObject().put("release", "1.0").put("environment", "production"));
    assertThat(group.getJsonObject("totals").getDouble("crash_free_rate(session)")).isEqualTo(0.8);
    assertThat(group.getJsonObject("totals").getDouble("crash_free_rate(user)")).isEqualTo(0.6);
    assertThat(group.getJsonObject("series").getJsonArray("crash_free_rate(session)"))
        .isEqualTo(new JsonArray().addNull().add(0.8));
  }

  @Test
  void seriesQueryIsLimitedToTheGroupsOfTheTotals() {
    SessionStatsQuery q = parse(Map.of("field", List.of("sum(session)"), "groupBy", List.of("release", "environment"),
        "query", List.of("release:\"1.0\" environment:prod")));

    String sql = q.seriesSql(SCOPE, List.of(counts("1.0", "prod", 1, 0, 0, 0)));

    assertThat(sql).contains("FROM sessions_hourly WHERE org_id = 7 AND project_id IN (11)")
        .contains("environment IN ('prod')").contains("release IN ('1.0')")
        .contains("(release, environment) IN (('1.0', 'prod'))").endsWith("GROUP BY release, environment, bucket");
    assertThat(q.totalsSql(SCOPE)).contains("ORDER BY sessions DESC LIMIT 208");
  }

  @Test
  void ratesOverNothingAreNull() {
    assertThat(SessionStatsQuery.value("crash_free_rate(user)", counts("1", "", 3, 0, 0, 0))).isNull();
    assertThat(SessionStatsQuery.value("crash_free_rate(session)", null)).isNull();
    assertThat(SessionStatsQuery.value("sum(session)", null)).isEqualTo(0L);
  }

  @Test
  void invalidRequestsGetSentrysMessages() {
    assertThatThrownBy(() -> parse(Map.of())).hasMessage("Request is missing a \"field\"");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(sessions)")))).hasMessage("Invalid field: \"sum(sessions)\"");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(session)"), "groupBy", List.of("os"))))
        .hasMessage("Invalid groupBy: \"os\"");
    assertThatThrownBy(() -> parse(Map.of("field", List.of("sum(session)"), "query", List.of("os:linux"))))
        .hasMessage("Invalid query field: \"os\"");
  }
}

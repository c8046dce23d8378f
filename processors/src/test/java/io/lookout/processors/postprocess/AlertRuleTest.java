package io.lookout.processors.postprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.processors.postprocess.AlertRule.Interval;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertRuleTest {

  static PostProcessJob job(boolean isNew, boolean regression, String level, Map<String, String> tags) {
    return new PostProcessJob(7, "0123456789abcdef0123456789abcdef", 3, isNew, regression, false, level, "prod",
        "boom", "Boom", "app in main", "java", List.copyOf(tags.entrySet()), 0);
  }

  static AlertRule rule(JsonObject body) {
    return RuleParser.toRule(1, 3, RuleParser.parse(body));
  }

  static JsonObject body(String actionMatch, JsonArray conditions, JsonArray filters) {
    return new JsonObject().put("name", "r").put("actionMatch", actionMatch).put("conditions", conditions)
        .put("filters", filters).put("actions", new JsonArray().add(new JsonObject()
            .put("id", RuleParser.NOTIFY_EVENT_SERVICE).put("service", "webhooks").put("url", "http://127.0.0.1:1/x")));
  }

  static JsonObject cond(String id) {
    return new JsonObject().put("id", id);
  }

  @Test
  void newIssueAndRegressionConditionsCombineByActionMatch() {
    JsonArray both = new JsonArray().add(cond(RuleParser.FIRST_SEEN)).add(cond(RuleParser.REGRESSION));
    AlertRule any = rule(body("any", both, new JsonArray()));
    AlertRule all = rule(body("all", both, new JsonArray()));
    AlertRule none = rule(body("none", both, new JsonArray()));
    assertThat(any.matches(job(true, false, "error", Map.of()), Map.of())).isTrue();
    assertThat(all.matches(job(true, false, "error", Map.of()), Map.of())).isFalse();
    assertThat(none.matches(job(false, false, "error", Map.of()), Map.of())).isTrue();
    assertThat(any.matches(job(false, true, "error", Map.of()), Map.of())).isTrue();
    assertThat(any.matches(job(false, false, "error", Map.of()), Map.of())).isFalse();
  }

  @Test
  void frequencyConditionPassesAboveTheValue() {
    AlertRule rule = rule(body("all", new JsonArray().add(cond(RuleParser.EVENT_FREQUENCY).put("value", "10")
        .put("interval", "5m")), new JsonArray()));
    assertThat(rule.intervals()).containsExactly(Interval.FIVE_MINUTES);
    assertThat(rule.matches(job(false, false, "error", Map.of()), Map.of(Interval.FIVE_MINUTES, 10L))).isFalse();
    assertThat(rule.matches(job(false, false, "error", Map.of()), Map.of(Interval.FIVE_MINUTES, 11L))).isTrue();
  }

  @Test
  void levelFilterComparesSentrysNumericLevels() {
    JsonArray first = new JsonArray().add(cond(RuleParser.FIRST_SEEN));
    AlertRule gte = rule(body("all", first, new JsonArray().add(new JsonObject().put("id", RuleParser.LEVEL)
        .put("match", "gte").put("level", "40"))));
    AlertRule eq = rule(body("all", first, new JsonArray().add(new JsonObject().put("id", RuleParser.LEVEL)
        .put("match", "eq").put("level", 30))));
    AlertRule lte = rule(body("all", first, new JsonArray().add(new JsonObject().put("id", RuleParser.LEVEL)
        .put("match", "lte").put("level", "20"))));
    assertThat(gte.matches(job(true, false, "warning", Map.of()), Map.of())).isFalse();
    assertThat(gte.matches(job(true, false, "error", Map.of()), Map.of())).isTrue();
    assertThat(gte.matches(job(true, false, "fatal", Map.of()), Map.of())).isTrue();
    assertThat(eq.matches(job(true, false, "warning", Map.of()), Map.of())).isTrue();
    assertThat(lte.matches(job(true, false, "info", Map.of()), Map.of())).isTrue();
    assertThat(lte.matches(job(true, false, "error", Map.of()), Map.of())).isFalse();
  }

  @Test
  void tagFilterMatchesEveryOperator() {
    Map<String, String> tags = Map.of("server", "Prod-Web-1");
    assertThat(tag("eq", "prod-web-1", tags)).isTrue();
    assertThat(tag("eq", "prod", tags)).isFalse();
    assertThat(tag("ne", "prod", tags)).isTrue();
    assertThat(tag("sw", "prod", tags)).isTrue();
    assertThat(tag("ew", "web-1", tags)).isTrue();
    assertThat(tag("ew", "web-2", tags)).isFalse();
    assertThat(tag("co", "web", tags)).isTrue();
    assertThat(tag("nc", "web", tags)).isFalse();
    assertThat(tag("nc", "db", tags)).isTrue();
    assertThat(tag("is", null, tags)).isTrue();
    assertThat(tag("ns", null, tags)).isFalse();
    assertThat(tag("ns", null, Map.of())).isTrue();
    assertThat(tag("eq", "prod-web-1", Map.of())).isFalse();
  }

  private static boolean tag(String match, String value, Map<String, String> tags) {
    JsonObject filter = new JsonObject().put("id", RuleParser.TAGGED).put("key", "server").put("match", match);
    if (value != null) {
      filter.put("value", value);
    }
    return rule(body("all", new JsonArray(), new JsonArray().add(filter))).matches(job(false, false, "error", tags),
        Map.of());
  }

  @Test
  void environmentLimitsTheRule() {
    AlertRule rule = rule(body("all", new JsonArray().add(cond(RuleParser.FIRST_SEEN)), new JsonArray())
        .put("environment", "staging"));
    assertThat(rule.matches(job(true, false, "error", Map.of()), Map.of())).isFalse();
  }

  @Test
  void invalidRulesSayWhatIsWrong() {
    JsonArray first = new JsonArray().add(cond(RuleParser.FIRST_SEEN));
    assertThatThrownBy(() -> RuleParser.parse(body("all", first, new JsonArray()).put("name", "")))
        .hasMessageContaining("name");
    assertThatThrownBy(() -> RuleParser.parse(body("most", first, new JsonArray())))
        .hasMessageContaining("actionMatch");
    assertThatThrownBy(() -> RuleParser.parse(body("all", new JsonArray().add(cond("x.Y")), new JsonArray())))
        .hasMessageContaining("conditions[0].id: unknown condition 'x.Y'");
    assertThatThrownBy(() -> RuleParser.parse(body("all", new JsonArray().add(cond(RuleParser.EVENT_FREQUENCY)
        .put("value", 3).put("interval", "2m")), new JsonArray()))).hasMessageContaining("conditions[0].interval");
    assertThatThrownBy(() -> RuleParser.parse(body("all", first, new JsonArray().add(new JsonObject()
        .put("id", RuleParser.LEVEL).put("match", "gte").put("level", "45"))))).hasMessageContaining("filters[0].level");
    assertThatThrownBy(() -> RuleParser.parse(body("all", first, new JsonArray()).put("actions", new JsonArray())))
        .hasMessageContaining("actions");
    assertThatThrownBy(() -> RuleParser.parse(body("all", first, new JsonArray()).put("frequency", 1)))
        .hasMessageContaining("frequency");
    assertThatThrownBy(() -> RuleParser.parse(body("all", first, new JsonArray()).put("actions", new JsonArray()
        .add(new JsonObject().put("id", RuleParser.NOTIFY_EMAIL).put("targetIdentifier", "nobody")))))
        .hasMessageContaining("actions[0].targetIdentifier");
  }

  @Test
  void commitLogRecordsDecode() {
    CommitLogEntry entry = CommitLogEntry.decode("events:3:snuba-consumers".getBytes(StandardCharsets.UTF_8),
        "{\"offset\": 42, \"orig_message_ts\": 1700000000.5}".getBytes(StandardCharsets.UTF_8));
    assertThat(entry).isEqualTo(new CommitLogEntry("events", 3, "snuba-consumers", 42, 1700000000.5));
    assertThat(CommitLogEntry.decode(entry.key(), entry.value())).isEqualTo(entry);
    assertThat(CommitLogEntry.decode("events:0:a:b".getBytes(StandardCharsets.UTF_8),
        "{\"offset\":1}".getBytes(StandardCharsets.UTF_8)).group()).isEqualTo("a:b");
    assertThatThrownBy(() -> CommitLogEntry.decode("events".getBytes(StandardCharsets.UTF_8),
        "{\"offset\":1}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitLogEntry.decode("events:0:g".getBytes(StandardCharsets.UTF_8),
        "{}".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("offset");
  }

  @Test
  void webhookPayloadAndEmailHaveTheIssueEventAndRule() {
    AlertRule rule = rule(body("all", new JsonArray().add(cond(RuleParser.FIRST_SEEN)), new JsonArray()));
    AlertNotifier.Issue issue = new AlertNotifier.Issue(7, 33, "Boom", "app in main", "backend", "Backend", "acme");
    PostProcessJob job = job(true, false, "error", Map.of("logger", "root"));
    JsonObject payload = AlertNotifier.webhookPayload(rule, job, issue, new JsonObject().put("platform", "java"),
        "http://lookout:9000");
    assertThat(payload.getString("id")).isEqualTo("7");
    assertThat(payload.getString("project")).isEqualTo("backend");
    assertThat(payload.getString("project_name")).isEqualTo("Backend");
    assertThat(payload.getString("culprit")).isEqualTo("app in main");
    assertThat(payload.getString("logger")).isEqualTo("root");
    assertThat(payload.getString("level")).isEqualTo("error");
    assertThat(payload.getString("message")).isEqualTo("boom");
    assertThat(payload.getString("url")).isEqualTo("http://lookout:9000/organizations/acme/issues/7/?referrer=webhooks_plugin");
    assertThat(payload.getJsonArray("triggering_rules")).containsExactly("r");
    assertThat(payload.getJsonObject("event").getString("event_id")).isEqualTo(job.eventId());
    assertThat(payload.getJsonObject("event").getString("platform")).isEqualTo("java");

    PostProcessConfig config = PostProcessConfig.fromJson(new JsonObject());
    var mail = AlertNotifier.email(rule, job, issue, config.smtp(), "http://lookout:9000", List.of("ops@example.com"));
    assertThat(mail.getSubject()).isEqualTo("[Lookout] BACKEND-11 - Boom");
    assertThat(mail.getTo()).containsExactly("ops@example.com");
    assertThat(mail.getFrom()).isEqualTo("lookout@localhost");
    assertThat(mail.getText()).contains("Alert rule \"r\"", "app in main", job.eventId(), "new issue",
        "/organizations/acme/issues/7/");
  }

  @Test
  void configHasSentrysDefaults() {
    PostProcessConfig config = PostProcessConfig.fromJson(new JsonObject());
    assertThat(config.group()).isEqualTo("post-process-forwarder");
    assertThat(config.commitLogTopic()).isEqualTo("snuba-commit-log");
    assertThat(config.synchronizeCommitGroup()).isEqualTo("snuba-consumers");
    assertThatThrownBy(() -> PostProcessConfig.fromJson(new JsonObject().put("bogus", 1)))
        .hasMessageContaining("bogus");
    assertThatThrownBy(() -> PostProcessConfig.fromJson(new JsonObject().put("smtp",
        new JsonObject().put("start_tls", "SOMETIMES")))).hasMessageContaining("start_tls");
  }
}

package io.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.ProcessorsMain;
import io.lookout.processors.ProcessorsMain.Role;
import io.lookout.processors.analytics.AnalyticsQueries;
import io.lookout.processors.api.ApiServer;
import io.lookout.processors.config.ProcessorsConfig;
import io.lookout.processors.postprocess.RuleParser;
import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.sentry.Sentry;
import io.sentry.protocol.SentryId;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The second half of the pipeline end to end, with the real Java SDK: gateway, ingest, save, the
 * analytics consumer into ClickHouse, the post-process forwarder behind its commit log, alert rules
 * firing a real webhook receiver, and the outcomes and sessions consumers behind their APIs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsAlertsIT {

  private static final String RULES = "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT + "/rules/";
  private static final String ISSUES = "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT + "/issues/";

  private static E2eStack stack;
  private static ClickHouseConfig clickhouseConfig;
  private static ClickHouseWriter clickhouse;
  private static ProcessorsMain processors;
  private static String apiDeployment;
  private static ApiClient api;
  private static HttpServer receiver;
  /** Webhook bodies received, by the rule that sent them ({@code triggering_rules}). */
  private static final List<JsonObject> webhooks = new CopyOnWriteArrayList<>();
  private static final Map<String, String> ruleIds = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    stack = E2eStack.create();
    stack.startGateway();
    String id = stack.id;
    clickhouseConfig = stack.storage.clickhouse().withDatabase("it_e2e_" + id);
    ClickHouseMigrator.create(stack.vertx, clickhouseConfig).migrate().await(120, TimeUnit.SECONDS);
    clickhouse = ClickHouseWriter.create(stack.vertx, clickhouseConfig);
    StorageConfig storage = new StorageConfig(stack.storage.stateDir(), stack.storage.postgres(),
        stack.storage.redis(), stack.storage.rabbitmq(), clickhouseConfig, stack.storage.kafka(),
        stack.storage.nodestore());

    receiver = stack.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      webhooks.add(body.toJsonObject());
      request.response().setStatusCode(200).end();
    })).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);

    JsonObject json = stack.processorsJson("inline")
        .put("analytics", new JsonObject().put("group", "it-an-" + id).put("max_batch_time_ms", 200))
        .put("post_process", new JsonObject().put("group", "it-pp-" + id)
            .put("synchronize_commit_group", "it-an-" + id).put("rules_cache_ttl_ms", 100))
        .put("outcomes", new JsonObject().put("group", "it-out-" + id).put("max_batch_time_ms", 200))
        .put("sessions", new JsonObject().put("group", "it-ses-" + id).put("max_batch_time_ms", 200));
    ProcessorsConfig config = ProcessorsConfig.fromJson(json);
    ProcessorsMain.Plan all = ProcessorsMain.Plan.parse(new String[0], config);
    Map<Role, Integer> roles = Map.of(Role.ANALYTICS_EVENTS, 1, Role.ANALYTICS_TRANSACTIONS, 1,
        Role.POST_PROCESS, 1, Role.OUTCOMES, 1, Role.SESSIONS, 1);
    ProcessorsMain.Plan plan = new ProcessorsMain.Plan(all.consumers(), all.queues(), null, false, roles);
    processors = ProcessorsMain.start(stack.vertx, config, storage, plan, stack.topicPrefix::concat)
        .await(180, TimeUnit.SECONDS);
    ApiServer server = new ApiServer(config.api(), processors.services().pool(), processors.services().nodestore(),
        clickhouse);
    apiDeployment = stack.vertx.deployVerticle(server).await(60, TimeUnit.SECONDS);
    api = new ApiClient(server.actualPort(), stack.createToken());

    String hook = "http://127.0.0.1:" + receiver.actualPort() + "/hook";
    ruleIds.put("new", createRule("new issues", new JsonObject().put("id", RuleParser.FIRST_SEEN), hook, 0));
    ruleIds.put("regression", createRule("regressions", new JsonObject().put("id", RuleParser.REGRESSION), hook, 0));
    ruleIds.put("flood", createRule("floods", new JsonObject().put("id", RuleParser.EVENT_FREQUENCY)
        .put("value", 10).put("interval", "1h"), hook, 60));

    Sentry.init(options -> {
      options.setDsn(stack.dsn());
      options.setRelease("shop@3.0.0");
      options.setEnvironment("production");
      options.addInAppInclude("io.lookout.e2e");
      options.setEnableAutoSessionTracking(false);
      options.setSendClientReports(false);
    });
  }

  private static String createRule(String name, JsonObject condition, String hook, int frequencyMinutes)
      throws Exception {
    JsonObject rule = new JsonObject().put("name", name).put("actionMatch", "all").put("filterMatch", "all")
        .put("frequency", Math.max(frequencyMinutes, 5))
        .put("conditions", new JsonArray().add(condition))
        .put("filters", new JsonArray())
        .put("actions", new JsonArray().add(new JsonObject().put("id", RuleParser.NOTIFY_EVENT_SERVICE)
            .put("service", "webhooks").put("url", hook)));
    HttpResponse<byte[]> created = api.send("POST", RULES, rule.encode());
    assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);
    return new JsonObject(ApiClient.text(created)).getString("id");
  }

  @AfterAll
  static void stop() throws Exception {
    Sentry.close();
    try {
      if (apiDeployment != null) {
        stack.vertx.undeploy(apiDeployment).await(30, TimeUnit.SECONDS);
      }
      if (processors != null) {
        processors.stop().await(60, TimeUnit.SECONDS);
      }
      if (receiver != null) {
        receiver.close().await(10, TimeUnit.SECONDS);
      }
      if (clickhouse != null) {
        ClickHouseWriter system = ClickHouseWriter.create(stack.vertx, clickhouseConfig.withDatabase("system"));
        clickhouse.close().compose(v -> system.execute("DROP DATABASE IF EXISTS " + clickhouseConfig.database()))
            .eventually(system::close).await(60, TimeUnit.SECONDS);
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  // --- the application

  static void checkout() {
    throw new IllegalStateException("checkout " + UUID.randomUUID() + " failed");
  }

  static void importCatalog() {
    throw new UnsupportedOperationException("catalog import is not supported");
  }

  private static SentryId capture(Runnable failing) {
    try {
      failing.run();
      throw new AssertionError("unreachable");
    } catch (RuntimeException e) {
      SentryId id = Sentry.captureException(e);
      Sentry.flush(10_000);
      return id;
    }
  }

  private static List<JsonObject> webhooksOf(String rule) {
    String ruleId = ruleIds.get(rule);
    return webhooks.stream().filter(w -> w.getJsonArray("triggering_rules", new JsonArray()).stream()
        .anyMatch(r -> r.toString().contains(ruleName(rule)) || r.toString().equals(ruleId))).toList();
  }

  private static String ruleName(String rule) {
    return switch (rule) {
      case "new" -> "new issues";
      case "regression" -> "regressions";
      default -> "floods";
    };
  }

  private static JsonObject issueOf(SentryId event) throws Exception {
    String eventPath = "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT + "/events/" + event + "/";
    JsonObject stored = ApiClient.poll(() -> api.object(eventPath), e -> e.getString("groupID") != null);
    return api.object("/api/0/issues/" + stored.getString("groupID") + "/");
  }

  @Test
  @Order(1)
  void anExceptionBecomesAClickHouseRowOfItsIssueAndFiresTheNewIssueRuleOnce() throws Exception {
    SentryId event = capture(AnalyticsAlertsIT::checkout);
    JsonObject issue = issueOf(event);

    AnalyticsQueries queries = new AnalyticsQueries(clickhouse);
    JsonObject row = ApiClient.poll(() -> queries.errorRow(stack.projectId(), event.toString()).await(30, TimeUnit.SECONDS),
        r -> r != null);
    assertThat(row).as("errors row of %s", event).isNotNull();
    assertThat(row.getValue("group_id").toString()).isEqualTo(issue.getString("id"));

    List<JsonObject> fired = ApiClient.poll(() -> webhooksOf("new"), l -> !l.isEmpty());
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).getString("id")).isEqualTo(issue.getString("id"));
    // a second event of the same issue is not a new issue: still one alert
    SentryId again = capture(AnalyticsAlertsIT::checkout);
    ApiClient.poll(() -> queries.errorRow(stack.projectId(), again.toString()).await(30, TimeUnit.SECONDS), r -> r != null);
    TimeUnit.SECONDS.sleep(1);
    assertThat(webhooksOf("new")).hasSize(1);
  }

  @Test
  @Order(2)
  void aResolvedIssueSeenAgainFiresTheRegressionRule() throws Exception {
    JsonObject issue = issueOf(capture(AnalyticsAlertsIT::checkout));
    HttpResponse<byte[]> resolved = api.send("PUT", "/api/0/issues/" + issue.getString("id") + "/",
        "{\"status\":\"resolved\"}");
    assertThat(resolved.statusCode()).isEqualTo(200);

    capture(AnalyticsAlertsIT::checkout);
    List<JsonObject> fired = ApiClient.poll(() -> webhooksOf("regression"), l -> !l.isEmpty());
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0).getString("id")).isEqualTo(issue.getString("id"));
  }

  @Test
  @Order(3)
  void aFloodOverTheFrequencyThresholdAlertsOncePerInterval() throws Exception {
    SentryId last = null;
    for (int i = 0; i < 25; i++) {
      last = capture(AnalyticsAlertsIT::importCatalog);
    }
    JsonObject issue = issueOf(last);
    ApiClient.poll(() -> api.object("/api/0/issues/" + issue.getString("id") + "/"), i -> "25".equals(i.getString("count")));
    List<JsonObject> fired = ApiClient.poll(() -> webhooksOf("flood"), l -> !l.isEmpty());
    TimeUnit.SECONDS.sleep(2);
    assertThat(webhooksOf("flood")).hasSize(1);
    assertThat(fired.get(0).getString("id")).isEqualTo(issue.getString("id"));
    // the flood's first event was a new issue too
    assertThat(webhooksOf("new").stream().filter(w -> w.getString("id").equals(issue.getString("id")))).hasSize(1);
  }

  @Test
  @Order(4)
  void sessionsGiveTheCrashFreeRate() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Instant now = Instant.now();
    for (int i = 0; i < 10; i++) {
      String status = i < 2 ? "crashed" : "exited";
      JsonObject session = new JsonObject().put("sid", UUID.randomUUID().toString()).put("did", "user-" + (i % 5))
          .put("init", true).put("status", status).put("errors", i < 2 ? 1 : 0)
          .put("started", now.minusSeconds(60).toString()).put("timestamp", now.toString()).put("duration", 60.0)
          .put("attrs", new JsonObject().put("release", "shop@3.0.0").put("environment", "production"));
      String envelope = "{}\n{\"type\":\"session\"}\n" + session.encode() + "\n";
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create(stack.gatewayUrl("/api/" + stack.projectId() + "/envelope/?sentry_key=" + stack.project.publicKey())))
          .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    String path = "/api/0/organizations/" + E2eStack.ORG + "/sessions/?field=crash_free_rate(session)"
        + "&groupBy=release&project=" + stack.projectId() + "&statsPeriod=1d&interval=1h";
    ApiClient.poll(AnalyticsAlertsIT::sessionCount, n -> n == 10);
    assertThat(sessionCount()).isEqualTo(10);
    JsonObject stats = api.object(path);
    JsonObject group = stats.getJsonArray("groups").getJsonObject(0);
    assertThat(group.getJsonObject("by").getString("release")).isEqualTo("shop@3.0.0");
    assertThat(group.getJsonObject("totals").getDouble("crash_free_rate(session)")).isEqualTo(0.8);
  }

  private static long sessionCount() throws Exception {
    String path = "/api/0/organizations/" + E2eStack.ORG + "/sessions/?field=sum(session)&project="
        + stack.projectId() + "&statsPeriod=1d&interval=1h";
    JsonArray groups = api.object(path).getJsonArray("groups");
    return groups.isEmpty() ? 0 : groups.getJsonObject(0).getJsonObject("totals").getLong("sum(session)", 0L);
  }

  @Test
  @Order(5)
  void acceptedEventsShowInStats() throws Exception {
    String path = "/api/0/organizations/" + E2eStack.ORG + "/stats_v2/?field=sum(quantity)&groupBy=outcome"
        + "&category=error&statsPeriod=1d&interval=1h&project=" + stack.projectId();
    JsonObject stats = ApiClient.poll(() -> api.object(path), s -> accepted(s) >= 28);
    assertThat(accepted(stats)).isGreaterThanOrEqualTo(28);
  }

  private static long accepted(JsonObject stats) {
    return outcome(stats, "accepted");
  }

  @Test
  @Order(6)
  void aRateLimitedProjectsRefusalsShowInStats() throws Exception {
    io.lookout.processors.cli.ProjectAdmin.ProjectInfo limited = new io.lookout.processors.cli.ProjectAdmin(stack.pool)
        .createProject(E2eStack.ORG, "limited", null, null).await(30, TimeUnit.SECONDS);
    stack.pool.preparedQuery("UPDATE project_keys SET rate_limit_count = 1, rate_limit_window_s = 3600 "
        + "WHERE project_id = $1").execute(io.vertx.sqlclient.Tuple.of(limited.projectId())).await(30, TimeUnit.SECONDS);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    int refused = 0;
    for (int i = 0; i < 5; i++) {
      String event = new JsonObject().put("event_id", UUID.randomUUID().toString().replace("-", ""))
          .put("message", "limited " + i).put("platform", "java").encode();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl(
              "/api/" + limited.projectId() + "/store/?sentry_key=" + limited.publicKey())))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(event, StandardCharsets.UTF_8))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 429) {
        refused++;
      }
    }
    assertThat(refused).as("429s of a key allowing 1 event per hour").isEqualTo(4);
    String path = "/api/0/organizations/" + E2eStack.ORG + "/stats_v2/?field=sum(quantity)&groupBy=outcome"
        + "&category=error&statsPeriod=1d&interval=1h&project=" + limited.projectId();
    JsonObject stats = ApiClient.poll(() -> api.object(path), s -> outcome(s, "rate_limited") >= 4);
    assertThat(outcome(stats, "rate_limited")).isEqualTo(4);
  }

  private static long outcome(JsonObject stats, String name) {
    for (Object g : stats.getJsonArray("groups")) {
      JsonObject group = (JsonObject) g;
      if (name.equals(group.getJsonObject("by").getString("outcome"))) {
        return group.getJsonObject("totals").getLong("sum(quantity)");
      }
    }
    return 0;
  }

  @Test
  @Order(7)
  void issueListStillCountsEveryEvent() throws Exception {
    JsonArray issues = api.array(ISSUES + "?query=");
    long total = issues.stream().mapToLong(i -> Long.parseLong(((JsonObject) i).getString("count"))).sum();
    assertThat(total).isEqualTo(29);
  }
}

package io.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.ProcessorsMain;
import io.lookout.processors.ProcessorsMain.Role;
import io.lookout.processors.analytics.AnalyticsQueries;
import io.lookout.processors.config.ProcessorsConfig;
import io.lookout.processors.postprocess.RuleParser;
import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.lookout.processors.api.ApiServer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety of the analytics side: the analytics consumer runs as its own process and is killed
 * with SIGKILL in the middle of a steady stream, then restarted. Afterwards ClickHouse holds every
 * accepted event exactly once (in query results), and the post-process forwarder, following the
 * commit log, never alerted on an event before it was queryable in ClickHouse.
 */
class AnalyticsCrashIT {

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsCrashIT.class);
  private static final int PER_SECOND = 150;
  private static final int SECONDS = 10;
  private static final int ISSUES = 20;

  /** A webhook as it arrived, and whether its event was in ClickHouse at that moment. */
  private record Alert(String eventId, boolean inClickHouse) {
  }

  @Test
  void killingTheAnalyticsConsumerLosesAndDuplicatesNothingAndPostProcessWaitsForIt() throws Exception {
    try (E2eStack stack = E2eStack.create()) {
      stack.startGateway();
      String id = stack.id;
      ClickHouseConfig clickhouseConfig = stack.storage.clickhouse().withDatabase("it_crash_" + id);
      ClickHouseMigrator.create(stack.vertx, clickhouseConfig).migrate().await(120, TimeUnit.SECONDS);
      ClickHouseWriter clickhouse = ClickHouseWriter.create(stack.vertx, clickhouseConfig);
      AnalyticsQueries queries = new AnalyticsQueries(clickhouse);
      StorageConfig storage = new StorageConfig(stack.storage.stateDir(), stack.storage.postgres(),
          stack.storage.redis(), stack.storage.rabbitmq(), clickhouseConfig, stack.storage.kafka(),
          stack.storage.nodestore());
      String analyticsGroup = "it-an-" + id;

      List<Alert> alerts = new CopyOnWriteArrayList<>();
      HttpServer receiver = stack.vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        String eventId = body.toJsonObject().getJsonObject("event").getString("event_id");
        // answered at once: a receiver slower than post_process.webhook.timeout_ms (a ClickHouse query
        // on a loaded machine) gets the alert again, as any webhook would
        request.response().setStatusCode(200).end();
        // asked at the moment the alert arrives: was the event already queryable?
        queries.errorRow(stack.projectId(), eventId).onComplete(row ->
            alerts.add(new Alert(eventId, row.succeeded() && row.result() != null)));
      })).listen(0, "127.0.0.1").await(30, TimeUnit.SECONDS);

      // in this process: ingest and save (inline), the forwarder and the rules; the analytics consumer is not here
      JsonObject json = stack.processorsJson("inline")
          .put("analytics", new JsonObject().put("group", analyticsGroup))
          .put("post_process", new JsonObject().put("group", "it-pp-" + id)
              .put("synchronize_commit_group", analyticsGroup).put("rules_cache_ttl_ms", 100));
      ProcessorsConfig config = ProcessorsConfig.fromJson(json);
      ProcessorsMain.Plan all = ProcessorsMain.Plan.parse(new String[0], config);
      ProcessorsMain processors = ProcessorsMain.start(stack.vertx, config, storage,
          new ProcessorsMain.Plan(all.consumers(), List.of(), null, false, Map.of(Role.POST_PROCESS, 1)),
          stack.topicPrefix::concat).await(180, TimeUnit.SECONDS);
      ApiServer server = new ApiServer(config.api(), processors.services().pool(), processors.services().nodestore());
      String api = stack.vertx.deployVerticle(server).await(60, TimeUnit.SECONDS);
      ApiClient client = new ApiClient(server.actualPort(), stack.createToken());
      JsonObject rule = new JsonObject().put("name", "new issues").put("actionMatch", "all").put("filterMatch", "all")
          .put("frequency", 5).put("conditions", new JsonArray().add(new JsonObject().put("id", RuleParser.FIRST_SEEN)))
          .put("filters", new JsonArray()).put("actions", new JsonArray().add(new JsonObject()
              .put("id", RuleParser.NOTIFY_EVENT_SERVICE).put("service", "webhooks")
              .put("url", "http://127.0.0.1:" + receiver.actualPort() + "/hook")));
      HttpResponse<byte[]> created = client.send("POST", "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT
          + "/rules/", rule.encode());
      assertThat(created.statusCode()).as(ApiClient.text(created)).isEqualTo(201);

      // the analytics consumer in a process of its own, configured as an operator would
      Map<String, String> env = new HashMap<>();
      env.put("LOOKOUT_STORAGE__POSTGRES__SCHEMA", stack.schema);
      env.put("LOOKOUT_STORAGE__REDIS__KEY_PREFIX", stack.redisPrefix);
      env.put("LOOKOUT_STORAGE__CLICKHOUSE__DATABASE", clickhouseConfig.database());
      env.put("LOOKOUT_PROCESSORS__PIPELINE__TOPIC_PREFIX", stack.topicPrefix);
      env.put("LOOKOUT_PROCESSORS__ANALYTICS__GROUP", analyticsGroup);
      env.put("LOOKOUT_PROCESSORS__ANALYTICS__MAX_BATCH_TIME_MS", "300");
      env.put("LOOKOUT_PROCESSORS__ANALYTICS__SESSION_TIMEOUT_MS", "6000");
      env.put("LOOKOUT_PROCESSORS__ADMIN__PORT", "0");
      Path log = Path.of("target", "e2e-logs", "analytics-" + id + ".log");
      ProcessorsProcess analytics = ProcessorsProcess.start(env, log, "--consumer", "events").awaitRunning();

      EventStream stream = new EventStream(stack, PER_SECOND, SECONDS, ISSUES, 32);
      Thread sender = new Thread(stream, "e2e-stream");
      try {
        sender.start();
        awaitCondition("a third of the stream in ClickHouse", () -> count(queries, stack) >= stream.total() / 3);
        analytics.kill();
        LOG.info("killed the analytics consumer: {} sent, {} in ClickHouse", stream.sent(), count(queries, stack));
        analytics = ProcessorsProcess.start(env, log, "--consumer", "events").awaitRunning();

        sender.join(TimeUnit.SECONDS.toMillis(SECONDS * 6L));
        assertThat(stream.done()).as("the stream finished").isTrue();
        long accepted = stream.accepted.size();
        assertThat(accepted).isGreaterThan(stream.total() / 2);
        awaitCondition("every accepted event in ClickHouse", () -> count(queries, stack) >= accepted);
        assertThat(count(queries, stack)).as("distinct events in ClickHouse").isEqualTo(accepted);
        awaitCondition("one alert per issue", () -> alerts.size() >= ISSUES);
        TimeUnit.SECONDS.sleep(1);
        assertThat(alerts).as("new-issue alerts").hasSize(ISSUES);
        assertThat(alerts).as("alerts on events not yet in ClickHouse").allMatch(Alert::inClickHouse);
      } finally {
        sender.interrupt();
        analytics.stop();
        stack.vertx.undeploy(api).await(30, TimeUnit.SECONDS);
        processors.stop().await(60, TimeUnit.SECONDS);
        receiver.close().await(10, TimeUnit.SECONDS);
        ClickHouseWriter system = ClickHouseWriter.create(stack.vertx, clickhouseConfig.withDatabase("system"));
        clickhouse.close().compose(v -> system.execute("DROP DATABASE IF EXISTS " + clickhouseConfig.database()))
            .eventually(system::close).await(60, TimeUnit.SECONDS);
      }
    }
  }

  private static long count(AnalyticsQueries queries, E2eStack stack) {
    try {
      return queries.countErrors(stack.projectId()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1;
    }
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}

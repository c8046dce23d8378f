package io.lookout.processors.postprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.broker.BrokerConfig;
import io.lookout.processors.broker.TaskBroker;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.lookout.storage.nodestore.Node;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Alerts end to end on the real services: eventstream inserts go onto a prefixed {@code events}
 * topic, the test plays the analytics consumer by publishing commits to the commit log, the
 * forwarder (and, with the broker transport, a {@code post_process_errors} worker) runs the rules
 * stored in a Postgres schema of its own, counts in Redis under a prefix of its own, and the alerts
 * arrive at a real HTTP receiver and a small SMTP receiver in the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AlertsItBase {

  private static final String GROUP = "snuba-consumers";

  private Vertx vertx;
  private Pool pool;
  private RedisConnector redis;
  private Nodestore nodestore;
  private String schema;
  private KafkaTestSupport kafka;
  private HttpServer receiver;
  private ServerSocket smtp;
  private TaskBroker broker;
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private final Map<String, List<JsonObject>> hooks = new ConcurrentHashMap<>();
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private final List<String> mails = new CopyOnWriteArrayList<>();
  private RuleStore rules;
  private long orgId;
  private long projectId;
  private int shortIds;

  /** True: the forwarder post-processes itself; false: tasks on the broker (Redis lists) and a worker. */
  abstract boolean inline();

  @BeforeAll
  void start() throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    schema = "it_alerts_" + id;
    StorageConfig base = StorageConfig.load();
    StorageConfig storage = new StorageConfig(base.stateDir(), base.postgres().withSchema(schema),
        base.redis().withKeyPrefix("it:" + id + ":"), base.rabbitmq(), base.clickhouse(), base.kafka(),
        base.nodestore());
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, storage.postgres());
    PostgresMigrator.migrate(pool, schema).await(60, TimeUnit.SECONDS);
    redis = RedisConnector.create(vertx, storage.redis());
    nodestore = Nodestore.create(vertx, pool, storage.nodestore());
    kafka = new KafkaTestSupport(storage, "it-" + id + "-", List.of("events", "snuba-commit-log"));
    orgId = one("INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme') RETURNING id");

    receiver = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (req.path().equals("/flaky") && flakyCalls.incrementAndGet() == 1) {
        req.response().setStatusCode(503).end();
        return;
      }
      hooks.computeIfAbsent(req.path(), p -> new CopyOnWriteArrayList<>()).add(body.toJsonObject());
      req.response().end("ok");
    }));
    receiver.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    smtp = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    Thread smtpThread = new Thread(this::serveSmtp, "it-smtp");
    smtpThread.setDaemon(true);
    smtpThread.start();

    PostProcessConfig config = PostProcessConfig.fromJson(new JsonObject()
        .put("group", "it-" + id + "-forwarder").put("poll_timeout_ms", 50).put("rules_cache_ttl_ms", 1)
        .put("issue_url_prefix", "http://lookout.test")
        .put("webhook", new JsonObject().put("retry_delay_ms", 50).put("timeout_ms", 5000))
        .put("smtp", new JsonObject().put("port", smtp.getLocalPort()).put("from", "alerts@lookout.test")
            .put("start_tls", "DISABLED")));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PostProcessing services = PostProcessing.create(config, pool, redis, nodestore, registry);
    rules = services.rules();
    Supplier<Future<TaskBroker>> brokers = () -> {
      if (broker == null) {
        broker = TaskBroker.create(vertx, BrokerConfig.fromJson(new JsonObject().put("transport", "redis")
            .put("queue_prefix", "it-" + id + ".").put("max_attempts", 3).put("retry_delay_ms", 100)
            .put("redis_poll_timeout_ms", 100)), storage, registry);
        return broker.start().map(broker);
      }
      return Future.succeededFuture(broker);
    };
    if (!inline()) {
      deployments.add(vertx.deployVerticle(new PostProcessWorkerVerticle(services, brokers, 8))
          .await(30, TimeUnit.SECONDS));
    }
    deployments.add(vertx.deployVerticle(new PostProcessForwarderVerticle(services, inline(),
        storage.kafka().bootstrapServers(), name -> kafka.prefix + name, brokers, 0)).await(30, TimeUnit.SECONDS));
  }

  @AfterAll
  void stop() throws Exception {
    for (String d : deployments) {
      vertx.undeploy(d).await(30, TimeUnit.SECONDS);
    }
    if (broker != null) {
      broker.close().await(30, TimeUnit.SECONDS);
    }
    kafka.close();
    smtp.close();
    deleteRedisKeys();
    receiver.close().await(10, TimeUnit.SECONDS);
    pool.query("DROP SCHEMA " + schema + " CASCADE").execute().await(30, TimeUnit.SECONDS);
    redis.close().await(10, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** Every key under this class's prefix: counters, markers, the broker's lists. */
  private void deleteRedisKeys() throws Exception {
    String cursor = "0";
    do {
      io.vertx.redis.client.Response page = redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.SCAN)
          .arg(cursor).arg("MATCH").arg(redis.key("*")).arg("COUNT").arg(1000)).await(10, TimeUnit.SECONDS);
      cursor = page.get(0).toString();
      io.vertx.redis.client.Response keys = page.get(1);
      if (keys.size() > 0) {
        io.vertx.redis.client.Request del = io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL);
        for (io.vertx.redis.client.Response key : keys) {
          del.arg(key.toString());
        }
        redis.send(del).await(10, TimeUnit.SECONDS);
      }
    } while (!cursor.equals("0"));
  }

  @BeforeEach
  void project() throws Exception {
    projectId = one("INSERT INTO projects (organization_id, slug, name) VALUES ($1, $2, 'Backend') RETURNING id",
        orgId, "p" + UUID.randomUUID().toString().substring(0, 8));
  }

  // --- helpers -----------------------------------------------------------------------------------

  private long one(String sql, Object... args) throws Exception {
    return pool.preparedQuery(sql).execute(Tuple.from(args)).await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  long group(String title) throws Exception {
    return one("INSERT INTO groups (project_id, short_id, title, culprit, first_seen, last_seen)"
        + " VALUES ($1, $2, $3, 'app.Main in run', now(), now()) RETURNING id", projectId, (long) ++shortIds, title);
  }

  String url(String path) {
    return "http://127.0.0.1:" + receiver.actualPort() + path;
  }

  long rule(String name, String actionMatch, JsonArray conditions, JsonArray filters, JsonArray actions)
      throws Exception {
    JsonObject body = new JsonObject().put("name", name).put("actionMatch", actionMatch).put("frequency", 5)
        .put("conditions", conditions).put("filters", filters).put("actions", actions);
    return rules.create(projectId, RuleParser.parse(body)).await(10, TimeUnit.SECONDS).id();
  }

  JsonArray webhook(String path) {
    return new JsonArray().add(new JsonObject().put("id", RuleParser.NOTIFY_EVENT_SERVICE).put("service", "webhooks")
        .put("url", url(path)));
  }

  static JsonArray conditions(String... ids) {
    JsonArray out = new JsonArray();
    for (String id : ids) {
      out.add(new JsonObject().put("id", id));
    }
    return out;
  }

  static String eventId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** An eventstream insert as the save stage publishes it. */
  byte[] insert(String eventId, long groupId, boolean isNew, boolean isRegression, String level,
      Map<String, String> tags) {
    JsonArray pairs = new JsonArray();
    tags.forEach((k, v) -> pairs.add(new JsonArray().add(k).add(v)));
    JsonObject data = new JsonObject().put("event_id", eventId).put("level", level).put("platform", "java")
        .put("environment", "production").put("tags", pairs).put("title", "Boom").put("culprit", "app.Main in run");
    EventStreamInsert insert = new EventStreamInsert(new EventStreamInsert.Event(eventId, projectId, orgId, groupId,
        List.of(groupId), "boom happened", "java", Instant.now(), data, "a".repeat(32), 90, null, null),
        new EventStreamInsert.State(isNew, isRegression, false, EventStreamInsert.QUEUE_POST_PROCESS_ERRORS, false,
            null));
    return EventStreamCodec.encode(insert);
  }

  /** Publishes the eventstream message and, as the analytics consumer would after writing it, its commit. */
  void publish(byte[] message) throws Exception {
    long offset = kafka.send("events", Long.toString(projectId).getBytes(StandardCharsets.UTF_8), message);
    kafka.commit("events", 0, GROUP, offset + 1);
  }

  List<JsonObject> received(String path, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (hooks.getOrDefault(path, List.of()).size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return List.copyOf(hooks.getOrDefault(path, List.of()));
  }

  static List<String> issueIds(List<JsonObject> payloads) {
    return payloads.stream().map(p -> p.getString("id")).toList();
  }

  // --- tests -------------------------------------------------------------------------------------

  @Test
  void newIssueRuleFiresItsWebhookOnceEvenWhenReplayed() throws Exception {
    String path = "/new-" + projectId;
    rule("new issues", "any", conditions(RuleParser.FIRST_SEEN), new JsonArray(), webhook(path));
    long g1 = group("first");
    String e1 = eventId();
    nodestore.putMany(List.of(Node.of(projectId, e1, Instant.now(), new JsonObject().put("event_id", e1)
        .put("platform", "java").put("message", "stored body").encode().getBytes(StandardCharsets.UTF_8))))
        .await(10, TimeUnit.SECONDS);
    byte[] message = insert(e1, g1, true, false, "error", Map.of("server", "web-1"));
    publish(message);
    List<JsonObject> first = received(path, 1);
    assertThat(first).hasSize(1);
    JsonObject payload = first.get(0);
    assertThat(payload.getString("id")).isEqualTo(Long.toString(g1));
    assertThat(payload.getJsonArray("triggering_rules")).containsExactly("new issues");
    assertThat(payload.getString("culprit")).isEqualTo("app.Main in run");
    assertThat(payload.getString("url")).isEqualTo("http://lookout.test/organizations/acme/issues/" + g1
        + "/?referrer=webhooks_plugin");
    assertThat(payload.getJsonObject("event").getString("event_id")).isEqualTo(e1);
    assertThat(payload.getJsonObject("event").getString("message")).isEqualTo("stored body");

    // the forwarder replays the same eventstream messages (a restart before its commit)
    publish(message);
    publish(message);
    // the sentinel: a later new issue; once its alert is in, the replays have been processed
    long g2 = group("second");
    publish(insert(eventId(), g2, true, false, "error", Map.of()));
    List<JsonObject> all = received(path, 2);
    assertThat(issueIds(all)).containsExactlyInAnyOrder(Long.toString(g1), Long.toString(g2));
    assertThat(one("SELECT count(*) FROM alert_rule_fire_history WHERE event_id = $1", e1)).isEqualTo(1);
  }

  @Test
  void regressionRuleFiresOnRegressionOnly() throws Exception {
    String path = "/regression-" + projectId;
    rule("regressions", "all", conditions(RuleParser.REGRESSION), new JsonArray(), webhook(path));
    long g = group("flapping");
    publish(insert(eventId(), g, true, false, "error", Map.of()));
    publish(insert(eventId(), g, false, false, "error", Map.of()));
    String regressed = eventId();
    publish(insert(regressed, g, false, true, "error", Map.of()));
    long sentinel = group("other");
    publish(insert(eventId(), sentinel, false, true, "error", Map.of()));
    List<JsonObject> alerts = received(path, 2);
    // broker tasks run concurrently: the two alerts may arrive in either order
    assertThat(issueIds(alerts)).containsExactlyInAnyOrder(Long.toString(g), Long.toString(sentinel));
    JsonObject ofG = alerts.stream().filter(a -> a.getString("id").equals(Long.toString(g))).findFirst().orElseThrow();
    assertThat(ofG.getJsonObject("event").getString("event_id")).isEqualTo(regressed);
  }

  @Test
  void frequencyRuleFiresOncePerIntervalDuringAFlood() throws Exception {
    String path = "/flood-" + projectId;
    String sentinelPath = "/flood-sentinel-" + projectId;
    rule("more than 5 in a minute", "all", new JsonArray().add(new JsonObject().put("id", RuleParser.EVENT_FREQUENCY)
        .put("value", 5).put("interval", "1m")), new JsonArray(), webhook(path));
    rule("sentinel", "all", conditions(RuleParser.FIRST_SEEN), new JsonArray(), webhook(sentinelPath));
    long g = group("flood");
    for (int i = 0; i < 30; i++) {
      publish(insert(eventId(), g, i == 0, false, "error", Map.of()));
    }
    long sentinel = group("after the flood");
    publish(insert(eventId(), sentinel, true, false, "error", Map.of()));
    assertThat(issueIds(received(sentinelPath, 2))).containsExactlyInAnyOrder(Long.toString(g), Long.toString(sentinel));
    assertThat(issueIds(received(path, 1))).containsExactly(Long.toString(g));
  }

  @Test
  void levelAndTagFiltersPickTheEvents() throws Exception {
    String path = "/filtered-" + projectId;
    String allPath = "/unfiltered-" + projectId;
    rule("prod errors", "all", conditions(RuleParser.FIRST_SEEN), new JsonArray()
        .add(new JsonObject().put("id", RuleParser.LEVEL).put("match", "gte").put("level", "40"))
        .add(new JsonObject().put("id", RuleParser.TAGGED).put("key", "server").put("match", "sw").put("value", "prod")),
        webhook(path));
    rule("everything new", "all", conditions(RuleParser.FIRST_SEEN), new JsonArray(), webhook(allPath));
    long warning = group("warning on prod");
    long staging = group("error on staging");
    long prod = group("error on prod");
    long untagged = group("fatal without tag");
    publish(insert(eventId(), warning, true, false, "warning", Map.of("server", "prod-1")));
    publish(insert(eventId(), staging, true, false, "error", Map.of("server", "staging-1")));
    publish(insert(eventId(), prod, true, false, "error", Map.of("server", "prod-2")));
    publish(insert(eventId(), untagged, true, false, "fatal", Map.of()));
    assertThat(received(allPath, 4)).hasSize(4);
    assertThat(issueIds(received(path, 1))).containsExactly(Long.toString(prod));
  }

  @Test
  void aFailedWebhookIsRetried() throws Exception {
    rule("flaky receiver", "all", conditions(RuleParser.FIRST_SEEN), new JsonArray(), webhook("/flaky"));
    long g = group("retried");
    publish(insert(eventId(), g, true, false, "error", Map.of()));
    assertThat(issueIds(received("/flaky", 1))).containsExactly(Long.toString(g));
    assertThat(flakyCalls.get()).isEqualTo(2);
  }

  @Test
  void emailGoesThroughSmtp() throws Exception {
    rule("mail me", "all", conditions(RuleParser.FIRST_SEEN), new JsonArray(), new JsonArray()
        .add(new JsonObject().put("id", RuleParser.NOTIFY_EMAIL).put("targetType", "Member")
            .put("targetIdentifier", "ops@example.com")));
    long g = group("Mailed issue " + projectId);
    publish(insert(eventId(), g, true, false, "error", Map.of()));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (mails.stream().noneMatch(m -> m.contains("Mailed issue " + projectId)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    String mail = mails.stream().filter(m -> m.contains("Mailed issue " + projectId)).findFirst().orElseThrow();
    assertThat(mail).contains("RCPT TO:<ops@example.com>", "MAIL FROM:<alerts@lookout.test>", "Subject: [Lookout]",
        "Alert rule \"mail me\"");
  }

  /** Just enough SMTP for one client at a time: no extensions, every command accepted. */
  private void serveSmtp() {
    while (!smtp.isClosed()) {
      try (Socket socket = smtp.accept()) {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        OutputStream out = socket.getOutputStream();
        StringBuilder transcript = new StringBuilder();
        out.write("220 localhost test SMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        String line;
        while ((line = in.readLine()) != null) {
          transcript.append(line).append('\n');
          String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(java.util.Locale.ROOT) : line;
          String reply;
          if (command.equals("DATA")) {
            out.write("354 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
            while ((line = in.readLine()) != null && !line.equals(".")) {
              transcript.append(line).append('\n');
            }
            mails.add(transcript.toString());
            reply = "250 queued";
          } else if (command.equals("QUIT")) {
            out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
            break;
          } else if (command.equals("EHLO") || command.equals("HELO")) {
            reply = "250 localhost";
          } else {
            reply = "250 OK";
          }
          out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (Exception e) {
        // the server socket closed at the end of the tests, or a client went away
      }
    }
  }
}

package io.lookout.processors.monitors;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.api.ApiConfig;
import io.lookout.processors.api.ApiServer;
import io.lookout.processors.api.ApiTokens;
import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.processors.save.EventSaver;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.CheckInMessage;
import io.lookout.storage.kafka.message.ClockPulseMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Check-ins through a real Kafka topic into a real Postgres schema; the scheduler's sweep is called
 * with a made-up "now", so nothing waits for a schedule to pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorsIT {

  private Vertx vertx;
  private Pool pool;
  private String schema;
  private String prefix;
  private BatchProducer batchProducer;
  private KafkaProducer<byte[], byte[]> producer;
  private MonitorsVerticle verticle;
  private ApiServer api;
  private String token;
  private long projectId;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() throws Exception {
    schema = uniqueName("it_mon");
    prefix = uniqueName("it-mon") + "-";
    StorageConfig storage = StorageConfig.load();
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, storage.postgres().withSchema(schema));
    await(PostgresMigrator.migrate(pool, schema));
    String topic = prefix + Topics.INGEST_MONITORS;
    TopicProvisioner.provisionBlocking(storage.kafka(), Map.of(topic, new KafkaConfig.TopicConfig(1, -1),
        topic + "-dlq", new KafkaConfig.TopicConfig(1, -1)));
    projectId = await(new ProjectAdmin(pool).createProject("acme", "crons", null, null)).projectId();
    token = ApiTokens.newToken();
    await(pool.preparedQuery("INSERT INTO api_tokens (token_hash, label) VALUES ($1, 'it')")
        .execute(io.vertx.sqlclient.Tuple.of(ApiTokens.sha256(token))));

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    batchProducer = new BatchProducer(vertx, props);
    EventSaver saver = new EventSaver(pool, Nodestore.create(vertx, pool, storage.nodestore()), 100, registry);
    MonitorsConfig config = MonitorsConfig.fromJson(new JsonObject().put("group", prefix + "group")
        .put("poll_timeout_ms", 50).put("sweep_interval_ms", 3_600_000));
    verticle = new MonitorsVerticle(config, pool, new ProjectRegistry(pool, 60_000, 100), saver::save, batchProducer,
        storage.kafka().bootstrapServers(), name -> prefix + name, registry);
    await(vertx.deployVerticle(verticle));
    api = await(ApiServer.deploy(vertx, ApiConfig.fromJson(new JsonObject().put("port", 0)), pool,
        Nodestore.create(vertx, pool, storage.nodestore())));

    Properties producerProps = new Properties();
    producerProps.put("bootstrap.servers", storage.kafka().bootstrapServers());
    producerProps.put("acks", "all");
    producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterAll
  void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    await(vertx.undeploy(verticle.deploymentID()));
    await(batchProducer.close());
    await(pool.query("DROP SCHEMA " + schema + " CASCADE").execute());
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void checkInWithConfigCreatesTheMonitorAndOkCompletesTheInProgressCheckIn() throws Exception {
    String slug = "nightly-" + UUID.randomUUID().toString().substring(0, 6);
    UUID id = UUID.randomUUID();
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JsonObject config = new JsonObject()
        .put("schedule", new JsonObject().put("type", "crontab").put("value", "0 * * * *"))
        .put("checkin_margin", 5).put("max_runtime", 30).put("timezone", "Europe/Vienna");
    send(new ClockPulseMessage());
    send(checkIn(new JsonObject().put("check_in_id", id.toString()).put("monitor_slug", slug)
        .put("status", "in_progress").put("environment", "prod").put("monitor_config", config), start));

    Row monitor = awaitRow("SELECT * FROM monitors WHERE slug = '" + slug + "'");
    Instant expected = start.truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    assertThat(monitor.getOffsetDateTime("next_checkin").toInstant()).isEqualTo(expected);
    assertThat(monitor.getOffsetDateTime("next_checkin_latest").toInstant()).isEqualTo(expected.plus(5, ChronoUnit.MINUTES));
    assertThat(monitor.getOffsetDateTime("last_checkin").toInstant()).isEqualTo(start);
    Row running = awaitRow("SELECT * FROM monitor_checkins WHERE guid = '" + id + "'");
    assertThat(running.getString("status")).isEqualTo("in_progress");
    assertThat(running.getOffsetDateTime("timeout_at").toInstant())
        .isEqualTo(start.truncatedTo(ChronoUnit.MINUTES).plus(30, ChronoUnit.MINUTES));

    send(checkIn(new JsonObject().put("check_in_id", id.toString().replace("-", "")).put("monitor_slug", slug)
        .put("status", "ok").put("duration", 2.5).put("environment", "prod"), start.plusSeconds(3)));
    Row done = awaitRow("SELECT * FROM monitor_checkins WHERE guid = '" + id + "' AND status = 'ok'");
    assertThat(done.getLong("duration_ms")).isEqualTo(2500L);
    assertThat(count("SELECT count(*) FROM monitor_checkins c JOIN monitors m ON m.id = c.monitor_id "
        + "WHERE m.slug = '" + slug + "'")).isEqualTo(1);

    // a replayed in_progress does not reopen the finished check-in
    send(checkIn(new JsonObject().put("check_in_id", id.toString()).put("monitor_slug", slug)
        .put("status", "in_progress"), start));
    String sentinel = slug + "-sentinel";
    send(checkIn(new JsonObject().put("monitor_slug", sentinel).put("status", "ok").put("monitor_config", config), start));
    awaitRow("SELECT * FROM monitors WHERE slug = '" + sentinel + "'");
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE guid = '" + id + "' AND status = 'ok'")).isEqualTo(1);

    JsonArray monitors = new JsonArray(get("/api/0/organizations/acme/monitors/"));
    JsonObject listed = monitors.stream().map(JsonObject.class::cast).filter(m -> slug.equals(m.getString("slug")))
        .findFirst().orElseThrow();
    assertThat(listed.getJsonObject("config").getString("schedule")).isEqualTo("0 * * * *");
    assertThat(listed.getJsonObject("config").getString("schedule_type")).isEqualTo("crontab");
    assertThat(listed.getJsonObject("project").getString("slug")).isEqualTo("crons");
    JsonObject env = listed.getJsonArray("environments").getJsonObject(0);
    assertThat(env.getString("name")).isEqualTo("prod");
    assertThat(env.getString("status")).isEqualTo("ok");
    assertThat(env.getString("nextCheckIn")).startsWith(expected.toString().substring(0, 16));
    JsonArray checkins = new JsonArray(get("/api/0/organizations/acme/monitors/" + slug + "/checkins/"));
    assertThat(checkins).hasSize(1);
    assertThat(checkins.getJsonObject(0).getString("id")).isEqualTo(id.toString());
    assertThat(checkins.getJsonObject(0).getString("status")).isEqualTo("ok");
    assertThat(checkins.getJsonObject(0).getLong("duration")).isEqualTo(2500L);
  }

  @Test
  void aMonitorThatMissesItsScheduleIsMarkedMissedAndGetsAnIssue() throws Exception {
    String slug = "every-minute-" + UUID.randomUUID().toString().substring(0, 6);
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    send(checkIn(new JsonObject().put("monitor_slug", slug).put("status", "ok").put("monitor_config",
        new JsonObject().put("schedule", new JsonObject().put("type", "interval").put("value", 1).put("unit", "minute"))),
        start));
    Row monitor = awaitRow("SELECT * FROM monitors WHERE slug = '" + slug + "' AND last_checkin IS NOT NULL");
    long monitorId = monitor.getLong("id");
    Instant due = start.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
    assertThat(monitor.getOffsetDateTime("next_checkin").toInstant()).isEqualTo(due);

    // not yet late: one second before the margin ends
    await(verticle.scheduler().sweep(due.plus(1, ChronoUnit.MINUTES).minusSeconds(1)));
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE monitor_id = " + monitorId
        + " AND status = 'missed'")).isZero();

    Instant now = due.plus(5, ChronoUnit.MINUTES);
    await(verticle.scheduler().sweep(now));
    Row missed = awaitRow("SELECT * FROM monitor_checkins WHERE monitor_id = " + monitorId + " AND status = 'missed'");
    assertThat(missed.getOffsetDateTime("date_added").toInstant()).isEqualTo(due);
    assertThat(missed.getBoolean("needs_issue")).isFalse();
    Row moved = awaitRow("SELECT * FROM monitors WHERE id = " + monitorId);
    assertThat(moved.getOffsetDateTime("next_checkin").toInstant()).isAfter(now);

    // the default thresholds: one failure opens the incident, which the missed check-in begins
    Row issue = awaitRow("SELECT g.* FROM groups g JOIN group_hashes h ON h.group_id = g.id WHERE h.hash = '"
        + MonitorIssues.issueHash(monitorId, missed.getLong("id")) + "'");
    assertThat(issue.getString("title")).isEqualTo("Cron failure: " + slug);
    assertThat(issue.getString("culprit")).isEqualTo(slug);
    assertThat(issue.getString("message")).isEqualTo("Missed check-in");
    assertThat(issue.getLong("times_seen")).isEqualTo(1L);
    assertThat(issue.getLong("project_id")).isEqualTo(projectId);

    // the same "now" again: nothing more is missed, the issue is not counted twice
    await(verticle.scheduler().sweep(now));
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE monitor_id = " + monitorId
        + " AND status = 'missed'")).isEqualTo(1);
    assertThat(count("SELECT times_seen FROM groups WHERE id = " + issue.getLong("id"))).isEqualTo(1);

    // an error check-in joins the same issue: the incident is still open
    send(checkIn(new JsonObject().put("monitor_slug", slug).put("status", "error"), start.plusSeconds(400)));
    awaitRow("SELECT * FROM monitor_checkins WHERE monitor_id = " + monitorId + " AND status = 'error'");
    await(verticle.scheduler().sweep(now));
    assertThat(count("SELECT times_seen FROM groups WHERE id = " + issue.getLong("id"))).isEqualTo(2);
  }

  @Test
  void anInProgressCheckInPastItsMaxRuntimeTimesOut() throws Exception {
    String slug = "slow-" + UUID.randomUUID().toString().substring(0, 6);
    UUID id = UUID.randomUUID();
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    send(checkIn(new JsonObject().put("check_in_id", id.toString()).put("monitor_slug", slug)
        .put("status", "in_progress").put("monitor_config", new JsonObject()
            .put("schedule", new JsonObject().put("type", "interval").put("value", 1).put("unit", "day"))
            .put("max_runtime", 2)), start));
    Row running = awaitRow("SELECT * FROM monitor_checkins WHERE guid = '" + id + "'");
    Instant timeoutAt = running.getOffsetDateTime("timeout_at").toInstant();
    assertThat(timeoutAt).isEqualTo(start.truncatedTo(ChronoUnit.MINUTES).plus(2, ChronoUnit.MINUTES));

    await(verticle.scheduler().sweep(timeoutAt.minusSeconds(1)));
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE guid = '" + id + "' AND status = 'timeout'")).isZero();
    await(verticle.scheduler().sweep(timeoutAt.plusSeconds(1)));
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE guid = '" + id + "' AND status = 'timeout'"))
        .isEqualTo(1);
    long monitorId = running.getLong("monitor_id");
    Row issue = awaitRow("SELECT g.* FROM groups g JOIN group_hashes h ON h.group_id = g.id WHERE h.hash = '"
        + MonitorIssues.issueHash(monitorId, running.getLong("id")) + "'");
    assertThat(issue.getString("message")).isEqualTo("Check-in exceeded maximum duration of 2 minutes");

    // the job's late ok does not undo the timeout
    send(checkIn(new JsonObject().put("check_in_id", id.toString()).put("monitor_slug", slug).put("status", "ok"),
        start.plusSeconds(300)));
    String sentinel = slug + "-sentinel";
    send(checkIn(new JsonObject().put("monitor_slug", sentinel).put("status", "ok").put("monitor_config",
        new JsonObject().put("schedule", "0 0 * * *")), start));
    awaitRow("SELECT * FROM monitors WHERE slug = '" + sentinel + "'");
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE guid = '" + id + "' AND status = 'timeout'"))
        .isEqualTo(1);
  }

  @Test
  void anIncidentNeedsFailureIssueThresholdFailuresInARowAndEndsAfterRecoveryThresholdOks() throws Exception {
    String slug = "thresholds-" + UUID.randomUUID().toString().substring(0, 6);
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JsonObject config = new JsonObject()
        .put("schedule", new JsonObject().put("type", "interval").put("value", 1).put("unit", "day"))
        .put("failure_issue_threshold", 2).put("recovery_threshold", 2);
    Instant sweepAt = start.plus(1, ChronoUnit.HOURS);
    long monitorId = finish(slug, "error", start, config, sweepAt);
    String issues = "SELECT count(*) FROM groups WHERE title = 'Cron failure: " + slug + "'";
    assertThat(count(issues)).as("one failure of two").isZero();
    assertThat(environmentStatus(slug)).as("below the threshold").isEqualTo("ok");

    finish(slug, "ok", start.plusSeconds(60), null, sweepAt);
    finish(slug, "error", start.plusSeconds(120), null, sweepAt);
    assertThat(count(issues)).as("the ok broke the streak").isZero();
    assertThat(count("SELECT count(*) FROM monitors WHERE id = " + monitorId + " AND incident_checkin_id IS NULL"))
        .isEqualTo(1);

    finish(slug, "error", start.plusSeconds(180), null, sweepAt);
    long incident = checkInId(monitorId, start.plusSeconds(120));
    Row issue = awaitRow("SELECT g.* FROM groups g JOIN group_hashes h ON h.group_id = g.id WHERE h.hash = '"
        + MonitorIssues.issueHash(monitorId, incident) + "'");
    assertThat(issue.getLong("times_seen")).as("both failures of the streak").isEqualTo(2L);
    assertThat(issue.getString("message")).isEqualTo("An error occurred during the latest check-in");
    assertThat(count("SELECT incident_checkin_id FROM monitors WHERE id = " + monitorId)).isEqualTo(incident);
    assertThat(environmentStatus(slug)).isEqualTo("error");

    finish(slug, "ok", start.plusSeconds(240), null, sweepAt);
    finish(slug, "error", start.plusSeconds(300), null, sweepAt);
    assertThat(count("SELECT times_seen FROM groups WHERE id = " + issue.getLong("id"))).isEqualTo(3);
    finish(slug, "ok", start.plusSeconds(360), null, sweepAt);
    assertThat(status(issue)).as("one ok of two").isEqualTo("unresolved");
    assertThat(environmentStatus(slug)).as("the incident goes on").isEqualTo("error");
    finish(slug, "ok", start.plusSeconds(420), null, sweepAt);
    assertThat(status(issue)).isEqualTo("resolved");
    assertThat(count("SELECT count(*) FROM monitors WHERE id = " + monitorId + " AND incident_checkin_id IS NULL"))
        .isEqualTo(1);
    assertThat(environmentStatus(slug)).isEqualTo("ok");

    // the next incident is an issue of its own; the resolved one stays resolved
    finish(slug, "error", start.plusSeconds(480), null, sweepAt);
    finish(slug, "error", start.plusSeconds(540), null, sweepAt);
    long next = checkInId(monitorId, start.plusSeconds(480));
    Row nextIssue = awaitRow("SELECT g.* FROM groups g JOIN group_hashes h ON h.group_id = g.id WHERE h.hash = '"
        + MonitorIssues.issueHash(monitorId, next) + "'");
    assertThat(nextIssue.getLong("id")).isNotEqualTo(issue.getLong("id"));
    assertThat(nextIssue.getLong("times_seen")).isEqualTo(2L);
    assertThat(status(issue)).isEqualTo("resolved");
    assertThat(count("SELECT count(*) FROM monitor_checkins WHERE monitor_id = " + monitorId + " AND needs_issue"))
        .isZero();
  }

  /**
   * Sends a finished check-in of {@code slug} received at {@code at}, waits until it is stored and
   * runs the scheduler (which evaluates it); answers the monitor's id.
   */
  private long finish(String slug, String status, Instant at, JsonObject config, Instant sweepAt) throws Exception {
    JsonObject payload = new JsonObject().put("monitor_slug", slug).put("status", status);
    if (config != null) {
      payload.put("monitor_config", config);
    }
    send(checkIn(payload, at));
    Row stored = awaitRow("SELECT c.* FROM monitor_checkins c JOIN monitors m ON m.id = c.monitor_id WHERE m.slug = '"
        + slug + "' AND c.date_added = '" + at + "'");
    await(verticle.scheduler().sweep(sweepAt));
    return stored.getLong("monitor_id");
  }

  private String environmentStatus(String slug) throws Exception {
    JsonArray monitors = new JsonArray(get("/api/0/organizations/acme/monitors/?limit=100"));
    return monitors.stream().map(JsonObject.class::cast).filter(m -> slug.equals(m.getString("slug"))).findFirst()
        .orElseThrow().getJsonArray("environments").getJsonObject(0).getString("status");
  }

  private long checkInId(long monitorId, Instant at) {
    return count("SELECT id FROM monitor_checkins WHERE monitor_id = " + monitorId + " AND date_added = '" + at + "'");
  }

  private String status(Row issue) {
    return await(pool.query("SELECT status FROM groups WHERE id = " + issue.getLong("id")).execute()).iterator().next()
        .getString(0);
  }

  static String uniqueName(String prefix) {
    return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  private CheckInMessage checkIn(JsonObject payload, Instant start) {
    return new CheckInMessage(payload.encode().getBytes(StandardCharsets.UTF_8), start.getEpochSecond(), "sentry.java/8",
        projectId, 90);
  }

  private void send(io.lookout.storage.kafka.message.IngestMessage message) throws Exception {
    producer.send(new ProducerRecord<>(prefix + Topics.INGEST_MONITORS, null, IngestCodec.encode(message)))
        .get(10, TimeUnit.SECONDS);
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.actualPort()
        + path)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  private long count(String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  /** The first row of {@code sql}, polled until there is one (60 s at most). */
  private Row awaitRow(String sql) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      RowSet<Row> rows = await(pool.query(sql).execute());
      if (rows.size() > 0) {
        return rows.iterator().next();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no row for " + sql);
      }
      Thread.sleep(100);
    }
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

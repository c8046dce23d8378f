package io.lookout.processors.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Node;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Retention against a Postgres schema and a ClickHouse database of this class's own. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CleanupIT {

  private static final Instant NOW = Instant.now();
  private static final Instant OLD = NOW.minus(200, ChronoUnit.DAYS);

  private Vertx vertx;
  private Pool pool;
  private String schema;
  private ClickHouseConfig chConfig;
  private ClickHouseWriter clickhouse;
  private ClickHouseWriter system;
  private Nodestore nodestore;
  private long projectId;

  @BeforeAll
  void start() {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    schema = "it_clean_" + id;
    StorageConfig storage = StorageConfig.load();
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, storage.postgres().withSchema(schema));
    await(PostgresMigrator.migrate(pool, schema));
    nodestore = Nodestore.create(vertx, pool, storage.nodestore());
    chConfig = storage.clickhouse().withDatabase("it_clean_" + id);
    system = ClickHouseWriter.create(vertx, chConfig.withDatabase("system"));
    await(ClickHouseMigrator.create(vertx, chConfig).migrate());
    clickhouse = ClickHouseWriter.create(vertx, chConfig);
    projectId = await(new ProjectAdmin(pool).createProject("acme", "cleanup", null, null)).projectId();
  }

  @AfterAll
  void stop() {
    await(system.execute("DROP DATABASE IF EXISTS " + chConfig.database()));
    await(system.close());
    await(clickhouse.close());
    await(pool.query("DROP SCHEMA " + schema + " CASCADE").execute());
    await(pool.close());
    await(vertx.close());
  }

  @Test
  void oldDataGoesAndRecentDataStays() {
    long oldGroup = group("old issue", OLD);
    long newGroup = group("new issue", NOW.minus(1, ChronoUnit.DAYS));
    long oldBlob = blob("old body", OLD);
    long newBlob = blob("new body", NOW);
    attachment(oldGroup, oldBlob, NOW.minus(2, ChronoUnit.DAYS)); // goes with its issue, however new
    attachment(newGroup, newBlob, NOW);
    attachment(null, blob("stray body", OLD), OLD); // goes by age
    report(OLD);
    report(NOW);
    long monitor = one("INSERT INTO monitors (organization_id, project_id, slug, name) SELECT organization_id, id,"
        + " 'job', 'job' FROM projects WHERE id = $1 RETURNING id", projectId);
    checkin(monitor, OLD);
    checkin(monitor, NOW);
    String oldEvent = UUID.randomUUID().toString().replace("-", "");
    String newEvent = UUID.randomUUID().toString().replace("-", "");
    await(nodestore.putMany(List.of(Node.of(projectId, oldEvent, OLD, "{}".getBytes(StandardCharsets.UTF_8)),
        Node.of(projectId, newEvent, NOW, "{}".getBytes(StandardCharsets.UTF_8)))));
    await(clickhouse.insert("outcomes_raw", List.of(outcome(OLD), outcome(NOW))));
    await(clickhouse.insert("errors", List.of(error(OLD, 90), error(NOW, 90))));

    Cleanup cleanup = new Cleanup(pool, nodestore, clickhouse, CleanupConfig.fromJson(new JsonObject()
        .put("batch_size", 1)), () -> NOW);
    Cleanup.Report dry = await(cleanup.run(90, true));
    assertThat(dry.issues()).isEqualTo(1);
    assertThat(dry.attachments()).isEqualTo(2);
    assertThat(dry.userReports()).isEqualTo(1);
    assertThat(dry.monitorCheckins()).isEqualTo(1);
    assertThat(dry.nodestorePartitions()).isEqualTo(1);
    // outcomes_hourly is fed by the materialized view: it has the old week too
    assertThat(dry.clickhousePartitions()).hasSize(3);
    assertThat(count("SELECT count(*) FROM groups")).isEqualTo(2);
    assertThat(ch("SELECT count() AS n FROM outcomes_raw")).isEqualTo(2);

    // batch_size 1: every DELETE statement removes one row, and the loop goes on until none is left
    Cleanup.Report report = await(cleanup.run(90));
    assertThat(report.issues()).isEqualTo(1);
    assertThat(report.attachments()).isEqualTo(2);
    assertThat(report.fileBlobs()).isEqualTo(2);
    assertThat(report.nodestorePartitions()).isEqualTo(1);
    assertThat(report.clickhousePartitions()).hasSize(3);

    assertThat(count("SELECT count(*) FROM groups")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM groups WHERE id = " + newGroup)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM group_hashes")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM event_attachments")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM file_blobs")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM file_blobs WHERE id = " + newBlob)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM user_reports")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM monitor_checkins")).isEqualTo(1);
    assertThat(await(nodestore.getMany(List.of(Nodestore.nodeId(projectId, oldEvent),
        Nodestore.nodeId(projectId, newEvent))))).containsOnlyKeys(Nodestore.nodeId(projectId, newEvent));
    assertThat(ch("SELECT count() AS n FROM outcomes_raw")).isEqualTo(1);
    assertThat(ch("SELECT count() AS n FROM outcomes_raw WHERE timestamp > now() - 86400")).isEqualTo(1);
    assertThat(ch("SELECT count() AS n FROM errors")).isEqualTo(1);
    assertThat(ch("SELECT count() AS n FROM outcomes_hourly")).isEqualTo(1);

    // a second run finds nothing left to delete
    Cleanup.Report again = await(cleanup.run(90));
    assertThat(again.issues() + again.attachments() + again.userReports() + again.monitorCheckins()
        + again.fileBlobs() + again.nodestorePartitions()).isZero();
    assertThat(again.clickhousePartitions()).isEmpty();
  }

  @Test
  void partitionExpiryUsesTheWholeWeekAndTheOwnRetention() {
    java.time.LocalDate today = java.time.LocalDate.of(2024, 6, 30);
    // the week of Monday 2024-03-25 ends 2024-04-01, exactly 90 days before 2024-06-30
    assertThat(Cleanup.expired("'2024-03-25'", today, 90)).isTrue();
    assertThat(Cleanup.expired("'2024-03-26'", today, 90)).isFalse();
    assertThat(Cleanup.expired("(30,'2024-05-20')", today, 90)).isTrue();
    assertThat(Cleanup.expired("(90,'2024-05-20')", today, 90)).isFalse();
    assertThat(Cleanup.expired("2024-03-25", today, 90)).isTrue();
    assertThat(Cleanup.expired("tuple()", today, 90)).isFalse();
    assertThat(Cleanup.partitionExpression("2024-03-25")).isEqualTo("'2024-03-25'");
    assertThat(Cleanup.partitionExpression("(90,'2024-03-25')")).isEqualTo("(90, '2024-03-25')");
  }

  private long group(String title, Instant lastSeen) {
    OffsetDateTime seen = lastSeen.atOffset(ZoneOffset.UTC);
    long shortId = one("INSERT INTO project_counters (project_id, value) VALUES ($1, 1) ON CONFLICT (project_id) "
        + "DO UPDATE SET value = project_counters.value + 1 RETURNING value", projectId);
    long id = one("INSERT INTO groups (project_id, short_id, title, first_seen, last_seen) VALUES ($1, $2, $3, $4, $4)"
        + " RETURNING id", projectId, shortId, title, seen);
    String hash = UUID.randomUUID().toString().replace("-", "");
    one("INSERT INTO group_hashes (project_id, hash, group_id) VALUES ($1, $2, $3) RETURNING id", projectId, hash, id);
    return id;
  }

  private long blob(String body, Instant added) {
    String checksum = (UUID.randomUUID().toString().replace("-", "") + "00000000").substring(0, 40);
    return one("INSERT INTO file_blobs (checksum, size, data, date_added) VALUES ($1, $2, $3, $4) RETURNING id",
        checksum, (long) body.length(), io.vertx.core.buffer.Buffer.buffer(body), added.atOffset(ZoneOffset.UTC));
  }

  private void attachment(Long group, long blob, Instant added) {
    one("INSERT INTO event_attachments (project_id, event_id, group_id, name, size, blob_id, date_added) "
        + "VALUES ($1, $2, $3, 'a.txt', 1, $4, $5) RETURNING id", projectId,
        UUID.randomUUID().toString().replace("-", ""), group, blob, added.atOffset(ZoneOffset.UTC));
  }

  private void report(Instant added) {
    one("INSERT INTO user_reports (project_id, event_id, comments, date_added) VALUES ($1, $2, 'hi', $3) RETURNING id",
        projectId, UUID.randomUUID().toString().replace("-", ""), added.atOffset(ZoneOffset.UTC));
  }

  private void checkin(long monitor, Instant added) {
    one("INSERT INTO monitor_checkins (monitor_id, guid, project_id, status, date_added) VALUES ($1, $2, $3, 'ok', $4)"
        + " RETURNING id", monitor, UUID.randomUUID(), projectId, added.atOffset(ZoneOffset.UTC));
  }

  private static JsonObject outcome(Instant at) {
    return new JsonObject().put("org_id", 1).put("project_id", 1).put("timestamp", ClickHouseWriter.dateTime(at))
        .put("outcome", 0).put("category", 1).put("quantity", 1);
  }

  private static JsonObject error(Instant at, int retention) {
    return new JsonObject().put("project_id", 1).put("timestamp", ClickHouseWriter.dateTime(at))
        .put("event_id", UUID.randomUUID().toString()).put("primary_hash", "0".repeat(32))
        .put("received", ClickHouseWriter.dateTime(at)).put("retention_days", retention).put("deleted", 0);
  }

  private long ch(String sql) {
    return await(clickhouse.query(sql)).get(0).getLong("n");
  }

  private long count(String sql) {
    return await(pool.query(sql).execute()).iterator().next().getLong(0);
  }

  private long one(String sql, Object... args) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(args))).iterator().next().getLong(0);
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

package io.lookout.processors.save;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.processors.grouping.GroupingResult;
import io.lookout.processors.save.SaveItem.AttachmentFile;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.processors.save.SaveItem.UserReport;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresConfig;
import io.lookout.storage.postgres.PostgresMigrator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EventSaverIT {

  private static final String HASH_A = "a".repeat(32);
  private static final String HASH_B = "b".repeat(32);
  private static final String HASH_C = "c".repeat(32);

  private Pool pool;
  private String schema;
  private EventSaver saver;
  private Nodestore nodestore;
  private long projectId;
  private long orgId;

  @BeforeEach
  void migrate(Vertx vertx) throws Exception {
    schema = "it_save_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    StorageConfig storage = StorageConfig.load();
    PostgresConfig config = storage.postgres().withSchema(schema);
    pool = PgPools.create(vertx, config);
    PostgresMigrator.migrate(pool, schema).await(60, TimeUnit.SECONDS);
    projectId = new ProjectAdmin(pool).createProject("acme", "backend", null, null)
        .await(10, TimeUnit.SECONDS).projectId();
    orgId = pool.query("SELECT organization_id FROM projects").execute().await(10, TimeUnit.SECONDS)
        .iterator().next().getLong(0);
    nodestore = Nodestore.create(vertx, pool, storage.nodestore());
    saver = new EventSaver(pool, nodestore, 1000, new SimpleMeterRegistry());
  }

  @AfterEach
  void drop() throws Exception {
    pool.query("DROP SCHEMA " + schema + " CASCADE").execute().await(30, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
  }

  private static String eventId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private SaveItem error(String eventId, Instant ts, String level, String... hashes) {
    JsonObject event = new JsonObject().put("event_id", eventId).put("level", level)
        .put("platform", "java").put("release", "app@1.0").put("environment", "production")
        .put("timestamp", ts.toEpochMilli() / 1000.0);
    GroupingResult grouping = new GroupingResult(List.of(hashes), "IllegalStateException: boom",
        "io.example.Foo in bar", "error", new JsonObject().put("type", "IllegalStateException"), null);
    return new SaveItem(Kind.ERROR, projectId, orgId, eventId, ts, event, grouping, List.of(), null);
  }

  private List<SavedEvent> save(List<SaveItem> items) throws Exception {
    return saver.save(items).await(30, TimeUnit.SECONDS);
  }

  private Row group(long id) throws Exception {
    return pool.preparedQuery("SELECT times_seen, status, substatus, short_id, level, latest_event_id, "
        + "title, first_seen, last_seen FROM groups WHERE id = $1").execute(Tuple.of(id))
        .await(10, TimeUnit.SECONDS).iterator().next();
  }

  private long count(String sql) throws Exception {
    return pool.query(sql).execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  @Test
  void oneBatchCreatesOneIssuePerHashAndCountsEveryEvent() throws Exception {
    Instant now = Instant.now();
    List<SaveItem> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(error(eventId(), now.minusSeconds(i), "error", i % 2 == 0 ? HASH_A : HASH_B));
    }
    List<SavedEvent> saved = save(items);

    assertThat(saved).allMatch(SavedEvent::isNew);
    assertThat(saved.stream().filter(SavedEvent::isNewGroup)).hasSize(2);
    long groupA = saved.get(0).groupId();
    long groupB = saved.get(1).groupId();
    assertThat(groupA).isNotEqualTo(groupB);
    assertThat(saved).allMatch(s -> s.groupId() == (s.item().grouping().primaryHash().equals(HASH_A) ? groupA : groupB));
    Row a = group(groupA);
    assertThat(a.getLong("times_seen")).isEqualTo(5);
    assertThat(a.getString("latest_event_id")).isEqualTo(items.get(0).eventId());
    assertThat(List.of(a.getLong("short_id"), group(groupB).getLong("short_id"))).containsExactlyInAnyOrder(1L, 2L);
    assertThat(count("SELECT count(*) FROM group_hashes")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM releases WHERE version = 'app@1.0'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM environment_projects")).isEqualTo(1);
    String stored = new String(nodestore.getMany(List.of(Nodestore.nodeId(projectId, items.get(0).eventId())))
        .await(10, TimeUnit.SECONDS).values().iterator().next(), StandardCharsets.UTF_8);
    assertThat(new JsonObject(stored).getLong("group_id")).isEqualTo(groupA);
  }

  @Test
  void aReplayedBatchCountsNothingTwice() throws Exception {
    Instant now = Instant.now();
    List<SaveItem> items = List.of(error(eventId(), now, "error", HASH_A), error(eventId(), now, "error", HASH_A));
    List<SavedEvent> first = save(items);
    List<SavedEvent> replay = save(List.of(error(items.get(0).eventId(), now, "error", HASH_A),
        error(items.get(1).eventId(), now, "error", HASH_A), error(eventId(), now, "error", HASH_A)));

    assertThat(first).allMatch(SavedEvent::isNew);
    assertThat(replay).extracting(SavedEvent::isNew).containsExactly(false, false, true);
    assertThat(replay).noneMatch(SavedEvent::isNewGroup);
    assertThat(group(first.get(0).groupId()).getLong("times_seen")).isEqualTo(3);
    assertThat(count("SELECT count(*) FROM groups")).isEqualTo(1);
  }

  @Test
  void aSecondaryHashJoinsTheIssueOfItsPrimary() throws Exception {
    Instant now = Instant.now();
    long group = save(List.of(error(eventId(), now, "error", HASH_A))).get(0).groupId();
    // a later grouping version puts the new hash first and the old one second: same issue
    SavedEvent later = save(List.of(error(eventId(), now, "error", HASH_C, HASH_A))).get(0);
    assertThat(later.groupId()).isEqualTo(group);
    assertThat(count("SELECT count(*) FROM group_hashes WHERE hash = '" + HASH_C + "'")).isEqualTo(1);
  }

  @Test
  void aResolvedIssueSeenAgainIsARegression() throws Exception {
    Instant now = Instant.now();
    long group = save(List.of(error(eventId(), now, "error", HASH_A))).get(0).groupId();
    pool.preparedQuery("UPDATE groups SET status = 'resolved', substatus = NULL, resolved_at = now() WHERE id = $1")
        .execute(Tuple.of(group)).await(10, TimeUnit.SECONDS);
    List<SavedEvent> again = save(List.of(error(eventId(), now.plusSeconds(1), "fatal", HASH_A),
        error(eventId(), now.plusSeconds(2), "warning", HASH_A)));

    assertThat(again).extracting(SavedEvent::isRegression).containsExactly(true, false);
    Row row = group(group);
    assertThat(row.getString("status")).isEqualTo("unresolved");
    assertThat(row.getString("substatus")).isEqualTo("regressed");
    assertThat(row.getString("level")).isEqualTo("warning");
    assertThat(row.getLong("times_seen")).isEqualTo(3);
  }

  @Test
  void concurrentSavesOfABrandNewIssueMakeOneIssue(Vertx vertx) throws Exception {
    Instant now = Instant.now();
    List<Future<List<SavedEvent>>> saves = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      List<SaveItem> batch = new ArrayList<>();
      for (int j = 0; j < 5; j++) {
        batch.add(error(eventId(), now, "error", HASH_B));
      }
      saves.add(saver.save(batch));
    }
    Future.all(saves).await(60, TimeUnit.SECONDS);
    assertThat(count("SELECT count(*) FROM groups")).isEqualTo(1);
    assertThat(count("SELECT times_seen FROM groups")).isEqualTo(40);
    assertThat(saves.stream().flatMap(f -> f.result().stream()).filter(SavedEvent::isNewGroup)).hasSize(1);
  }

  @Test
  void attachmentsReportsAndTransactionsAreStored() throws Exception {
    Instant now = Instant.now();
    String errorId = eventId();
    byte[] body = "log line\n".getBytes(StandardCharsets.UTF_8);
    SaveItem error = error(errorId, now, "error", HASH_A);
    SaveItem withFiles = new SaveItem(Kind.ERROR, projectId, orgId, errorId, now, error.event(), error.grouping(),
        List.of(new AttachmentFile("app.log", "text/plain", "event.attachment", body),
            new AttachmentFile("copy.log", "text/plain", "event.attachment", body)), null);
    SaveItem report = new SaveItem(Kind.USER_REPORT, projectId, orgId, errorId, now, null, null, List.of(),
        new UserReport("Jane", "jane@example.com", "it broke"));
    String txId = eventId();
    SaveItem transaction = new SaveItem(Kind.TRANSACTION, projectId, orgId, txId, now,
        new JsonObject().put("type", "transaction").put("transaction", "GET /"), null, List.of(), null);

    List<SavedEvent> saved = save(List.of(withFiles, report, transaction));
    save(List.of(withFiles)); // replay: no second attachment rows

    long group = saved.get(0).groupId();
    assertThat(count("SELECT count(*) FROM event_attachments WHERE group_id = " + group)).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM file_blobs")).isEqualTo(1);
    assertThat(count("SELECT group_id FROM user_reports WHERE comments = 'it broke'")).isEqualTo(group);
    assertThat(saved.get(2).groupId()).isNull();
    assertThat(nodestore.getMany(List.of(Nodestore.nodeId(projectId, txId))).await(10, TimeUnit.SECONDS)).hasSize(1);
  }

  @Test
  void reportsSavedAlongsideTheirEventsAreLinkedToTheirIssue() throws Exception {
    // each pair saves an event and its report in two concurrent transactions: whichever commits
    // first, the report must end up with the event's issue
    Instant now = Instant.now();
    List<Future<List<SavedEvent>>> saves = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = eventId();
      SaveItem report = new SaveItem(Kind.USER_REPORT, projectId, orgId, id, now, null, null, List.of(),
          new UserReport("Jane", "jane@example.com", "race " + i));
      SaveItem event = error(id, now, "error", i % 2 == 0 ? HASH_A : HASH_B);
      if (i % 2 == 0) {
        saves.add(saver.save(List.of(report)));
        saves.add(saver.save(List.of(event)));
      } else {
        saves.add(saver.save(List.of(event)));
        saves.add(saver.save(List.of(report)));
      }
    }
    Future.all(saves).await(60, TimeUnit.SECONDS);
    assertThat(count("SELECT count(*) FROM user_reports")).isEqualTo(30);
    assertThat(count("SELECT count(*) FROM user_reports WHERE group_id IS NULL")).isZero();
  }
}

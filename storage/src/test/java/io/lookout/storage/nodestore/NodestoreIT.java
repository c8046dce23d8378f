package io.lookout.storage.nodestore;

import static io.lookout.storage.postgres.PgTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.impl.PgNodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PgTestSupport;
import io.lookout.storage.postgres.PostgresConfig;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class NodestoreIT {

  private static final String SCHEMA = PgTestSupport.randomSchema("it_nodestore");
  private static final long PROJECT = 42;

  private static PostgresConfig config;
  private static NodestoreConfig nodestoreConfig;
  private static Pool pool;
  private static Nodestore nodestore;
  private static SampleEvents samples = new SampleEvents(20240601);

  @BeforeAll
  static void migrate(Vertx vertx) {
    config = PgTestSupport.config(SCHEMA);
    nodestoreConfig = StorageConfig.load().nodestore();
    pool = PgPools.create(vertx, config);
    await(PostgresMigrator.migrate(pool, SCHEMA));
    nodestore = Nodestore.create(vertx, pool, nodestoreConfig);
  }

  @AfterAll
  static void dropSchema() {
    PgTestSupport.dropSchema(pool, SCHEMA);
    await(pool.close());
  }

  private static Node node(Instant timestamp) {
    String eventId = samples.eventId();
    return Node.of(PROJECT, eventId, timestamp, samples.event(eventId, timestamp));
  }

  private static Node node(String id, Instant timestamp, String json) {
    return new Node(id, timestamp, json.getBytes(StandardCharsets.UTF_8));
  }

  private static Future<Long> countRows(String id) {
    return pool.preparedQuery("SELECT count(*) FROM nodestore_node WHERE id = $1::bpchar").execute(Tuple.of(id))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  private static Future<Boolean> tableExists(String name) {
    return tableExists(pool, name);
  }

  private static Future<Boolean> tableExists(Pool pool, String name) {
    return pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(name))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  @Test
  void roundTripOf500Events(VertxTestContext ctx) {
    Instant now = Instant.now();
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      nodes.add(node(now.minusMillis(i * 37L)));
    }
    List<Future<Void>> puts = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i += 100) {
      puts.add(nodestore.putMany(nodes.subList(i, i + 100)));
    }
    Future.all(puts)
        .compose(v -> nodestore.getMany(nodes.stream().map(Node::id).toList()))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).hasSize(500);
          for (Node n : nodes) {
            assertThat(found.get(n.id())).as(n.id()).isEqualTo(n.json());
          }
          assertThat(nodes).allMatch(n -> n.json().length > 1500);
          ctx.completeNow();
        })));
  }

  @Test
  void insertNewReportsOnlyFirstWritesAndKeepsTheOriginal(VertxTestContext ctx) {
    Instant now = Instant.now();
    Node first = node(now);
    Node replay = new Node(first.id(), first.timestamp(), "{\"replayed\":true}".getBytes(StandardCharsets.UTF_8));
    Node other = node(now.minusSeconds(5));
    nodestore.ensurePartitionsFor(List.of(first.timestamp(), other.timestamp())).compose(p -> pool.withTransaction(conn -> nodestore.insertNew(conn, List.of(first)))
        .compose(firstInserted -> pool.withTransaction(conn -> nodestore.insertNew(conn, List.of(replay, other, replay)))
            .map(second -> List.of(firstInserted, second))))
        .compose(results -> nodestore.getMany(List.of(first.id())).map(found -> {
          ctx.verify(() -> {
            assertThat(results.get(0)).containsExactly(first.id());
            assertThat(results.get(1)).containsExactly(other.id());
            assertThat(found.get(first.id())).isEqualTo(first.json());
          });
          return found;
        }))
        .onComplete(ctx.succeeding(x -> ctx.completeNow()));
  }

  @Test
  void insertNewIsUndoneWithItsTransaction(VertxTestContext ctx) {
    Node n = node(Instant.now());
    nodestore.ensurePartitionsFor(List.of(n.timestamp())).compose(p -> pool.withTransaction(conn -> nodestore.insertNew(conn, List.of(n))
            .compose(ids -> Future.<Void>failedFuture(new IllegalStateException("rollback")))))
        .<Long>transform(ar -> countRows(n.id()))
        .onComplete(ctx.succeeding(count -> ctx.verify(() -> {
          assertThat(count).isEqualTo(0L);
          ctx.completeNow();
        })));
  }

  @Test
  void storedDataIsCompressed(VertxTestContext ctx) {
    Node n = node(Instant.now());
    nodestore.putMany(List.of(n))
        .compose(v -> pool.preparedQuery("SELECT octet_length(data) FROM nodestore_node WHERE id = $1::bpchar")
            .execute(Tuple.of(n.id())))
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          assertThat(rows.iterator().next().getInteger(0)).isLessThan(n.json().length / 2);
          ctx.completeNow();
        })));
  }

  @Test
  void putTwiceKeepsOneRowAndTheLastData(VertxTestContext ctx) {
    Instant ts = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusNanos(123_456_789);
    String id = Nodestore.nodeId(PROJECT, samples.eventId());
    nodestore.putMany(List.of(node(id, ts, "{\"v\":1}")))
        .compose(v -> nodestore.putMany(List.of(node(id, ts, "{\"v\":2}"))))
        .compose(v -> countRows(id))
        .compose(count -> nodestore.getMany(List.of(id)).map(found -> Map.of("count", count, "found", found)))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertThat(result.get("count")).isEqualTo(1L);
          @SuppressWarnings("unchecked")
          Map<String, byte[]> found = (Map<String, byte[]>) result.get("found");
          assertThat(new String(found.get(id), StandardCharsets.UTF_8)).isEqualTo("{\"v\":2}");
          ctx.completeNow();
        })));
  }

  @Test
  void newestTimestampWinsWhenAnIdIsSavedAgainLater(VertxTestContext ctx) {
    Instant now = Instant.now();
    String id = Nodestore.nodeId(PROJECT, samples.eventId());
    nodestore.putMany(List.of(node(id, now.minus(Duration.ofHours(30)), "{\"v\":\"old\"}")))
        .compose(v -> nodestore.putMany(List.of(node(id, now, "{\"v\":\"new\"}"))))
        .compose(v -> nodestore.putMany(List.of(node(id, now.minus(Duration.ofHours(2)), "{\"v\":\"middle\"}"))))
        .compose(v -> nodestore.getMany(List.of(id)))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(new String(found.get(id), StandardCharsets.UTF_8)).isEqualTo("{\"v\":\"new\"}");
          ctx.completeNow();
        })));
  }

  @Test
  void duplicateIdsInOneBatchKeepTheLast(VertxTestContext ctx) {
    Instant now = Instant.now();
    String id = Nodestore.nodeId(PROJECT, samples.eventId());
    Node other = node(now);
    nodestore.putMany(List.of(node(id, now, "{\"v\":1}"), other, node(id, now, "{\"v\":2}"),
            node(id, now.plusSeconds(1), "{\"v\":3}")))
        .compose(v -> countRows(id).compose(count -> nodestore.getMany(List.of(id, other.id()))
            .map(found -> {
              ctx.verify(() -> {
                assertThat(count).isEqualTo(1L);
                assertThat(new String(found.get(id), StandardCharsets.UTF_8)).isEqualTo("{\"v\":3}");
                assertThat(found.get(other.id())).isEqualTo(other.json());
              });
              return found;
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void missingIdsAreAbsentFromTheResult(VertxTestContext ctx) {
    Node present = node(Instant.now());
    String missing1 = Nodestore.nodeId(PROJECT, samples.eventId());
    String missing2 = Nodestore.nodeId(PROJECT + 1, samples.eventId());
    nodestore.putMany(List.of(present))
        .compose(v -> nodestore.getMany(List.of(missing1, present.id(), missing2, present.id())))
        .compose(found -> nodestore.getMany(List.of()).map(empty -> {
          ctx.verify(() -> {
            assertThat(found).containsOnlyKeys(present.id());
            assertThat(empty).isEmpty();
          });
          return found;
        }))
        .compose(v -> nodestore.getMany(List.of(missing1)))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).isEmpty();
          ctx.completeNow();
        })));
  }

  /**
   * Runs {@code test} against a schema, pool and nodestore of its own, dropped afterwards: for tests
   * that drop partitions, so they neither see nor disturb the days the other tests write.
   */
  private static <T> Future<T> inOwnSchema(Vertx vertx, java.util.function.BiFunction<Pool, Nodestore, Future<T>> test) {
    String schema = PgTestSupport.randomSchema("it_nodestore_own");
    Pool own = PgPools.create(vertx, config.withSchema(schema));
    return PostgresMigrator.migrate(own, schema)
        .compose(v -> test.apply(own, Nodestore.create(vertx, own, nodestoreConfig)))
        .eventually(() -> own.query("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE").execute())
        .eventually(own::close);
  }

  @Test
  void deleteOlderThanDropsExactlyTheOldDays(Vertx vertx, VertxTestContext ctx) {
    Instant now = Instant.now();
    Node tenDaysAgo = node(now.minus(Duration.ofDays(10)));
    Node nineDaysAgo = node(now.minus(Duration.ofDays(9)));
    Node today = node(now);
    List<String> ids = List.of(tenDaysAgo.id(), nineDaysAgo.id(), today.id());
    String oldPart1 = PgNodestore.partitionName(LocalDate.ofInstant(tenDaysAgo.timestamp(), ZoneOffset.UTC));
    String oldPart2 = PgNodestore.partitionName(LocalDate.ofInstant(nineDaysAgo.timestamp(), ZoneOffset.UTC));
    String todayPart = PgNodestore.partitionName(LocalDate.ofInstant(now, ZoneOffset.UTC));
    inOwnSchema(vertx, (own, store) -> store.putMany(List.of(tenDaysAgo, nineDaysAgo, today))
        .compose(v -> store.getMany(ids))
        .compose(before -> {
          ctx.verify(() -> assertThat(before).hasSize(3));
          return store.deleteOlderThan(now.minus(Duration.ofDays(5)));
        })
        .compose(dropped -> store.getMany(ids).compose(after ->
            Future.all(tableExists(own, oldPart1), tableExists(own, oldPart2), tableExists(own, todayPart)).map(exists -> {
              ctx.verify(() -> {
                assertThat(dropped).isEqualTo(2);
                assertThat(after).containsOnlyKeys(today.id());
                assertThat(after.get(today.id())).isEqualTo(today.json());
                assertThat(exists.<Boolean>resultAt(0)).isFalse();
                assertThat(exists.<Boolean>resultAt(1)).isFalse();
                assertThat(exists.<Boolean>resultAt(2)).isTrue();
              });
              return dropped;
            }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void cutoffDayIsKeptAndADayEndingAtTheCutoffIsDropped(Vertx vertx, VertxTestContext ctx) {
    Instant cutoff = Instant.parse("2030-03-10T00:00:00Z");
    Node endsAtCutoff = node(Instant.parse("2030-03-09T23:59:59.999999Z"));
    Node startsAtCutoff = node(cutoff);
    Node laterThatDay = node(Instant.parse("2030-03-10T18:00:00Z"));
    List<String> ids = List.of(endsAtCutoff.id(), startsAtCutoff.id(), laterThatDay.id());
    inOwnSchema(vertx, (own, store) -> store.putMany(List.of(endsAtCutoff, startsAtCutoff, laterThatDay))
        .compose(v -> store.deleteOlderThan(cutoff.plus(Duration.ofHours(20))))
        .compose(dropped -> store.getMany(ids).map(found -> {
          ctx.verify(() -> {
            assertThat(dropped).isEqualTo(1);
            assertThat(found).containsOnlyKeys(startsAtCutoff.id(), laterThatDay.id());
          });
          return dropped;
        }))
        .compose(v -> store.deleteOlderThan(cutoff.minusSeconds(1)))
        .map(dropped -> {
          ctx.verify(() -> assertThat(dropped).isZero());
          return dropped;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void twoWritersCreatingTheSameNewDayBothSucceed(Vertx vertx, VertxTestContext ctx) {
    // separate pools and nodestores, so each believes the partition is missing and runs the DDL
    Pool poolA = PgPools.create(vertx, config);
    Pool poolB = PgPools.create(vertx, config);
    List<Node> all = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int day = 1; day <= 5; day++) {
      Instant ts = Instant.parse("2029-01-0" + day + "T08:00:00Z");
      Nodestore a = Nodestore.create(vertx, poolA, nodestoreConfig);
      Nodestore b = Nodestore.create(vertx, poolB, nodestoreConfig);
      List<Node> batchA = List.of(node(ts), node(ts.plusSeconds(1)));
      List<Node> batchB = List.of(node(ts.plusSeconds(2)), node(ts.plusSeconds(3)));
      all.addAll(batchA);
      all.addAll(batchB);
      chain = chain.compose(v -> Future.all(a.putMany(batchA), b.putMany(batchB)).mapEmpty());
    }
    chain.compose(v -> nodestore.getMany(all.stream().map(Node::id).toList()))
        .eventually(() -> Future.join(poolA.close(), poolB.close()))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).hasSize(all.size());
          ctx.completeNow();
        })));
  }

  @Test
  void writerSucceedsWhenAnotherProcessCreatesTheSameDayFirst(Vertx vertx, VertxTestContext ctx) {
    // the other process's CREATE is not committed yet when the writer looks, so the writer's own
    // CREATE waits for the parent's lock and then fails with duplicate_table: that must not fail the put
    LocalDate day = LocalDate.of(2027, 7, 7);
    Node node = node(Instant.parse("2027-07-07T07:07:07Z"));
    Promise<Void> put = Promise.promise();
    pool.withTransaction(conn -> conn.query("CREATE TABLE " + PgNodestore.partitionName(day)
            + " PARTITION OF nodestore_node FOR VALUES FROM ('2027-07-07Z') TO ('2027-07-08Z')").execute()
        .compose(v -> {
          Nodestore.create(vertx, pool, nodestoreConfig).putMany(List.of(node)).onComplete(put);
          Promise<Void> later = Promise.promise();
          vertx.setTimer(500, t -> later.complete());
          return later.future();
        }))
        .compose(v -> put.future())
        .compose(v -> nodestore.getMany(List.of(node.id())))
        .onComplete(ctx.succeeding(found -> ctx.verify(() -> {
          assertThat(found).containsOnlyKeys(node.id());
          ctx.completeNow();
        })));
  }

  @Test
  void writerRecreatesADayThatAnotherProcessDropped(Vertx vertx, VertxTestContext ctx) {
    Instant ts = Instant.parse("2028-02-02T10:00:00Z");
    Node first = node(ts);
    Node second = node(ts.plusSeconds(60));
    inOwnSchema(vertx, (own, writer) -> {
      Nodestore cleaner = Nodestore.create(vertx, own, nodestoreConfig);
      return writer.putMany(List.of(first))
          // drops the day while the writer still has its partition cached
          .compose(v -> cleaner.deleteOlderThan(Instant.parse("2028-02-03T00:00:00Z")))
          .compose(v -> writer.putMany(List.of(second)))
          .compose(v -> writer.getMany(List.of(first.id(), second.id())));
    }).onComplete(ctx.succeeding(found -> ctx.verify(() -> {
      assertThat(found).containsOnlyKeys(second.id());
      ctx.completeNow();
    })));
  }

  @Test
  void ensurePartitionsCreatesOnlyMissingDays(VertxTestContext ctx) {
    LocalDate from = LocalDate.of(2040, 1, 30);
    LocalDate to = LocalDate.of(2040, 2, 2);
    nodestore.ensurePartitions(from, to)
        .compose(first -> nodestore.ensurePartitions(from.minusDays(1), to).map(second -> List.of(first, second)))
        .compose(counts -> tableExists(PgNodestore.partitionName(LocalDate.of(2040, 2, 1))).map(exists -> {
          ctx.verify(() -> {
            assertThat(counts).containsExactly(4, 1);
            assertThat(exists).isTrue();
          });
          return exists;
        }))
        .compose(v -> pool.preparedQuery("SELECT count(*) FROM nodestore_node WHERE \"timestamp\" >= $1 "
            + "AND \"timestamp\" < $2").execute(Tuple.of(from.atStartOfDay().atOffset(ZoneOffset.UTC),
            to.atStartOfDay().atOffset(ZoneOffset.UTC))))
        .onComplete(ctx.succeeding(rows -> ctx.verify(() -> {
          assertThat(rows.iterator().next().getLong(0)).isZero();
          ctx.completeNow();
        })));
  }

  @Test
  void putManyOfNothingDoesNothing(VertxTestContext ctx) {
    nodestore.putMany(List.of()).onComplete(ctx.succeedingThenComplete());
  }
}

package io.lookout.storage.nodestore.impl;

import io.lookout.storage.nodestore.Node;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.nodestore.NodestoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Nodestore} on a day-partitioned Postgres table. */
public final class PgNodestore implements Nodestore {

  static final String TABLE = "nodestore_node";
  static final String PARTITION_PREFIX = TABLE + "_p";
  private static final DateTimeFormatter PARTITION_DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

  /**
   * Creating or dropping a partition locks the parent table against every reader and writer. If that
   * lock is not granted quickly (a long query holds the table), give up instead of queueing all the
   * save path's statements behind the waiting DDL.
   */
  private static final String DDL_LOCK_TIMEOUT = "5s";

  /*
   * unnest turns three arrays into rows: the statement text is the same for every batch size, so it
   * is parsed and planned once per connection, and it carries any number of rows in three parameters.
   */
  private static final String UPSERT = "INSERT INTO " + TABLE + " (id, data, \"timestamp\") "
      + "SELECT * FROM unnest($1::text[], $2::bytea[], $3::timestamptz[]) "
      + "ON CONFLICT (id, \"timestamp\") DO UPDATE SET data = EXCLUDED.data";

  private static final String INSERT_NEW = "INSERT INTO " + TABLE + " (id, data, \"timestamp\") "
      + "SELECT * FROM unnest($1::text[], $2::bytea[], $3::timestamptz[]) "
      + "ON CONFLICT (id, \"timestamp\") DO NOTHING RETURNING id";

  // bpchar[], not text[]: comparing the char(32) column with text would not use the primary key
  private static final String SELECT_NEWEST = "SELECT DISTINCT ON (id) id, data FROM " + TABLE
      + " WHERE id = ANY($1::bpchar[]) ORDER BY id, \"timestamp\" DESC";

  private static final String LIST_PARTITIONS = "SELECT c.relname FROM pg_inherits i "
      + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '" + TABLE + "'::regclass";

  /** check_violation: a row for which no partition exists (one was dropped under this process's cache). */
  private static final String NO_PARTITION = "23514";

  private static final Set<String> CREATE_RACE = Set.of(
      "42P07", // duplicate_table: the other creator committed before this one looked
      "23505", // unique_violation on pg_type: both inserted the row type at the same time
      "42P17", // invalid_object_definition: "would overlap partition", same bounds, other creator won
      "42710"); // duplicate_object

  private static final Logger LOG = LoggerFactory.getLogger(PgNodestore.class);

  private final Vertx vertx;
  private final Pool pool;
  private final int level;
  /** Days whose partition exists, or is being created by a call of this process that others join. */
  private final ConcurrentMap<LocalDate, Future<Void>> partitions = new ConcurrentHashMap<>();

  public PgNodestore(Vertx vertx, Pool pool, NodestoreConfig config) {
    this.vertx = vertx;
    this.pool = pool;
    this.level = config.compressionLevel();
  }

  @Override
  public Future<Void> putMany(List<Node> nodes) {
    if (nodes.isEmpty()) {
      return Future.succeededFuture();
    }
    // one statement cannot upsert the same row twice ("ON CONFLICT DO UPDATE command cannot affect
    // row a second time"); the last write of an id is the one the caller meant
    Map<String, Node> byId = new LinkedHashMap<>();
    for (Node node : nodes) {
      byId.remove(node.id());
      byId.put(node.id(), node);
    }
    List<Node> unique = new ArrayList<>(byId.values());
    Set<LocalDate> days = new TreeSet<>();
    for (Node node : unique) {
      days.add(day(node.timestamp()));
    }
    Future<Tuple> params = vertx.executeBlocking(() -> upsertParams(unique), false);
    return Future.all(ensureDays(days), params)
        .compose(v -> upsert(params.result())
            .recover(err -> {
              if (!isSqlState(err, NO_PARTITION)) {
                return Future.failedFuture(err);
              }
              // another process dropped a partition this one still had cached: re-check and retry once
              LOG.warn("nodestore partition missing for one of {}, re-creating", days);
              days.forEach(partitions::remove);
              return ensureDays(days).compose(x -> upsert(params.result()));
            }));
  }

  @Override
  public Future<Void> ensurePartitionsFor(Collection<Instant> timestamps) {
    Set<LocalDate> days = new TreeSet<>();
    for (Instant timestamp : timestamps) {
      days.add(day(timestamp));
    }
    return ensureDays(days);
  }

  @Override
  public Future<Set<String>> insertNew(SqlClient client, List<Node> nodes) {
    if (nodes.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    // the first node of an id is the one inserted: a later duplicate in the same batch is a replay
    Map<String, Node> byId = new LinkedHashMap<>();
    for (Node node : nodes) {
      byId.putIfAbsent(node.id(), node);
    }
    List<Node> unique = new ArrayList<>(byId.values());
    return vertx.executeBlocking(() -> upsertParams(unique), false)
        .compose(params -> client.preparedQuery(INSERT_NEW).execute(params))
        .map(rows -> {
          Set<String> inserted = new HashSet<>(rows.rowCount() * 2);
          for (Row row : rows) {
            inserted.add(row.getString(0));
          }
          return inserted;
        });
  }

  private Future<Void> upsert(Tuple params) {
    return pool.preparedQuery(UPSERT).execute(params).mapEmpty();
  }

  private Tuple upsertParams(List<Node> nodes) {
    int n = nodes.size();
    String[] ids = new String[n];
    Buffer[] data = new Buffer[n];
    OffsetDateTime[] timestamps = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      Node node = nodes.get(i);
      ids[i] = node.id();
      data[i] = Buffer.buffer(NodeCodec.compress(node.json(), level));
      timestamps[i] = timestamp(node.timestamp());
    }
    return Tuple.of(ids, data, timestamps);
  }

  @Override
  public Future<Map<String, byte[]>> getMany(Collection<String> ids) {
    return getMany(pool, ids);
  }

  @Override
  public Future<Map<String, byte[]>> getMany(SqlClient client, Collection<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    String[] distinct = new LinkedHashSet<>(ids).toArray(String[]::new);
    return client.preparedQuery(SELECT_NEWEST).execute(Tuple.of(distinct))
        .compose(rows -> vertx.executeBlocking(() -> decompress(rows), false));
  }

  private static Map<String, byte[]> decompress(RowSet<Row> rows) {
    Map<String, byte[]> result = new HashMap<>(rows.size() * 2);
    for (Row row : rows) {
      result.put(row.getString(0), NodeCodec.decompress(row.getBuffer(1).getBytes()));
    }
    return result;
  }

  @Override
  public Future<Integer> deleteOlderThan(Instant cutoff) {
    return existingPartitions().compose(existing -> {
      List<LocalDate> expired = new ArrayList<>();
      for (LocalDate day : existing) {
        if (!dayEnd(day).isAfter(cutoff)) {
          expired.add(day);
        }
      }
      Future<Integer> chain = Future.succeededFuture(0);
      for (LocalDate day : expired) {
        chain = chain.compose(dropped -> dropPartition(day).map(dropped + 1));
      }
      return chain;
    });
  }

  private Future<Void> dropPartition(LocalDate day) {
    partitions.remove(day);
    String name = partitionName(day);
    return ddl("DROP TABLE IF EXISTS " + name)
        .onSuccess(v -> LOG.info("dropped nodestore partition {}", name));
  }

  @Override
  public Future<Integer> ensurePartitions(LocalDate from, LocalDate toInclusive) {
    if (toInclusive.isBefore(from)) {
      return Future.succeededFuture(0);
    }
    return existingPartitions().compose(existing -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (LocalDate day = from; !day.isAfter(toInclusive); day = day.plusDays(1)) {
        LocalDate d = day;
        if (existing.contains(d)) {
          partitions.putIfAbsent(d, Future.succeededFuture());
        } else {
          // dropped by another process since this one cached it
          Future<Void> cached = partitions.get(d);
          if (cached != null && cached.succeeded()) {
            partitions.remove(d, cached);
          }
          chain = chain.compose(created -> ensureDay(d).map(created + 1));
        }
      }
      return chain;
    });
  }

  private Future<Void> ensureDays(Set<LocalDate> days) {
    if (days.size() == 1) {
      return ensureDay(days.iterator().next());
    }
    List<Future<Void>> all = new ArrayList<>(days.size());
    for (LocalDate day : days) {
      all.add(ensureDay(day));
    }
    return Future.all(all).mapEmpty();
  }

  /** Completes when the day's partition exists; concurrent callers in this process share one attempt. */
  private Future<Void> ensureDay(LocalDate day) {
    Future<Void> known = partitions.get(day);
    if (known != null) {
      return known;
    }
    Promise<Void> promise = Promise.promise();
    Future<Void> raced = partitions.putIfAbsent(day, promise.future());
    if (raced != null) {
      return raced;
    }
    createPartition(day).onComplete(ar -> {
      if (ar.failed()) {
        // forget the failure so that the next batch tries again
        partitions.remove(day, promise.future());
      }
      promise.handle(ar);
    });
    return promise.future();
  }

  private Future<Void> createPartition(LocalDate day) {
    String name = partitionName(day);
    // CREATE TABLE locks the parent even when the partition exists: look first, without locking
    return partitionExists(name).compose(exists -> {
      if (exists) {
        return Future.succeededFuture();
      }
      String sql = "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF " + TABLE
          + " FOR VALUES FROM ('" + dayStart(day) + "') TO ('" + dayEnd(day) + "')";
      return ddl(sql)
          .onSuccess(v -> LOG.info("created nodestore partition {}", name))
          .recover(err -> {
            if (!isSqlState(err, CREATE_RACE)) {
              return Future.failedFuture(err);
            }
            // another process created it at the same moment; fine if it is there now
            return partitionExists(name).compose(exists2 -> {
              if (!exists2) {
                return Future.failedFuture(err);
              }
              LOG.info("nodestore partition {} was created by another process meanwhile", name);
              return Future.succeededFuture();
            });
          });
    });
  }

  private Future<Boolean> partitionExists(String name) {
    return pool.preparedQuery("SELECT to_regclass($1) IS NOT NULL").execute(Tuple.of(name))
        .map(rows -> rows.iterator().next().getBoolean(0));
  }

  private Future<Void> ddl(String sql) {
    return pool.withTransaction(conn -> conn.query("SET LOCAL lock_timeout = '" + DDL_LOCK_TIMEOUT + "'").execute()
        .compose(v -> conn.query(sql).execute())
        .mapEmpty());
  }

  private Future<Set<LocalDate>> existingPartitions() {
    return pool.query(LIST_PARTITIONS).execute().map(rows -> {
      Set<LocalDate> days = new TreeSet<>();
      for (Row row : rows) {
        LocalDate day = dayOf(row.getString(0));
        if (day != null) {
          days.add(day);
        }
      }
      return days;
    });
  }

  private static boolean isSqlState(Throwable err, String state) {
    return err instanceof PgException pg && state.equals(pg.getSqlState());
  }

  private static boolean isSqlState(Throwable err, Set<String> states) {
    return err instanceof PgException pg && states.contains(pg.getSqlState());
  }

  static LocalDate day(Instant timestamp) {
    return LocalDate.ofInstant(timestamp, ZoneOffset.UTC);
  }

  static Instant dayStart(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  static Instant dayEnd(LocalDate day) {
    return dayStart(day.plusDays(1));
  }

  /** Postgres keeps microseconds; truncating here makes a re-put of the same node hit the same row. */
  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
  }

  public static String partitionName(LocalDate day) {
    return PARTITION_PREFIX + PARTITION_DAY.format(day);
  }

  /** The day of a partition named by {@link #partitionName}, or null for any other table. */
  static LocalDate dayOf(String partition) {
    if (partition == null || !partition.startsWith(PARTITION_PREFIX)
        || partition.length() != PARTITION_PREFIX.length() + 8) {
      return null;
    }
    try {
      return LocalDate.parse(partition.substring(PARTITION_PREFIX.length()), PARTITION_DAY);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}

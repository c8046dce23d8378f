package io.lookout.processors.cleanup;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.nodestore.Nodestore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention, as Sentry's {@code sentry cleanup} and Snuba's partition cleanup do it: everything
 * older than N days goes.
 * <ul>
 *   <li>nodestore: whole daily partitions are dropped ({@link Nodestore#deleteOlderThan});</li>
 *   <li>Postgres rows: issues not seen for N days with their hashes (cascade) and attachments,
 *       attachments, user reports and monitor check-ins older than N days, attachment bodies no
 *       attachment refers to any more. Each DELETE removes at most {@code batch_size} rows, claimed
 *       with {@code FOR UPDATE SKIP LOCKED}: rows the save path holds are left for the next run, and
 *       no statement holds many locks for long, so it runs safely while ingest does;</li>
 *   <li>ClickHouse: every partition whose week lies wholly before the cutoff is dropped
 *       ({@code ALTER TABLE ... DROP PARTITION}, listed from {@code system.parts}). A partition of
 *       {@code errors}/{@code transactions} is keyed {@code (retention_days, monday)}: it goes when
 *       either N or its own retention has passed.</li>
 * </ul>
 * A dry run counts what would go and deletes nothing.
 */
public final class Cleanup {

  private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

  /** What one run deleted (or, for a dry run, would delete). */
  public record Report(boolean dryRun, Instant cutoff, int nodestorePartitions, long issues, long attachments,
      long userReports, long monitorCheckins, long fileBlobs, List<String> clickhousePartitions) {

    public JsonObject toJson() {
      return new JsonObject().put("dry_run", dryRun).put("cutoff", cutoff.toString())
          .put("nodestore_partitions", nodestorePartitions).put("issues", issues).put("attachments", attachments)
          .put("user_reports", userReports).put("monitor_checkins", monitorCheckins).put("file_blobs", fileBlobs)
          .put("clickhouse_partitions", new io.vertx.core.json.JsonArray(new ArrayList<>(clickhousePartitions)));
    }
  }

  private static final String NODESTORE_PARTITIONS = "SELECT c.relname FROM pg_inherits i "
      + "JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'nodestore_node'::regclass";

  /* attachments go with their issue: the foreign key would only unlink them */
  private static final String DELETE_ISSUES = "WITH doomed AS (SELECT id FROM groups WHERE last_seen < $1 "
      + "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED), "
      + "a AS (DELETE FROM event_attachments WHERE group_id IN (SELECT id FROM doomed) RETURNING 1) "
      + "DELETE FROM groups g USING doomed WHERE g.id = doomed.id RETURNING (SELECT count(*) FROM a)";

  private static final String COUNT_ISSUES = "SELECT count(*) FROM groups WHERE last_seen < $1";

  private static final String COUNT_ISSUE_ATTACHMENTS = "SELECT count(*) FROM event_attachments a "
      + "JOIN groups g ON g.id = a.group_id WHERE g.last_seen < $1 AND a.date_added >= $1";

  private static final String DELETE_OLD = "DELETE FROM %1$s WHERE id IN (SELECT id FROM %1$s WHERE date_added < $1 "
      + "ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)";

  private static final String COUNT_OLD = "SELECT count(*) FROM %s WHERE date_added < $1";

  private static final String ORPHAN_BLOBS = " FROM file_blobs b WHERE b.date_added < $1 "
      + "AND NOT EXISTS (SELECT 1 FROM event_attachments a WHERE a.blob_id = b.id)";

  private static final String DELETE_BLOBS = "DELETE FROM file_blobs WHERE id IN (SELECT b.id" + ORPHAN_BLOBS
      + " ORDER BY b.id LIMIT $2 FOR UPDATE SKIP LOCKED)";

  /* 18.16 shows a Date partition as '2024-05-27' and a tuple one as (90,'2024-05-27') */
  private static final Pattern PARTITION = Pattern.compile("^\\(?(?:(\\d+),\\s*)?'?(\\d{4}-\\d{2}-\\d{2})'?\\)?$");

  private final Pool pool;
  private final Nodestore nodestore;
  private final ClickHouseWriter clickhouse;
  private final CleanupConfig config;
  private final Supplier<Instant> clock;

  /**
   * @param clickhouse null to leave ClickHouse alone
   * @param clock the current time (tests pass a fixed one)
   */
  public Cleanup(Pool pool, Nodestore nodestore, ClickHouseWriter clickhouse, CleanupConfig config,
      Supplier<Instant> clock) {
    this.pool = pool;
    this.nodestore = nodestore;
    this.clickhouse = clickhouse;
    this.config = config;
    this.clock = clock;
  }

  /** Deletes what is older than {@code days} days. */
  public Future<Report> run(int days) {
    return run(days, false);
  }

  /** Deletes (or with {@code dryRun} only counts) what is older than {@code days} days. */
  public Future<Report> run(int days, boolean dryRun) {
    if (days < 1) {
      return Future.failedFuture(new IllegalArgumentException("days must be at least 1, got " + days));
    }
    Instant now = clock.get();
    Instant cutoff = now.minus(Duration.ofDays(days));
    OffsetDateTime at = cutoff.atOffset(ZoneOffset.UTC);
    long[] counts = new long[6];
    int[] partitions = new int[1];
    return nodestorePartitions(cutoff, dryRun)
        .compose(n -> {
          partitions[0] = n;
          return dryRun ? count(COUNT_ISSUES, at).compose(issues -> count(COUNT_ISSUE_ATTACHMENTS, at)
              .map(atts -> new long[] {issues, atts})) : deleteIssues(at, new long[2]);
        })
        .compose(issues -> {
          counts[0] = issues[0];
          counts[1] = issues[1];
          return old("event_attachments", at, dryRun);
        })
        .compose(n -> {
          counts[1] += n;
          return old("user_reports", at, dryRun);
        })
        .compose(n -> {
          counts[2] = n;
          return old("monitor_checkins", at, dryRun);
        })
        .compose(n -> {
          counts[3] = n;
          OffsetDateTime grace = now.minus(Duration.ofMinutes(config.blobGraceMinutes())).atOffset(ZoneOffset.UTC);
          return dryRun ? count("SELECT count(*)" + ORPHAN_BLOBS, grace) : batches(DELETE_BLOBS, grace, 0);
        })
        .compose(n -> {
          counts[4] = n;
          return clickhouse == null ? Future.succeededFuture(List.<String>of()) : clickhousePartitions(now, days, dryRun);
        })
        .map(dropped -> {
          Report report = new Report(dryRun, cutoff, partitions[0], counts[0], counts[1], counts[2], counts[3],
              counts[4], dropped);
          LOG.info("cleanup{} of data before {}: {}", dryRun ? " (dry run)" : "", cutoff, report.toJson().encode());
          return report;
        });
  }

  private Future<Integer> nodestorePartitions(Instant cutoff, boolean dryRun) {
    if (!dryRun) {
      return nodestore.deleteOlderThan(cutoff);
    }
    LocalDate lastDropped = cutoff.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
    return pool.query(NODESTORE_PARTITIONS).execute().map(rows -> {
      int n = 0;
      for (Row row : rows) {
        String name = row.getString(0);
        String day = name.substring(name.length() - 8);
        if (day.matches("\\d{8}")
            && !LocalDate.parse(day, DateTimeFormatter.BASIC_ISO_DATE).isAfter(lastDropped)) {
          n++;
        }
      }
      return n;
    });
  }

  private Future<long[]> deleteIssues(OffsetDateTime cutoff, long[] total) {
    return pool.preparedQuery(DELETE_ISSUES).execute(Tuple.of(cutoff, config.batchSize())).compose(rows -> {
      int deleted = rows.rowCount();
      total[0] += deleted;
      if (deleted > 0) {
        total[1] += rows.iterator().next().getLong(0);
      }
      return deleted < config.batchSize() ? Future.succeededFuture(total) : deleteIssues(cutoff, total);
    });
  }

  private Future<Long> old(String table, OffsetDateTime cutoff, boolean dryRun) {
    return dryRun ? count(String.format(COUNT_OLD, table), cutoff)
        : batches(String.format(DELETE_OLD, table), cutoff, 0);
  }

  private Future<Long> batches(String sql, OffsetDateTime cutoff, long total) {
    return pool.preparedQuery(sql).execute(Tuple.of(cutoff, config.batchSize())).compose(rows -> {
      long sum = total + rows.rowCount();
      return rows.rowCount() < config.batchSize() ? Future.succeededFuture(sum) : batches(sql, cutoff, sum);
    });
  }

  private Future<Long> count(String sql, OffsetDateTime cutoff) {
    return pool.preparedQuery(sql).execute(Tuple.of(cutoff)).map(rows -> rows.iterator().next().getLong(0));
  }

  /** Drops (or lists) the ClickHouse partitions whose whole week ended before the cutoff. */
  private Future<List<String>> clickhousePartitions(Instant now, int days, boolean dryRun) {
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    return clickhouse.query("SELECT DISTINCT table, partition FROM system.parts "
        + "WHERE database = currentDatabase() AND active ORDER BY table, partition").compose(rows -> {
          List<String> expired = new ArrayList<>();
          List<String> statements = new ArrayList<>();
          for (JsonObject row : rows) {
            String table = row.getString("table");
            String partition = row.getString("partition");
            if (!expired(partition, today, days) || !table.matches("[A-Za-z0-9_]+")) {
              continue;
            }
            expired.add(table + " " + partition);
            statements.add("ALTER TABLE " + table + " DROP PARTITION " + partitionExpression(partition));
          }
          Future<Void> chain = Future.succeededFuture();
          if (!dryRun) {
            for (String statement : statements) {
              chain = chain.compose(v -> clickhouse.execute(statement)
                  .onSuccess(x -> LOG.info("ClickHouse: {}", statement)));
            }
          }
          return chain.map(expired);
        });
  }

  /**
   * The partition as a literal for {@code DROP PARTITION}: system.parts shows a Date key unquoted
   * on 18.16, which would parse as subtraction.
   */
  static String partitionExpression(String partition) {
    Matcher m = PARTITION.matcher(partition.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a partition this cleanup drops: " + partition);
    }
    return m.group(1) == null ? "'" + m.group(2) + "'" : "(" + m.group(1) + ", '" + m.group(2) + "')";
  }

  /**
   * Whether a partition ({@code 'YYYY-MM-DD'} or {@code (retention_days,'YYYY-MM-DD')}, the Monday
   * of its week) holds only rows older than {@code days}, or than its own retention. Anything else
   * (a partition this cleanup does not understand) is kept.
   */
  static boolean expired(String partition, LocalDate today, int days) {
    Matcher m = partition == null ? null : PARTITION.matcher(partition.strip());
    if (m == null || !m.matches()) {
      return false;
    }
    LocalDate weekEnd = LocalDate.parse(m.group(2)).plusDays(7);
    int retention = days;
    if (m.group(1) != null) {
      int own = Integer.parseInt(m.group(1));
      if (own > 0) {
        retention = Math.min(days, own);
      }
    }
    return !weekEnd.isAfter(today.minusDays(retention));
  }
}

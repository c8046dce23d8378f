package io.lookout.processors.monitors;

import static io.lookout.processors.monitors.MonitorStore.args;
import static io.lookout.processors.monitors.MonitorStore.time;

import io.lookout.processors.save.ItemSaver;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The monitors' clock: each {@link #sweep} marks in-progress check-ins past their max runtime as
 * {@code timeout}, records a {@code missed} check-in for every active monitor whose
 * {@code next_checkin_latest} has passed (and moves its schedule on), then saves the issue events of
 * all failed check-ins ({@link MonitorIssues}).
 *
 * <p>Safe with any number of processes sweeping at once: each statement claims its rows with
 * {@code FOR UPDATE SKIP LOCKED}, so a monitor or check-in is marked by exactly one sweep, and rows
 * another sweep holds are left for it. Each statement handles at most {@code batchSize} rows; the
 * rest wait for the next sweep.
 *
 * <p>A monitor far behind (the processors were down) gets one missed check-in, at the time it was
 * first expected, and its next expected check-in jumps past {@code now}: one missed check-in stands
 * for the run of ticks that passed unseen, instead of a storm of them.
 */
public final class MonitorScheduler {

  private static final String MARK_TIMEOUTS = "UPDATE monitor_checkins c SET status = 'timeout', "
      + "date_updated = now(), needs_issue = true FROM (SELECT id FROM monitor_checkins "
      + "WHERE status = 'in_progress' AND timeout_at <= $1 ORDER BY timeout_at LIMIT $2 FOR UPDATE SKIP LOCKED) t "
      + "WHERE c.id = t.id";

  private static final String CLAIM_OVERDUE = "SELECT id, project_id, config, next_checkin FROM monitors "
      + "WHERE status = 'active' AND next_checkin_latest <= $1 ORDER BY next_checkin_latest LIMIT $2 "
      + "FOR UPDATE SKIP LOCKED";

  private static final String INSERT_MISSED = "INSERT INTO monitor_checkins (monitor_id, guid, project_id, status, "
      + "environment, date_added, date_updated, needs_issue) "
      + "SELECT u.m, gen_random_uuid(), u.p, 'missed', COALESCE((SELECT c.environment FROM monitor_checkins c "
      + "WHERE c.monitor_id = u.m ORDER BY c.date_added DESC LIMIT 1), 'production'), u.e, now(), true "
      + "FROM unnest($1::bigint[], $2::bigint[], $3::timestamptz[]) AS u(m, p, e)";

  private static final String MOVE_SCHEDULES = "UPDATE monitors m SET next_checkin = u.n, next_checkin_latest = u.nl "
      + "FROM unnest($1::bigint[], $2::timestamptz[], $3::timestamptz[]) AS u(id, n, nl) WHERE m.id = u.id";

  /** Rounds of issue events one sweep saves at most, so one sweep stays short. */
  private static final int MAX_ISSUE_ROUNDS = 10;

  private final Pool pool;
  private final int batchSize;
  private final MonitorIssues issues;
  private final MonitorMetrics metrics;

  public MonitorScheduler(Pool pool, ItemSaver saver, int batchSize, int issueBatchSize, MeterRegistry registry) {
    this.pool = pool;
    this.batchSize = batchSize;
    this.metrics = new MonitorMetrics(registry);
    this.issues = new MonitorIssues(pool, saver, issueBatchSize, metrics);
  }

  /** What one sweep did. */
  public record Sweep(int timeouts, int missed, int issueEvents) {
  }

  /** One pass of the clock at {@code now} (the wall clock in production, any instant in tests). */
  public Future<Sweep> sweep(Instant now) {
    return markTimeouts(now).compose(timeouts -> markMissed(now)
        .compose(missed -> raiseIssues(0, 0).map(events -> new Sweep(timeouts, missed, events))));
  }

  private Future<Integer> markTimeouts(Instant now) {
    return pool.preparedQuery(MARK_TIMEOUTS).execute(args(time(now), batchSize)).map(rows -> {
      metrics.marked("timeout", rows.rowCount());
      return rows.rowCount();
    });
  }

  private Future<Integer> markMissed(Instant now) {
    return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_OVERDUE).execute(args(time(now), batchSize))
        .compose(rows -> {
          List<Long> ids = new ArrayList<>();
          List<Long> projects = new ArrayList<>();
          List<OffsetDateTime> expected = new ArrayList<>();
          List<OffsetDateTime> next = new ArrayList<>();
          List<OffsetDateTime> latest = new ArrayList<>();
          List<Long> missedIds = new ArrayList<>();
          for (Row row : rows) {
            long id = row.getLong("id");
            MonitorSchedule schedule = MonitorStore.schedule(MonitorStore.json(row, "config"));
            Instant due = MonitorStore.instant(row, "next_checkin");
            ids.add(id);
            if (schedule == null || due == null) {
              // nothing to expect any more: stop sweeping it until a check-in brings a schedule
              next.add(null);
              latest.add(null);
              continue;
            }
            missedIds.add(id);
            projects.add(row.getLong("project_id"));
            expected.add(time(due));
            Instant following = schedule.nextCheckin(due);
            if (!schedule.latest(following).isAfter(now)) {
              following = schedule.nextCheckin(now);
            }
            next.add(time(following));
            latest.add(time(schedule.latest(following)));
          }
          if (ids.isEmpty()) {
            return Future.succeededFuture(0);
          }
          Future<?> insert = missedIds.isEmpty() ? Future.succeededFuture()
              : conn.preparedQuery(INSERT_MISSED).execute(args(missedIds.toArray(Long[]::new),
                  projects.toArray(Long[]::new), expected.toArray(OffsetDateTime[]::new)));
          return insert.compose(v -> move(conn, ids, next, latest)).map(v -> {
            metrics.marked("missed", missedIds.size());
            return missedIds.size();
          });
        }));
  }

  private static Future<Void> move(SqlConnection conn, List<Long> ids, List<OffsetDateTime> next,
      List<OffsetDateTime> latest) {
    return conn.preparedQuery(MOVE_SCHEDULES).execute(args(ids.toArray(Long[]::new),
        next.toArray(OffsetDateTime[]::new), latest.toArray(OffsetDateTime[]::new))).mapEmpty();
  }

  private Future<Integer> raiseIssues(int round, int total) {
    return issues.raisePending().compose(n -> {
      if (n == 0 || round + 1 >= MAX_ISSUE_ROUNDS) {
        return Future.succeededFuture(total + n);
      }
      return raiseIssues(round + 1, total + n);
    });
  }
}

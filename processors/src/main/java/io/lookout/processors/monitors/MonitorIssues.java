package io.lookout.processors.monitors;

import static io.lookout.processors.monitors.MonitorStore.args;

import io.lookout.processors.grouping.GroupingResult;
import io.lookout.processors.save.ItemSaver;
import io.lookout.processors.save.SaveItem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns finished check-ins into incidents and issue events, as Sentry's monitor incidents do:
 * <ul>
 *   <li>a monitor opens an incident when its last {@code failure_issue_threshold} finished check-ins
 *       (its monitor_config, default 1) all failed (error, missed, timeout); those check-ins become
 *       the first events of the incident's issue;
 *   <li>while the incident is open, every failed check-in is an event of that issue;
 *   <li>the incident closes, and its issue is resolved, when the last {@code recovery_threshold}
 *       finished check-ins (default 1) are all ok; the next incident is a new issue.
 * </ul>
 * An issue is grouped by {@code md5("monitor:" + id + ":" + first check-in of the incident)}
 * ({@link #issueHash}), titled {@code "Cron failure: <monitor>"} with the reason as message and the
 * monitor's slug as culprit, and saved through the save pipeline like any error (so it reaches the
 * eventstream, ClickHouse and the alert rules).
 *
 * <p>The finished check-ins are an outbox: the statement that records one sets
 * {@code needs_issue}; this evaluates them in the order they were recorded, saves the events,
 * resolves the issues of closed incidents and clears the flags. The event id is the check-in's id
 * and its timestamp the check-in's, so saving an event twice (a crash before the flags are cleared,
 * two schedulers at once) stores it once and counts it once; opening and closing an incident are
 * conditional updates, so two evaluators cannot open two.
 */
public final class MonitorIssues {

  private static final String PENDING = "SELECT c.id, c.guid, c.status, c.date_added, c.environment, c.duration_ms, "
      + "m.id AS monitor_id, m.slug, m.name, m.project_id, m.organization_id, m.config "
      + "FROM monitor_checkins c JOIN monitors m ON m.id = c.monitor_id WHERE c.needs_issue ORDER BY c.id LIMIT $1";

  private static final String INCIDENT = "SELECT m.incident_checkin_id, s.date_added AS incident_started "
      + "FROM monitors m LEFT JOIN monitor_checkins s ON s.id = m.incident_checkin_id WHERE m.id = $1";

  /* the latest finished check-ins up to and with one (monitor_checkins_monitor_finished_idx) */
  private static final String WINDOW = "SELECT id, guid, status, date_added, environment, duration_ms "
      + "FROM monitor_checkins WHERE monitor_id = $1 AND status <> 'in_progress' AND (date_added, id) <= ($2, $3) "
      + "ORDER BY date_added DESC, id DESC LIMIT $4";

  private static final String OPEN = "UPDATE monitors SET incident_checkin_id = $2 WHERE id = $1 "
      + "AND incident_checkin_id IS NULL";

  private static final String CLOSE = "UPDATE monitors SET incident_checkin_id = NULL WHERE id = $1 "
      + "AND incident_checkin_id = $2";

  private static final String RESOLVE = "UPDATE groups SET status = 'resolved', substatus = NULL, resolved_at = now() "
      + "WHERE project_id = $1 AND status = 'unresolved' "
      + "AND id = (SELECT group_id FROM group_hashes WHERE project_id = $1 AND hash = $2)";

  private static final String DONE = "UPDATE monitor_checkins SET needs_issue = false WHERE id = ANY($1::bigint[])";

  /** Sentry caps both thresholds at 720 check-ins. */
  static final int MAX_THRESHOLD = 720;

  private static final Set<String> FAILURES = Set.of("error", "missed", "timeout");

  private final Pool pool;
  private final ItemSaver saver;
  private final int batchSize;
  private final MonitorMetrics metrics;

  MonitorIssues(Pool pool, ItemSaver saver, int batchSize, MonitorMetrics metrics) {
    this.pool = pool;
    this.saver = saver;
    this.batchSize = batchSize;
    this.metrics = metrics;
  }

  /** What one batch of evaluations does: events to save, then issues to resolve. */
  private static final class Outcome {
    final Map<String, SaveItem> events = new LinkedHashMap<>();
    final List<Tuple> resolves = new ArrayList<>();
  }

  /**
   * Evaluates up to one batch of finished check-ins, saves their events and resolves the issues of
   * the incidents they closed; completes with how many check-ins there were.
   */
  Future<Integer> raisePending() {
    return pool.preparedQuery(PENDING).execute(args(batchSize)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      Outcome outcome = new Outcome();
      Long[] ids = new Long[rows.size()];
      int i = 0;
      Future<Void> chain = Future.succeededFuture();
      for (Row row : rows) {
        ids[i++] = row.getLong("id");
        chain = chain.compose(v -> evaluate(row, outcome, true));
      }
      return chain
          .compose(v -> outcome.events.isEmpty() ? Future.succeededFuture()
              : saver.save(new ArrayList<>(outcome.events.values())).mapEmpty())
          // after the save: an incident opened and closed in one batch has its issue by now
          .compose(v -> outcome.resolves.isEmpty() ? Future.succeededFuture()
              : pool.preparedQuery(RESOLVE).executeBatch(outcome.resolves).mapEmpty())
          .compose(v -> pool.preparedQuery(DONE).execute(args((Object) ids)))
          .map(v -> {
            metrics.failureEvents(outcome.events.size());
            return ids.length;
          });
    });
  }

  /** One finished check-in ({@code row}, with its monitor's columns) against its monitor's incident. */
  private Future<Void> evaluate(Row row, Outcome outcome, boolean retry) {
    long monitorId = row.getLong("monitor_id");
    JsonObject config = MonitorStore.json(row, "config");
    return pool.preparedQuery(INCIDENT).execute(args(monitorId)).compose(rows -> {
      Row state = rows.iterator().next();
      Long incident = state.getLong("incident_checkin_id");
      Instant started = MonitorStore.instant(state, "incident_started");
      if (CheckIn.OK.equals(row.getString("status"))) {
        if (incident == null) {
          return Future.succeededFuture();
        }
        int needed = threshold(config, "recovery_threshold");
        return window(row, needed).compose(window -> {
          if (window.size() < needed || !window.stream().allMatch(c -> CheckIn.OK.equals(c.getString("status")))) {
            return Future.succeededFuture();
          }
          return pool.preparedQuery(CLOSE).execute(args(monitorId, incident)).map(closed -> {
            if (closed.rowCount() == 1) {
              outcome.resolves.add(args(row.getLong("project_id"), issueHash(monitorId, incident)));
            }
            return null;
          });
        });
      }
      if (!FAILURES.contains(row.getString("status"))) {
        return Future.succeededFuture();
      }
      int needed = threshold(config, "failure_issue_threshold");
      return window(row, needed).compose(window -> {
        if (incident != null) {
          // this failure is an event of the open incident, and so is any failure of its window since
          // the incident began (the opening events again, after a crash before they were saved)
          for (Row checkIn : window) {
            Instant added = MonitorStore.instant(checkIn, "date_added");
            if (FAILURES.contains(checkIn.getString("status")) && started != null && !added.isBefore(started)) {
              outcome.events.putIfAbsent(checkIn.getUUID("guid").toString(), item(row, checkIn, incident));
            }
          }
          outcome.events.putIfAbsent(row.getUUID("guid").toString(), item(row, row, incident));
          return Future.succeededFuture();
        }
        if (window.size() < needed || !window.stream().allMatch(c -> FAILURES.contains(c.getString("status")))) {
          return Future.succeededFuture();
        }
        long first = window.get(window.size() - 1).getLong("id");
        return pool.preparedQuery(OPEN).execute(args(monitorId, first)).compose(opened -> {
          if (opened.rowCount() == 0) {
            // another evaluator opened one meanwhile: this failure joins it
            return retry ? evaluate(row, outcome, false) : Future.succeededFuture();
          }
          for (Row checkIn : window) {
            outcome.events.putIfAbsent(checkIn.getUUID("guid").toString(), item(row, checkIn, first));
          }
          return Future.succeededFuture();
        });
      });
    });
  }

  /** The latest {@code size} finished check-ins of {@code row}'s monitor up to and with it, newest first. */
  private Future<List<Row>> window(Row row, int size) {
    return pool.preparedQuery(WINDOW).execute(args(row.getLong("monitor_id"), row.getOffsetDateTime("date_added"),
        row.getLong("id"), size)).map(rows -> {
          List<Row> list = new ArrayList<>(rows.size());
          rows.forEach(list::add);
          return list;
        });
  }

  /** A threshold of a monitor config: a whole number from 1 to {@value #MAX_THRESHOLD}, else 1. */
  static int threshold(JsonObject config, String key) {
    Object value = config.getValue(key);
    if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
      return 1;
    }
    return (int) Math.max(1, Math.min(MAX_THRESHOLD, number.longValue()));
  }

  /** The grouping hash of the issue of a monitor's incident that began with check-in {@code incident}. */
  public static String issueHash(long monitorId, long incident) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5")
          .digest(("monitor:" + monitorId + ":" + incident).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JRE", e);
    }
  }

  /** What the issue says about a failed check-in, in Sentry's words. */
  static String reason(String status, JsonObject config) {
    return switch (status) {
      case "missed" -> "Missed check-in";
      case "timeout" -> {
        MonitorSchedule schedule = MonitorStore.schedule(config);
        yield "Check-in exceeded maximum duration of "
            + (schedule == null ? MonitorSchedule.DEFAULT_MAX_RUNTIME : schedule.maxRuntimeMinutes()) + " minutes";
      }
      default -> "An error occurred during the latest check-in";
    };
  }

  /** The issue event of failed check-in {@code checkIn} of {@code monitor}'s incident {@code incident}. */
  private static SaveItem item(Row monitor, Row checkIn, long incident) {
    long monitorId = monitor.getLong("monitor_id");
    String slug = monitor.getString("slug");
    String name = monitor.getString("name");
    JsonObject config = MonitorStore.json(monitor, "config");
    String status = checkIn.getString("status");
    UUID guid = checkIn.getUUID("guid");
    String eventId = guid.toString().replace("-", "");
    Instant timestamp = MonitorStore.instant(checkIn, "date_added");
    String environment = checkIn.getString("environment");
    String title = "Cron failure: " + name;
    String reason = reason(status, config);
    double seconds = timestamp.toEpochMilli() / 1000.0;
    JsonObject event = new JsonObject()
        .put("event_id", eventId)
        .put("level", "error")
        .put("platform", "other")
        .put("type", "default")
        .put("timestamp", seconds)
        .put("received", seconds)
        .put("environment", environment)
        .put("logentry", new JsonObject().put("formatted", reason))
        .put("title", title)
        .put("culprit", slug)
        .put("fingerprint", new JsonArray().add("monitor").add(Long.toString(monitorId)).add(Long.toString(incident)))
        .put("tags", new JsonArray()
            .add(new JsonArray().add("monitor.id").add(Long.toString(monitorId)))
            .add(new JsonArray().add("monitor.slug").add(slug))
            .add(new JsonArray().add("monitor.status").add(status))
            .add(new JsonArray().add("environment").add(environment == null ? "production" : environment)))
        .put("contexts", new JsonObject().put("monitor", new JsonObject()
            .put("id", Long.toString(monitorId))
            .put("slug", slug)
            .put("name", name)
            .put("config", config)
            .put("status", status)
            .put("check_in_id", guid.toString())
            .put("duration", checkIn.getLong("duration_ms"))));
    JsonObject metadata = new JsonObject().put("title", title).put("value", reason);
    GroupingResult grouping = new GroupingResult(List.of(issueHash(monitorId, incident)), title, slug, "default",
        metadata, null);
    return new SaveItem(SaveItem.Kind.ERROR, monitor.getLong("project_id"), monitor.getLong("organization_id"), eventId,
        timestamp, event, grouping, List.of(), null);
  }
}

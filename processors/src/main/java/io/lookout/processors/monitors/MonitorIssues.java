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
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Turns failed check-ins (error, missed, timeout) into issue events: one issue per monitor (grouping
 * hash {@code md5("monitor:" + id)}), titled {@code "Cron failure: <monitor>"} with the reason as
 * message and the monitor's slug as culprit, saved through the save pipeline like any error (so it reaches the eventstream, ClickHouse and the alert rules).
 *
 * <p>The failed check-ins are an outbox: the statement that records a failure sets
 * {@code needs_issue}; this saves their events and clears the flag. The event id is the check-in's
 * id and its timestamp the check-in's, so saving an event twice (a crash before the flag is cleared,
 * two schedulers at once) stores it once and counts it once.
 */
public final class MonitorIssues {

  private static final String PENDING = "SELECT c.id, c.guid, c.status, c.date_added, c.environment, c.duration_ms, "
      + "m.id AS monitor_id, m.slug, m.name, m.project_id, m.organization_id, m.config "
      + "FROM monitor_checkins c JOIN monitors m ON m.id = c.monitor_id WHERE c.needs_issue ORDER BY c.id LIMIT $1";

  private static final String DONE = "UPDATE monitor_checkins SET needs_issue = false WHERE id = ANY($1::bigint[])";

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

  /** Saves the events of up to one batch of pending failures; completes with how many there were. */
  Future<Integer> raisePending() {
    return pool.preparedQuery(PENDING).execute(args(batchSize)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<SaveItem> items = new ArrayList<>(rows.size());
      Long[] ids = new Long[rows.size()];
      int i = 0;
      for (Row row : rows) {
        ids[i++] = row.getLong("id");
        items.add(item(row));
      }
      return saver.save(items)
          .compose(saved -> pool.preparedQuery(DONE).execute(args((Object) ids)))
          .map(v -> {
            metrics.failureEvents(ids.length);
            return ids.length;
          });
    });
  }

  /** The grouping hash of a monitor's failure issue. */
  public static String issueHash(long monitorId) {
    try {
      byte[] digest = MessageDigest.getInstance("MD5").digest(("monitor:" + monitorId).getBytes(StandardCharsets.UTF_8));
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

  private static SaveItem item(Row row) {
    long monitorId = row.getLong("monitor_id");
    String slug = row.getString("slug");
    String name = row.getString("name");
    String status = row.getString("status");
    JsonObject config = MonitorStore.json(row, "config");
    UUID guid = row.getUUID("guid");
    String eventId = guid.toString().replace("-", "");
    Instant timestamp = MonitorStore.instant(row, "date_added");
    String environment = row.getString("environment");
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
        .put("fingerprint", new JsonArray().add("monitor").add(Long.toString(monitorId)))
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
            .put("duration", row.getLong("duration_ms"))));
    JsonObject metadata = new JsonObject().put("title", title).put("value", reason);
    GroupingResult grouping = new GroupingResult(List.of(issueHash(monitorId)), title, slug, "default", metadata, null);
    return new SaveItem(SaveItem.Kind.ERROR, row.getLong("project_id"), row.getLong("organization_id"), eventId,
        timestamp, event, grouping, List.of(), null);
  }
}

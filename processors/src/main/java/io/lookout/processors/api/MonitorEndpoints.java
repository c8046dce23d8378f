package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Cron monitors in Sentry's shape:
 * <pre>
 * GET /api/0/organizations/{org}/monitors/                    monitors, by slug, paginated
 * GET /api/0/organizations/{org}/monitors/{slug}/checkins/    a monitor's check-ins, newest first
 * </pre>
 * A monitor carries one environment entry (the environment of its latest check-in) with the
 * status Sentry derives from its incident and that check-in: while an incident is open
 * ({@code MonitorIssues}) the latest failure's ({@code error}, {@code missed_checkin},
 * {@code timeout}; {@code error} after an ok that has not yet ended it), else {@code ok} (a failure
 * below the monitor's {@code failure_issue_threshold} too), or {@code active} before the first
 * check-in finished.
 */
final class MonitorEndpoints {

  private static final String MONITOR_COLUMNS = "m.id, m.slug, m.name, m.status, m.config, m.date_added,"
      + " m.last_checkin, m.next_checkin, m.next_checkin_latest, m.incident_checkin_id,"
      + " p.id AS project_id, p.slug AS project_slug, p.name AS project_name, p.platform AS project_platform,"
      + " o.id AS org_id, o.slug AS org_slug, lc.status AS last_status, lc.environment AS last_environment";

  private static final String MONITOR_FROM = " FROM monitors m JOIN organizations o ON o.id = m.organization_id"
      + " JOIN projects p ON p.id = m.project_id"
      + " LEFT JOIN LATERAL (SELECT c.status, c.environment FROM monitor_checkins c WHERE c.monitor_id = m.id"
      + " ORDER BY c.date_added DESC, c.id DESC LIMIT 1) lc ON true";

  private final ApiStore store;
  private final ApiContext api;

  MonitorEndpoints(ApiStore store, ApiContext api) {
    this.store = store;
    this.api = api;
  }

  Future<?> list(RoutingContext ctx) {
    ApiContext.require(ctx, "org:read");
    int limit = api.limit(ctx);
    String cursor = ctx.request().getParam("cursor");
    int offset = offset(cursor);
    return organization(ctx.pathParam("org")).compose(org -> store.pool().preparedQuery("SELECT " + MONITOR_COLUMNS
            + MONITOR_FROM + " WHERE m.organization_id = $1 ORDER BY m.slug, m.id LIMIT $2 OFFSET $3")
        .execute(Tuple.of(org, limit + 1, offset)).map(rows -> {
          JsonArray body = new JsonArray();
          int n = 0;
          for (Row row : rows) {
            if (n++ < limit) {
              body.add(monitor(row));
            }
          }
          boolean more = rows.size() > limit;
          String url = api.urlWithoutCursor(ctx);
          String base = url.contains("?") ? url : url + "?";
          String prev = "0:" + Math.max(0, offset - limit) + ":1";
          String next = "0:" + (offset + limit) + ":0";
          ApiContext.link(ctx, "<" + base + "&cursor=" + prev + ">; rel=\"previous\"; results=\"" + (offset > 0)
              + "\"; cursor=\"" + prev + "\", <" + base + "&cursor=" + next + ">; rel=\"next\"; results=\"" + more
              + "\"; cursor=\"" + next + "\"");
          ApiContext.ok(ctx, body);
          return null;
        }));
  }

  Future<?> checkins(RoutingContext ctx) {
    ApiContext.require(ctx, "org:read");
    Cursor cursor = Cursor.parse(ctx.request().getParam("cursor"));
    int limit = api.limit(ctx);
    return organization(ctx.pathParam("org")).compose(org -> store.pool().preparedQuery("SELECT m.id, m.config"
            + " FROM monitors m WHERE m.organization_id = $1 AND m.slug = $2")
        .execute(Tuple.of(org, ctx.pathParam("slug"))).compose(monitors -> {
          Row monitor = ApiStore.first(monitors);
          List<Object> args = new ArrayList<>();
          args.add(monitor.getLong("id"));
          boolean backwards = cursor != null && cursor.prev();
          String order = backwards ? " ASC" : " DESC";
          String keyset = "";
          if (cursor != null) {
            args.add(Cursor.time(cursor.value()));
            args.add(cursor.id());
            keyset = " AND (c.date_added, c.id) " + (backwards ? ">" : "<") + " ($2, $3)";
          }
          args.add(limit + 1);
          String sql = "SELECT c.id, c.guid, c.status, c.duration_ms, c.environment, c.date_added, c.date_updated"
              + " FROM monitor_checkins c WHERE c.monitor_id = $1" + keyset
              + " ORDER BY c.date_added" + order + ", c.id" + order + " LIMIT $" + args.size();
          return store.pool().preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
            List<Row> list = new ArrayList<>(rows.size());
            rows.forEach(list::add);
            Page<Row> page = Page.of(list, limit, cursor, row -> Cursor.micros(row.getOffsetDateTime("date_added")),
                row -> row.getLong("id"));
            Object config = apiConfig(monitor.getValue("config"));
            JsonArray body = new JsonArray();
            for (Row row : page.items()) {
              body.add(new JsonObject()
                  .put("id", row.getUUID("guid").toString())
                  .put("environment", row.getString("environment"))
                  .put("status", row.getString("status"))
                  .put("duration", row.getLong("duration_ms"))
                  .put("dateCreated", ApiJson.date(row.getOffsetDateTime("date_added")))
                  .put("dateUpdated", ApiJson.date(row.getOffsetDateTime("date_updated")))
                  .put("monitorConfig", config)
                  .put("attachmentId", null));
            }
            ApiContext.link(ctx, page.linkHeader(api.urlWithoutCursor(ctx)));
            ApiContext.ok(ctx, body);
            return null;
          });
        }));
  }

  private Future<Long> organization(String slug) {
    return store.pool().preparedQuery("SELECT id FROM organizations WHERE slug = $1").execute(Tuple.of(slug))
        .map(rows -> ApiStore.first(rows).getLong(0));
  }

  /** The list's cursor {@code 0:OFFSET:IS_PREV}, Sentry's offset paginator form; 0 when absent. */
  private static int offset(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    String[] parts = cursor.split(":");
    try {
      int offset = Integer.parseInt(parts.length > 1 ? parts[1] : parts[0]);
      if (offset < 0) {
        throw ApiError.badRequest("Invalid cursor parameter.");
      }
      return offset;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid cursor parameter.");
    }
  }

  private static JsonObject monitor(Row row) {
    String lastStatus = row.getString("last_status");
    boolean incident = row.getLong("incident_checkin_id") != null;
    String envStatus;
    if (lastStatus == null || (lastStatus.equals("in_progress") && !incident)) {
      envStatus = "active";
    } else if (!incident) {
      envStatus = "ok";
    } else {
      envStatus = switch (lastStatus) {
        case "missed" -> "missed_checkin";
        case "timeout" -> "timeout";
        default -> "error";
      };
    }
    JsonArray environments = new JsonArray();
    if (lastStatus != null) {
      environments.add(new JsonObject()
          .put("name", row.getString("last_environment"))
          .put("status", envStatus)
          .put("isMuted", false)
          .put("dateCreated", ApiJson.date(row.getOffsetDateTime("date_added")))
          .put("lastCheckIn", date(row, "last_checkin"))
          .put("nextCheckIn", date(row, "next_checkin"))
          .put("nextCheckInLatest", date(row, "next_checkin_latest")));
    }
    return new JsonObject()
        .put("id", Long.toString(row.getLong("id")))
        .put("slug", row.getString("slug"))
        .put("name", row.getString("name"))
        .put("status", row.getString("status"))
        .put("isMuted", false)
        .put("type", "cron_job")
        .put("config", apiConfig(row.getValue("config")))
        .put("dateCreated", ApiJson.date(row.getOffsetDateTime("date_added")))
        .put("project", new JsonObject()
            .put("id", Long.toString(row.getLong("project_id")))
            .put("slug", row.getString("project_slug"))
            .put("name", row.getString("project_name"))
            .put("platform", row.getString("project_platform")))
        .put("environments", environments)
        .put("owner", null);
  }

  private static String date(Row row, String column) {
    return row.getOffsetDateTime(column) == null ? null : ApiJson.date(row.getOffsetDateTime(column));
  }

  /** The SDK's monitor_config as Sentry's API shows it; the stored form when it does not parse. */
  private static Object apiConfig(Object stored) {
    JsonObject config = stored instanceof JsonObject json ? json : new JsonObject();
    try {
      return io.lookout.processors.monitors.MonitorSchedule.fromConfig(config).toApiJson();
    } catch (IllegalArgumentException e) {
      return config;
    }
  }
}

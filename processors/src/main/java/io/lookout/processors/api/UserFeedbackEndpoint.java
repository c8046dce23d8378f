package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /api/0/projects/{org}/{project}/user-feedback/}: the project's user reports, newest
 * first, paginated like the issue list, each with its issue when the event was saved into one.
 */
final class UserFeedbackEndpoint {

  private final ApiStore store;
  private final ApiContext api;

  UserFeedbackEndpoint(ApiStore store, ApiContext api) {
    this.store = store;
    this.api = api;
  }

  Future<?> handle(RoutingContext ctx) {
    ApiContext.require(ctx, "project:read");
    Cursor cursor = Cursor.parse(ctx.request().getParam("cursor"));
    int limit = api.limit(ctx);
    return store.project(ctx.pathParam("org"), ctx.pathParam("project"))
        .compose(project -> store.userReports(project.id(), cursor, limit).map(rows -> {
          List<Row> list = new ArrayList<>(rows.size());
          rows.forEach(list::add);
          Page<Row> page = Page.of(list, limit, cursor, row -> Cursor.micros(row.getOffsetDateTime("report_date_added")),
              row -> row.getLong("report_id"));
          String base = api.baseUrl(ctx);
          JsonArray body = new JsonArray();
          for (Row row : page.items()) {
            String eventId = row.getString("report_event_id");
            body.add(new JsonObject()
                .put("id", Long.toString(row.getLong("report_id")))
                .put("eventID", eventId)
                .put("name", row.getString("report_name"))
                .put("email", row.getString("report_email"))
                .put("comments", row.getString("report_comments"))
                .put("dateCreated", ApiJson.date(row.getOffsetDateTime("report_date_added")))
                .put("user", null)
                .put("event", new JsonObject().put("id", eventId).put("eventID", eventId))
                .put("issue", row.getValue("id") == null ? null : IssueSerializer.issue(row, project, base)));
          }
          ApiContext.link(ctx, page.linkHeader(api.urlWithoutCursor(ctx)));
          ApiContext.ok(ctx, body);
          return null;
        }));
  }
}

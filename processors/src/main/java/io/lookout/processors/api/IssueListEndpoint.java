package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code GET /api/0/projects/{org}/{project}/issues/}: a project's issues, filtered by Sentry's
 * search syntax ({@link IssueSearch}), sorted by {@code date}, {@code new} or {@code freq}, one page
 * of {@code limit} at a time with Sentry's {@code Link} header ({@link Page}).
 */
final class IssueListEndpoint {

  private final ApiStore store;
  private final ApiContext api;

  IssueListEndpoint(ApiStore store, ApiContext api) {
    this.store = store;
    this.api = api;
  }

  Future<?> handle(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    IssueSearch search = IssueSearch.parse(ctx.request().getParam("query"), ctx.request().getParam("status"),
        ctx.request().getParam("level"), ctx.request().getParam("sort"));
    Cursor cursor = Cursor.parse(ctx.request().getParam("cursor"));
    int limit = api.limit(ctx);
    return store.project(ctx.pathParam("org"), ctx.pathParam("project")).compose(project -> {
      Future<List<Row>> rows = search.matchesNothing() ? Future.succeededFuture(List.of())
          : store.issues(project.id(), search, cursor, limit).map(set -> {
            List<Row> list = new ArrayList<>(set.size());
            set.forEach(list::add);
            return list;
          });
      return rows.map(list -> {
        Page<Row> page = Page.of(list, limit, cursor, sortValue(search.sort()), row -> row.getLong("id"));
        String base = api.baseUrl(ctx);
        JsonArray body = new JsonArray();
        page.items().forEach(row -> body.add(IssueSerializer.issue(row, project, base)));
        ApiContext.link(ctx, page.linkHeader(api.urlWithoutCursor(ctx)));
        ApiContext.ok(ctx, body);
        return null;
      });
    });
  }

  private static ToLongFunction<Row> sortValue(IssueSearch.Sort sort) {
    return switch (sort) {
      case DATE -> row -> Cursor.micros(row.getOffsetDateTime("last_seen"));
      case NEW -> row -> Cursor.micros(row.getOffsetDateTime("first_seen"));
      case FREQ -> row -> row.getLong("times_seen");
    };
  }
}

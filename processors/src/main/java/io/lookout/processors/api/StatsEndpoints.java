package io.lookout.processors.api;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The organization stats read from ClickHouse, in Sentry's request and response shapes:
 * <ul>
 *   <li>{@code GET /api/0/organizations/{org}/stats_v2/} ({@code org:read}): outcomes per category,
 *       outcome, reason, key or project over time, from {@code outcomes_hourly}
 *       ({@link OutcomeStatsQuery});</li>
 *   <li>{@code GET /api/0/organizations/{org}/sessions/} ({@code event:read}): release health, i.e.
 *       sessions, users and crash-free rates per release, environment or project, from
 *       {@code sessions_hourly} ({@link SessionStatsQuery}).</li>
 * </ul>
 * Parameters are checked before any query runs; the organization and its projects come from
 * Postgres in one statement.
 */
final class StatsEndpoints {

  private final Pool pool;
  private final ClickHouseWriter clickhouse;
  private final Supplier<Instant> clock;

  StatsEndpoints(Pool pool, ClickHouseWriter clickhouse, Supplier<Instant> clock) {
    this.pool = pool;
    this.clickhouse = clickhouse;
    this.clock = clock;
  }

  Future<?> outcomes(RoutingContext ctx) {
    ApiContext.require(ctx, "org:read");
    OutcomeStatsQuery query = OutcomeStatsQuery.parse(params(ctx), clock.get());
    return StatsScope.resolve(pool, ctx.pathParam("org"), ctx.queryParam("project"))
        .compose(scope -> {
          if (scope.projectIds().isEmpty()) {
            throw ApiError.badRequest("No projects available");
          }
          return clickhouse.query(query.sql(scope));
        })
        .map(rows -> {
          ApiContext.ok(ctx, query.result(rows));
          return null;
        });
  }

  Future<?> sessions(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    SessionStatsQuery query = SessionStatsQuery.parse(params(ctx), clock.get());
    return StatsScope.resolve(pool, ctx.pathParam("org"), ctx.queryParam("project"))
        .compose(scope -> {
          if (scope.projectIds().isEmpty()) {
            return Future.succeededFuture(query.result(List.of(), List.of()));
          }
          return clickhouse.query(query.totalsSql(scope)).compose(totals -> totals.isEmpty()
              ? Future.succeededFuture(query.result(totals, List.of()))
              : clickhouse.query(query.seriesSql(scope, totals)).map(series -> query.result(totals, series)));
        })
        .map(body -> {
          ApiContext.ok(ctx, body);
          return null;
        });
  }

  private static Function<String, List<String>> params(RoutingContext ctx) {
    return ctx::queryParam;
  }
}

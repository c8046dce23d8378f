package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * {@code GET|PUT /api/0/issues/{id}/} and {@code /api/0/organizations/{org}/issues/{id}/} (where
 * {@code id} may also be the qualified short id, {@code BACKEND-1Z}).
 *
 * <p>PUT takes {@code {"status": "resolved" | "unresolved" | "ignored"}} (optionally a {@code substatus}
 * that fits the status) and sets what Sentry sets: resolved clears the substatus and stamps
 * {@code resolved_at}; unresolved means substatus {@code ongoing}; ignored defaults to
 * {@code archived_forever}. Like Sentry's issue details endpoint it answers with the whole updated
 * issue, whose {@code status}, {@code substatus} and {@code statusDetails} are the changed fields.
 */
final class IssueDetailsEndpoint {

  private static final Set<String> IGNORED_SUBSTATUSES =
      Set.of("archived_until_escalating", "archived_until_condition_met", "archived_forever");
  private static final Set<String> UNRESOLVED_SUBSTATUSES = Set.of("ongoing", "new", "regressed", "escalating");

  private final ApiStore store;
  private final ApiContext api;

  IssueDetailsEndpoint(ApiStore store, ApiContext api) {
    this.store = store;
    this.api = api;
  }

  static ApiStore.IssueRef ref(RoutingContext ctx) {
    return ApiStore.IssueRef.parse(ctx.pathParam("org"), ctx.pathParam("issue_id"));
  }

  Future<?> get(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    return store.issue(ref(ctx)).map(row -> {
      ApiContext.ok(ctx, IssueSerializer.details(row, ProjectRef.of(row), api.baseUrl(ctx)));
      return null;
    });
  }

  Future<?> put(RoutingContext ctx) {
    ApiContext.require(ctx, "event:write");
    ApiStore.IssueRef ref = ref(ctx);
    JsonObject body = body(ctx);
    Object rawStatus = body.getValue("status");
    if (rawStatus == null) {
      throw ApiError.badRequest("Nothing to change: send {\"status\": \"resolved\" | \"unresolved\" | \"ignored\"}");
    }
    IssueSearch.Status status = switch (rawStatus instanceof String s ? s : "") {
      case "resolved" -> IssueSearch.Status.RESOLVED;
      case "unresolved" -> IssueSearch.Status.UNRESOLVED;
      case "ignored", "muted", "archived" -> IssueSearch.Status.IGNORED;
      default -> throw ApiError.badRequest("Invalid status '" + rawStatus + "': use resolved, unresolved or ignored");
    };
    Object rawSubstatus = body.getValue("substatus");
    String substatus = switch (status) {
      case RESOLVED -> null;
      case UNRESOLVED -> checkSubstatus(rawSubstatus, UNRESOLVED_SUBSTATUSES, "ongoing", status);
      case IGNORED -> checkSubstatus(rawSubstatus, IGNORED_SUBSTATUSES, "archived_forever", status);
    };
    return store.updateStatus(ref, status, substatus).map(row -> {
      ApiContext.ok(ctx, IssueSerializer.details(row, ProjectRef.of(row), api.baseUrl(ctx)));
      return null;
    });
  }

  private static String checkSubstatus(Object raw, Set<String> allowed, String def, IssueSearch.Status status) {
    if (raw == null) {
      return def;
    }
    if (raw instanceof String s && allowed.contains(s)) {
      return s;
    }
    throw ApiError.badRequest("Invalid substatus '" + raw + "' for status " + status.sql() + ": use one of "
        + String.join(", ", allowed.stream().sorted().toList()));
  }

  private static JsonObject body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.badRequest("Request body required: {\"status\": \"resolved\" | \"unresolved\" | \"ignored\"}");
    }
    try {
      Object value = io.vertx.core.json.Json.decodeValue(text);
      if (value instanceof JsonObject obj) {
        return obj;
      }
    } catch (DecodeException e) {
      throw ApiError.badRequest("Malformed JSON body: " + e.getMessage());
    }
    throw ApiError.badRequest("The body must be a JSON object");
  }
}

package io.lookout.processors.api;

import io.lookout.processors.postprocess.RuleParser;
import io.lookout.processors.postprocess.RuleParser.InvalidRuleException;
import io.lookout.processors.postprocess.RuleParser.RuleSpec;
import io.lookout.processors.postprocess.RuleStore;
import io.lookout.processors.postprocess.RuleStore.StoredRule;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Issue alert rules, as Sentry's project rules endpoints serve them:
 * <pre>
 * GET    /api/0/projects/{org}/{project}/rules/             200 [rule, ...] (newest first)
 * POST   /api/0/projects/{org}/{project}/rules/             201 rule
 * GET    /api/0/projects/{org}/{project}/rules/{rule_id}/   200 rule
 * PUT    /api/0/projects/{org}/{project}/rules/{rule_id}/   200 rule (fields not sent keep their value)
 * DELETE /api/0/projects/{org}/{project}/rules/{rule_id}/   202
 * </pre>
 * A body that is not a valid rule is a 400 {@code {"detail": "<field>: <what is wrong>"}}
 * ({@link RuleParser}). Reads need {@code project:read}, writes {@code project:write}.
 */
final class RuleEndpoints {

  private final ApiStore store;
  private final RuleStore rules;

  RuleEndpoints(ApiStore store, RuleStore rules) {
    this.store = store;
    this.rules = rules;
  }

  Future<?> list(RoutingContext ctx) {
    ApiContext.require(ctx, "project:read");
    return project(ctx).compose(project -> rules.list(project.id()).map(list -> {
      JsonArray body = new JsonArray();
      list.forEach(rule -> body.add(serialize(rule, project)));
      ApiContext.ok(ctx, body);
      return null;
    }));
  }

  Future<?> create(RoutingContext ctx) {
    ApiContext.require(ctx, "project:write");
    RuleSpec spec = spec(body(ctx));
    return project(ctx).compose(project -> rules.create(project.id(), spec).map(rule -> {
      ApiContext.json(ctx, 201, serialize(rule, project));
      return null;
    }));
  }

  Future<?> get(RoutingContext ctx) {
    ApiContext.require(ctx, "project:read");
    long ruleId = ApiContext.id(ctx.pathParam("rule_id"));
    return project(ctx).compose(project -> rules.get(project.id(), ruleId).map(rule -> {
      if (rule == null) {
        throw ApiError.notFound();
      }
      ApiContext.ok(ctx, serialize(rule, project));
      return null;
    }));
  }

  Future<?> update(RoutingContext ctx) {
    ApiContext.require(ctx, "project:write");
    long ruleId = ApiContext.id(ctx.pathParam("rule_id"));
    JsonObject changes = body(ctx);
    return project(ctx).compose(project -> rules.get(project.id(), ruleId).compose(existing -> {
      if (existing == null) {
        throw ApiError.notFound();
      }
      JsonObject merged = RuleParser.toRequest(existing.spec());
      changes.forEach(e -> merged.put(e.getKey(), e.getValue()));
      return rules.update(project.id(), ruleId, spec(merged));
    }).map(rule -> {
      if (rule == null) {
        throw ApiError.notFound();
      }
      ApiContext.ok(ctx, serialize(rule, project));
      return null;
    }));
  }

  Future<?> delete(RoutingContext ctx) {
    ApiContext.require(ctx, "project:write");
    long ruleId = ApiContext.id(ctx.pathParam("rule_id"));
    return project(ctx).compose(project -> rules.delete(project.id(), ruleId).map(deleted -> {
      if (!deleted) {
        throw ApiError.notFound();
      }
      ctx.response().setStatusCode(202).end();
      return null;
    }));
  }

  /** Sentry's {@code RuleSerializer} fields. */
  static JsonObject serialize(StoredRule rule, ProjectRef project) {
    RuleSpec spec = rule.spec();
    return new JsonObject()
        .put("id", Long.toString(rule.id()))
        .put("conditions", labelled(spec.conditions()))
        .put("filters", labelled(spec.filters()))
        .put("actions", labelled(spec.actions()))
        .put("actionMatch", spec.actionMatch().code())
        .put("filterMatch", spec.filterMatch().code())
        .put("frequency", spec.frequency())
        .put("name", spec.name())
        .put("dateCreated", ApiJson.date(rule.dateAdded()))
        .put("owner", null)
        .put("createdBy", null)
        .put("environment", spec.environment())
        .put("projects", new JsonArray().add(project.slug()))
        .put("status", rule.status())
        .put("snooze", false);
  }

  private static JsonArray labelled(JsonArray items) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      out.add(item.copy().put("name", RuleParser.label(item)));
    }
    return out;
  }

  private Future<ProjectRef> project(RoutingContext ctx) {
    return store.project(ctx.pathParam("org"), ctx.pathParam("project"));
  }

  private static RuleSpec spec(JsonObject body) {
    try {
      return RuleParser.parse(body);
    } catch (InvalidRuleException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  private static JsonObject body(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      throw ApiError.badRequest("Request body required: a rule {\"name\", \"actionMatch\", \"conditions\", \"actions\", ...}");
    }
    try {
      if (Json.decodeValue(text) instanceof JsonObject obj) {
        return obj;
      }
    } catch (DecodeException e) {
      throw ApiError.badRequest("Malformed JSON body: " + e.getMessage());
    }
    throw ApiError.badRequest("The body must be a JSON object");
  }
}

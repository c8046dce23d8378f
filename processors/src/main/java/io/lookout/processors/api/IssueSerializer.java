package io.lookout.processors.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;

/** An issue (group) in the shape of Sentry's group serializer. */
final class IssueSerializer {

  private IssueSerializer() {
  }

  /**
   * @param row a row with {@link ApiStore#GROUP_COLUMNS}
   * @param baseUrl where the permalink points ({@code https://host}), no trailing slash
   */
  static JsonObject issue(Row row, ProjectRef project, String baseUrl) {
    long id = row.getLong("id");
    JsonObject metadata = metadata(row.getValue("metadata"));
    String level = row.getString("level");
    String type = row.getString("type");
    return new JsonObject()
        .put("id", Long.toString(id))
        .put("shareId", null)
        .put("shortId", ApiJson.shortId(project.slug(), row.getLong("short_id")))
        .put("title", row.getString("title"))
        .put("culprit", row.getString("culprit"))
        .put("permalink", baseUrl + "/organizations/" + project.organizationSlug() + "/issues/" + id + "/")
        .put("logger", metadata.getValue("logger") instanceof String s ? s : null)
        .put("level", level)
        .put("status", row.getString("status"))
        .put("statusDetails", new JsonObject())
        .put("substatus", row.getString("substatus"))
        .put("isPublic", false)
        .put("platform", row.getString("platform"))
        .put("project", new JsonObject()
            .put("id", Long.toString(project.id()))
            .put("name", project.name())
            .put("slug", project.slug())
            .put("platform", project.platform()))
        .put("type", type)
        .put("metadata", metadata)
        .put("numComments", 0)
        .put("assignedTo", null)
        .put("isBookmarked", false)
        .put("isSubscribed", false)
        .put("subscriptionDetails", null)
        .put("hasSeen", false)
        .put("annotations", new JsonArray())
        .put("issueType", "error".equals(type) || "default".equals(type) ? "error" : type)
        .put("issueCategory", "error")
        .put("priority", priority(level))
        .put("priorityLockedAt", null)
        .put("isUnhandled", Boolean.TRUE.equals(metadata.getValue("is_unhandled")))
        .put("count", Long.toString(row.getLong("times_seen")))
        .put("userCount", 0)
        .put("firstSeen", ApiJson.date(row.getOffsetDateTime("first_seen")))
        .put("lastSeen", ApiJson.date(row.getOffsetDateTime("last_seen")));
  }

  /** The details endpoint adds what Sentry's details serializer adds, empty where Lookout has no such data. */
  static JsonObject details(Row row, ProjectRef project, String baseUrl) {
    return issue(row, project, baseUrl)
        .put("activity", new JsonArray())
        .put("seenBy", new JsonArray())
        .put("participants", new JsonArray())
        .put("pluginActions", new JsonArray())
        .put("pluginIssues", new JsonArray())
        .put("pluginContexts", new JsonArray())
        .put("userReportCount", 0)
        .put("tags", new JsonArray())
        .put("firstRelease", null)
        .put("lastRelease", null);
  }

  /** Sentry's default priority of a new issue, from its level. */
  private static String priority(String level) {
    return switch (level == null ? "" : level) {
      case "fatal", "error" -> "high";
      case "warning" -> "medium";
      default -> "low";
    };
  }

  private static JsonObject metadata(Object value) {
    if (value instanceof JsonObject obj) {
      return obj;
    }
    if (value instanceof String s && s.startsWith("{")) {
      return new JsonObject(s);
    }
    return new JsonObject();
  }
}

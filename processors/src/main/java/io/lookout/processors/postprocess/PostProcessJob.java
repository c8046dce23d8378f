package io.lookout.processors.postprocess;

import io.lookout.storage.kafka.message.EventStreamInsert;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One error event to post-process: the body of a {@code post_process_errors} task (Sentry's
 * {@code post_process_group} kwargs: group, event, project, is_new, is_regression, ...), plus what
 * the alert rules read from the event (level, environment, tags, message), so a worker needs no
 * read to evaluate them. The full event is read from the nodestore only when a rule fires.
 *
 * @param tags the event's tags as (key, value) pairs, with {@code level}, {@code environment} and
 *     {@code release} added as Sentry's event tags have them
 * @param timestampMs the event's timestamp
 */
public record PostProcessJob(long groupId, String eventId, long projectId, boolean isNew, boolean isRegression,
    boolean isNewGroupEnvironment, String level, String environment, String message, String title,
    String culprit, String platform, List<Map.Entry<String, String>> tags, long timestampMs) {

  public PostProcessJob {
    tags = List.copyOf(tags);
    level = level == null ? "error" : level;
  }

  /** The job for an eventstream insert, or null when there is nothing to post-process (no group, skip_consume). */
  public static PostProcessJob of(EventStreamInsert insert) {
    EventStreamInsert.Event e = insert.event();
    EventStreamInsert.State s = insert.state();
    if (e.groupId() == null || s.skipConsume()) {
      return null;
    }
    JsonObject data = e.data();
    List<Map.Entry<String, String>> tags = new ArrayList<>();
    boolean hasLevel = false;
    boolean hasEnvironment = false;
    boolean hasRelease = false;
    if (data.getValue("tags") instanceof JsonArray pairs) {
      for (Object pair : pairs) {
        if (pair instanceof JsonArray p && p.size() == 2 && p.getValue(0) instanceof String k && p.getValue(1) != null) {
          tags.add(Map.entry(k, String.valueOf(p.getValue(1))));
          hasLevel |= k.equals("level");
          hasEnvironment |= k.equals("environment");
          hasRelease |= k.equals("release");
        }
      }
    } else if (data.getValue("tags") instanceof JsonObject map) {
      for (Map.Entry<String, Object> entry : map) {
        if (entry.getValue() != null) {
          tags.add(Map.entry(entry.getKey(), String.valueOf(entry.getValue())));
        }
      }
    }
    String level = data.getString("level", "error");
    String environment = data.getValue("environment") instanceof String env ? env : null;
    if (!hasLevel) {
      tags.add(Map.entry("level", level));
    }
    if (!hasEnvironment && environment != null) {
      tags.add(Map.entry("environment", environment));
    }
    if (!hasRelease && data.getValue("release") instanceof String release) {
      tags.add(Map.entry("release", release));
    }
    return new PostProcessJob(e.groupId(), e.eventId(), e.projectId(), s.isNew(), s.isRegression(),
        s.isNewGroupEnvironment(), level, environment, e.message(), stringOf(data, "title"), stringOf(data, "culprit"),
        e.platform(), tags, e.datetime().toEpochMilli());
  }

  private static String stringOf(JsonObject data, String key) {
    return data.getValue(key) instanceof String s ? s : null;
  }

  /** The value of the first tag named {@code key}, or null. */
  public String tag(String key) {
    for (Map.Entry<String, String> t : tags) {
      if (t.getKey().equals(key)) {
        return t.getValue();
      }
    }
    return null;
  }

  public Buffer toBuffer() {
    return toJson().toBuffer();
  }

  public JsonObject toJson() {
    JsonArray pairs = new JsonArray();
    for (Map.Entry<String, String> t : tags) {
      pairs.add(new JsonArray().add(t.getKey()).add(t.getValue()));
    }
    return new JsonObject().put("group_id", groupId).put("event_id", eventId).put("project_id", projectId)
        .put("is_new", isNew).put("is_regression", isRegression).put("is_new_group_environment", isNewGroupEnvironment)
        .put("level", level).put("environment", environment).put("message", message).put("title", title)
        .put("culprit", culprit).put("platform", platform).put("tags", pairs).put("timestamp_ms", timestampMs);
  }

  /** @throws IllegalArgumentException when {@code body} is not a post-process task body */
  public static PostProcessJob parse(Buffer body) {
    JsonObject o;
    try {
      o = new JsonObject(body);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("post_process_errors body is not a JSON object: " + e.getMessage(), e);
    }
    try {
      if (o.getValue("group_id") == null || o.getString("event_id") == null || o.getValue("project_id") == null) {
        throw new IllegalArgumentException("post_process_errors body needs group_id, event_id and project_id");
      }
      List<Map.Entry<String, String>> tags = new ArrayList<>();
      JsonArray pairs = o.getJsonArray("tags", new JsonArray());
      for (int i = 0; i < pairs.size(); i++) {
        JsonArray p = pairs.getJsonArray(i);
        tags.add(Map.entry(p.getString(0), p.getString(1)));
      }
      return new PostProcessJob(o.getLong("group_id"), o.getString("event_id"), o.getLong("project_id"),
          o.getBoolean("is_new", false), o.getBoolean("is_regression", false),
          o.getBoolean("is_new_group_environment", false), o.getString("level"), o.getString("environment"),
          o.getString("message"), o.getString("title"), o.getString("culprit"), o.getString("platform"), tags,
          o.getLong("timestamp_ms", 0L));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("post_process_errors body has a field of the wrong type: " + e.getMessage(), e);
    }
  }
}

package io.lookout.processors.tasks;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The body of a pipeline task, as Sentry's tasks carry it: where the payload waits in the processing
 * store ({@code cache_key}), and which event it is. The payload itself never travels through the
 * broker.
 */
public record TaskBody(String cacheKey, long projectId, String eventId, long startTime) {

  public Buffer toBuffer() {
    return new JsonObject().put("cache_key", cacheKey).put("project_id", projectId)
        .put("event_id", eventId).put("start_time", startTime).toBuffer();
  }

  /** @throws IllegalArgumentException when {@code body} is not a task body */
  public static TaskBody parse(Buffer body) {
    try {
      JsonObject o = new JsonObject(body);
      String key = o.getString("cache_key");
      String eventId = o.getString("event_id");
      if (key == null || eventId == null) {
        throw new IllegalArgumentException("task body needs cache_key and event_id");
      }
      return new TaskBody(key, o.getLong("project_id", 0L), eventId, o.getLong("start_time", 0L));
    } catch (RuntimeException e) {
      throw e instanceof IllegalArgumentException iae ? iae
          : new IllegalArgumentException("task body is not JSON: " + e.getMessage(), e);
    }
  }
}

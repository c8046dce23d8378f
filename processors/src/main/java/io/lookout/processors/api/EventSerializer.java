package io.lookout.processors.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * A stored event (the normalized Sentry event plus what the save stage added: {@code group_id},
 * {@code hashes}, {@code title}, {@code culprit}, {@code location}, {@code metadata}, {@code type}) in
 * the shape of Sentry's event serializer: camelCase top level, the interfaces as an {@code entries}
 * list of {@code {"type", "data"}}, tags as {@code [{key, value}]}, dates as ISO 8601.
 */
final class EventSerializer {

  private EventSerializer() {
  }

  static JsonObject event(JsonObject raw, long projectId, int sizeBytes) {
    String eventId = raw.getString("event_id");
    Object groupId = raw.getValue("group_id");
    Instant timestamp = instant(raw.getValue("timestamp"));
    Instant received = instant(raw.getValue("received"));
    String release = raw.getValue("release") instanceof String r ? r : null;
    return new JsonObject()
        .put("id", eventId)
        .put("eventID", eventId)
        .put("groupID", groupId == null ? null : groupId.toString())
        .put("projectID", Long.toString(projectId))
        .put("size", sizeBytes)
        .put("title", raw.getValue("title") instanceof String t ? t : "<untitled>")
        .put("culprit", raw.getValue("culprit"))
        .put("location", raw.getValue("location"))
        .put("message", message(raw))
        .put("platform", raw.getValue("platform"))
        .put("type", raw.getValue("type") instanceof String t ? t : "default")
        .put("metadata", objectOr(raw.getValue("metadata")))
        .put("dateCreated", ApiJson.date(timestamp))
        .put("dateReceived", ApiJson.date(received == null ? timestamp : received))
        .put("tags", tags(raw.getValue("tags")))
        .put("entries", entries(raw))
        .put("contexts", objectOr(raw.getValue("contexts")))
        .put("user", raw.getValue("user") instanceof JsonObject u ? u : null)
        .put("sdk", raw.getValue("sdk") instanceof JsonObject s ? s : null)
        .put("context", objectOr(raw.getValue("extra")))
        .put("packages", objectOr(raw.getValue("modules")))
        .put("fingerprints", raw.getValue("hashes") instanceof JsonArray h ? h : new JsonArray())
        .put("errors", raw.getValue("errors") instanceof JsonArray e ? e : new JsonArray())
        .put("dist", raw.getValue("dist"))
        .put("release", release == null ? null : new JsonObject().put("version", release))
        .put("environment", raw.getValue("environment"))
        .put("crashFile", null)
        .put("userReport", null)
        .put("occurrence", null)
        .put("sdkUpdates", new JsonArray())
        .put("resolvedWith", new JsonArray())
        .put("nextEventID", null)
        .put("previousEventID", null)
        .put("_meta", new JsonObject());
  }

  /** The formatted message, as Sentry's {@code event.message}: logentry first, then a plain {@code message}. */
  private static String message(JsonObject raw) {
    if (raw.getValue("logentry") instanceof JsonObject log) {
      if (log.getValue("formatted") instanceof String f) {
        return f;
      }
      if (log.getValue("message") instanceof String m) {
        return m;
      }
    }
    if (raw.getValue("message") instanceof String m) {
      return m;
    }
    if (raw.getValue("message") instanceof JsonObject log) {
      return log.getValue("formatted") instanceof String f ? f : log.getString("message", "");
    }
    return "";
  }

  /** Sentry stores tags as {@code [[key, value], ...]}; SDKs may still send an object. */
  static JsonArray tags(Object tags) {
    JsonArray out = new JsonArray();
    if (tags instanceof JsonArray list) {
      for (Object item : list) {
        if (item instanceof JsonArray pair && pair.size() == 2 && pair.getValue(0) != null) {
          out.add(new JsonObject().put("key", pair.getValue(0).toString()).put("value", text(pair.getValue(1))));
        }
      }
    } else if (tags instanceof JsonObject map) {
      for (Map.Entry<String, Object> e : map) {
        out.add(new JsonObject().put("key", e.getKey()).put("value", text(e.getValue())));
      }
    }
    return out;
  }

  /** The interfaces of the event as Sentry's {@code entries}, in the order its UI shows them. */
  static JsonArray entries(JsonObject raw) {
    JsonArray entries = new JsonArray();
    Object logentry = raw.getValue("logentry") != null ? raw.getValue("logentry") : raw.getValue("message");
    if (logentry instanceof JsonObject log) {
      entries.add(entry("message", new JsonObject()
          .put("formatted", log.getValue("formatted") instanceof String f ? f : log.getValue("message"))
          .put("message", log.getValue("message"))
          .put("params", log.getValue("params"))));
    } else if (logentry instanceof String text && raw.getValue("exception") == null) {
      entries.add(entry("message", new JsonObject().put("formatted", text).put("message", null).put("params", null)));
    }
    if (raw.getValue("exception") instanceof JsonObject exception) {
      entries.add(entry("exception", exception(exception)));
    }
    if (raw.getValue("stacktrace") instanceof JsonObject stacktrace) {
      entries.add(entry("stacktrace", stacktrace(stacktrace)));
    }
    if (raw.getValue("threads") instanceof JsonObject threads) {
      entries.add(entry("threads", threads(threads)));
    }
    if (raw.getValue("breadcrumbs") instanceof JsonObject breadcrumbs) {
      entries.add(entry("breadcrumbs", breadcrumbs(breadcrumbs)));
    }
    if (raw.getValue("request") instanceof JsonObject request) {
      entries.add(entry("request", request(request)));
    }
    if (raw.getValue("debug_meta") instanceof JsonObject debug) {
      entries.add(entry("debugmeta", new JsonObject()
          .put("images", debug.getValue("images") instanceof JsonArray a ? a : new JsonArray())
          .put("sdk_info", debug.getValue("sdk_info"))));
    }
    return entries;
  }

  private static JsonObject entry(String type, JsonObject data) {
    return new JsonObject().put("type", type).put("data", data);
  }

  private static JsonObject exception(JsonObject exception) {
    JsonArray values = new JsonArray();
    boolean system = false;
    for (Object item : list(exception.getValue("values"))) {
      if (!(item instanceof JsonObject value)) {
        continue;
      }
      JsonObject stacktrace = value.getValue("stacktrace") instanceof JsonObject s ? stacktrace(s) : null;
      system |= stacktrace != null && stacktrace.getBoolean("hasSystemFrames");
      values.add(new JsonObject()
          .put("type", value.getValue("type"))
          .put("value", value.getValue("value"))
          .put("mechanism", value.getValue("mechanism"))
          .put("threadId", value.getValue("thread_id"))
          .put("module", value.getValue("module"))
          .put("stacktrace", stacktrace)
          .put("rawStacktrace", value.getValue("raw_stacktrace") instanceof JsonObject r ? stacktrace(r) : null));
    }
    return new JsonObject()
        .put("values", values)
        .put("hasSystemFrames", system)
        .put("excOmitted", exception.getValue("exc_omitted"));
  }

  private static JsonObject stacktrace(JsonObject stacktrace) {
    JsonArray frames = new JsonArray();
    boolean inApp = false;
    boolean notInApp = false;
    for (Object item : list(stacktrace.getValue("frames"))) {
      if (item instanceof JsonObject frame) {
        JsonObject f = frame(frame);
        frames.add(f);
        if (Boolean.TRUE.equals(f.getValue("inApp"))) {
          inApp = true;
        } else {
          notInApp = true;
        }
      }
    }
    return new JsonObject()
        .put("frames", frames)
        .put("framesOmitted", stacktrace.getValue("frames_omitted"))
        .put("registers", stacktrace.getValue("registers"))
        // Sentry's rule: "system frames" only mean something next to in-app ones
        .put("hasSystemFrames", inApp && notInApp);
  }

  private static JsonObject frame(JsonObject frame) {
    Object lineno = frame.getValue("lineno");
    return new JsonObject()
        .put("filename", frame.getValue("filename"))
        .put("absPath", frame.getValue("abs_path"))
        .put("module", frame.getValue("module"))
        .put("package", frame.getValue("package"))
        .put("platform", frame.getValue("platform"))
        .put("instructionAddr", frame.getValue("instruction_addr"))
        .put("symbolAddr", frame.getValue("symbol_addr"))
        .put("function", frame.getValue("function"))
        .put("rawFunction", frame.getValue("raw_function"))
        .put("symbol", frame.getValue("symbol"))
        .put("context", context(lineno, frame))
        .put("lineNo", lineno)
        .put("colNo", frame.getValue("colno"))
        .put("inApp", frame.getValue("in_app") instanceof Boolean b ? b : false)
        .put("trust", frame.getValue("trust"))
        .put("errors", frame.getValue("errors"))
        .put("lock", frame.getValue("lock"))
        .put("sourceLink", frame.getValue("source_link"))
        .put("vars", frame.getValue("vars"));
  }

  /** Sentry's frame context: {@code [[lineno, line], ...]} from pre_context, context_line and post_context. */
  private static JsonArray context(Object lineno, JsonObject frame) {
    JsonArray out = new JsonArray();
    if (!(lineno instanceof Number n) || !(frame.getValue("context_line") instanceof String line)) {
      return out;
    }
    long at = n.longValue();
    JsonArray pre = list(frame.getValue("pre_context"));
    for (int i = 0; i < pre.size(); i++) {
      out.add(new JsonArray().add(at - pre.size() + i).add(pre.getValue(i)));
    }
    out.add(new JsonArray().add(at).add(line));
    JsonArray post = list(frame.getValue("post_context"));
    for (int i = 0; i < post.size(); i++) {
      out.add(new JsonArray().add(at + 1 + i).add(post.getValue(i)));
    }
    return out;
  }

  private static JsonObject threads(JsonObject threads) {
    JsonArray values = new JsonArray();
    for (Object item : list(threads.getValue("values"))) {
      if (item instanceof JsonObject t) {
        values.add(new JsonObject()
            .put("id", t.getValue("id"))
            .put("current", t.getValue("current"))
            .put("crashed", t.getValue("crashed"))
            .put("name", t.getValue("name"))
            .put("state", t.getValue("state"))
            .put("heldLocks", t.getValue("held_locks"))
            .put("stacktrace", t.getValue("stacktrace") instanceof JsonObject s ? stacktrace(s) : null)
            .put("rawStacktrace", t.getValue("raw_stacktrace") instanceof JsonObject r ? stacktrace(r) : null));
      }
    }
    return new JsonObject().put("values", values);
  }

  private static JsonObject breadcrumbs(JsonObject breadcrumbs) {
    JsonArray values = new JsonArray();
    for (Object item : list(breadcrumbs.getValue("values"))) {
      if (item instanceof JsonObject b) {
        values.add(new JsonObject()
            .put("type", b.getValue("type") instanceof String t ? t : "default")
            .put("timestamp", ApiJson.date(instant(b.getValue("timestamp"))))
            .put("level", b.getValue("level") instanceof String l ? l : "info")
            .put("message", b.getValue("message"))
            .put("category", b.getValue("category"))
            .put("data", b.getValue("data"))
            .put("event_id", b.getValue("event_id")));
      }
    }
    return new JsonObject().put("values", values);
  }

  private static JsonObject request(JsonObject request) {
    Object query = request.getValue("query_string");
    return new JsonObject()
        .put("url", request.getValue("url"))
        .put("method", request.getValue("method"))
        .put("data", request.getValue("data"))
        .put("query", query instanceof String s ? pairs(s) : query)
        .put("fragment", request.getValue("fragment"))
        .put("cookies", request.getValue("cookies"))
        .put("headers", request.getValue("headers"))
        .put("env", request.getValue("env"))
        .put("inferredContentType", request.getValue("inferred_content_type"))
        .put("apiTarget", request.getValue("api_target"));
  }

  /** A raw query string as Sentry's list of pairs (values left as sent). */
  private static JsonArray pairs(String query) {
    JsonArray out = new JsonArray();
    for (String part : query.split("&")) {
      if (!part.isEmpty()) {
        int eq = part.indexOf('=');
        out.add(eq < 0 ? new JsonArray().add(part).add("") : new JsonArray().add(part.substring(0, eq))
            .add(part.substring(eq + 1)));
      }
    }
    return out;
  }

  /** A Sentry timestamp: float seconds since the epoch (stored events) or an RFC 3339 string (raw SDK events). */
  static Instant instant(Object value) {
    if (value instanceof Number n) {
      BigDecimal seconds = new BigDecimal(n.toString());
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    }
    if (value instanceof String s) {
      try {
        if (s.matches(".*T.*[+-]\\d\\d:\\d\\d$")) {
          return java.time.OffsetDateTime.parse(s).toInstant();
        }
        return Instant.parse(s.endsWith("Z") ? s : s + "Z");
      } catch (DateTimeParseException e) {
        try {
          return instant(new BigDecimal(s));
        } catch (NumberFormatException ignored) {
          return null;
        }
      }
    }
    return null;
  }

  private static JsonObject objectOr(Object value) {
    return value instanceof JsonObject obj ? obj : new JsonObject();
  }

  private static JsonArray list(Object value) {
    return value instanceof JsonArray a ? a : new JsonArray();
  }

  private static String text(Object value) {
    return value == null ? null : value.toString();
  }
}

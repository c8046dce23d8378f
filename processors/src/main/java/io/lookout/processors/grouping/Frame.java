package io.lookout.processors.grouping;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The fields of one stack frame that grouping and titles read, read once. */
record Frame(
    JsonObject raw,
    String module,
    String filename,
    String absPath,
    String function,
    String rawFunction,
    String contextLine,
    String packageName,
    String platform,
    boolean inApp,
    boolean sourcemap) {

  static Frame of(JsonObject f, String eventPlatform, boolean inApp) {
    String platform = Json.nonEmpty(f, "platform");
    JsonObject data = Json.obj(f, "data");
    return new Frame(
        f,
        Json.nonEmpty(f, "module"),
        Json.str(f, "filename"),
        Json.nonEmpty(f, "abs_path"),
        Json.nonEmpty(f, "function"),
        Json.nonEmpty(f, "raw_function"),
        Json.str(f, "context_line"),
        Json.nonEmpty(f, "package"),
        platform != null ? platform : eventPlatform,
        inApp,
        data != null && data.getValue("sourcemap") != null);
  }

  /**
   * The frames of a stack trace object, oldest first. A frame is in-app only when its
   * {@code in_app} is true and no default rule says it is library code ({@link Enhancements}).
   */
  static List<Frame> listOf(JsonObject stacktrace, String eventPlatform) {
    List<JsonObject> raw = Json.objects(Json.arr(stacktrace, "frames"));
    List<Frame> out = new ArrayList<>(raw.size());
    for (JsonObject f : raw) {
      Frame frame = of(f, eventPlatform, Json.isTrue(f, "in_app"));
      if (frame.inApp() && !Enhancements.mayBeInApp(frame)) {
        frame = of(f, eventPlatform, false);
      }
      out.add(frame);
    }
    return out;
  }

  /** Sentry's fields of the recursion test, those that differ most between neighbours first. */
  private static final String[] RECURSION_FIELDS = {
    "function", "lineno", "module", "filename", "abs_path", "package", "colno"
  };

  /** Sentry's recursion test: the same call site as the frame before it. */
  boolean sameCallAs(Frame previous) {
    if (previous == null) {
      return false;
    }
    for (String field : RECURSION_FIELDS) {
      if (!Json.sameScalar(raw.getValue(field), previous.raw.getValue(field))) {
        return false;
      }
    }
    return true;
  }
}

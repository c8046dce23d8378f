package io.lookout.processors.grouping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The parts of an event that grouping reads, each read once and leniently. */
final class EventView {

  final JsonObject event;
  final String platform;
  final List<ExceptionView> exceptions;
  final List<JsonObject> threads;
  final JsonObject stacktrace;
  /** Frames of the top-level stack trace; null without one. */
  final List<Frame> stacktraceFrames;

  EventView(JsonObject event, int maxFrames) {
    this.event = event;
    String p = Json.nonEmpty(event, "platform");
    this.platform = p == null ? "other" : p;
    List<JsonObject> raw = Json.values(event, "exception");
    List<ExceptionView> excs = new ArrayList<>(raw.size());
    for (JsonObject e : raw) {
      excs.add(new ExceptionView(e, platform));
    }
    this.exceptions = excs;
    this.threads = Json.values(event, "threads");
    this.stacktrace = Json.obj(event, "stacktrace");
    this.stacktraceFrames = stacktrace == null ? null : Frame.listOf(stacktrace, platform);
  }

  /** One exception of the chain. {@code frames} is null when it has no stack trace at all. */
  static final class ExceptionView {
    final String type;
    final String value;
    final boolean synthetic;
    final List<String> nsError;
    final List<Frame> frames;

    ExceptionView(JsonObject e, String platform) {
      this.type = Json.nonEmpty(e, "type");
      this.value = Json.str(e, "value");
      JsonObject mechanism = Json.obj(e, "mechanism");
      this.synthetic = Json.isTrue(mechanism, "synthetic");
      JsonObject ns = Json.obj(Json.obj(mechanism, "meta"), "ns_error");
      this.nsError = ns == null ? null : List.of(pyStr(ns.getValue("domain")), pyStr(ns.getValue("code")));
      JsonObject st = Json.obj(e, "stacktrace");
      this.frames = st == null ? null : Frame.listOf(st, platform);
    }
  }

  /** Python's {@code str(value)} for JSON scalars, as Sentry hashes them. */
  private static String pyStr(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    return String.valueOf(value);
  }

  ExceptionView lastException() {
    return exceptions.isEmpty() ? null : exceptions.get(exceptions.size() - 1);
  }

  /** {@code logentry}, or an SDK-shaped {@code message} object Relay would have renamed. */
  private JsonObject logentry() {
    JsonObject logentry = Json.obj(event, "logentry");
    return logentry != null ? logentry : Json.obj(event, "message");
  }

  /** The message grouping uses: the template before the formatted text, as Sentry's. */
  String groupingMessage() {
    JsonObject logentry = logentry();
    if (logentry != null) {
      String m = Json.nonEmpty(logentry, "message");
      if (m == null) {
        m = Json.nonEmpty(logentry, "formatted");
      }
      return m == null ? "" : m;
    }
    return Json.nonEmpty(event, "message");
  }

  /** The message titles use: the formatted text before the template. */
  String displayMessage() {
    JsonObject logentry = logentry();
    String m = Json.nonEmpty(logentry, "formatted");
    if (m == null) {
      m = Json.nonEmpty(logentry, "message");
    }
    if (m == null && logentry == null) {
      m = Json.nonEmpty(event, "message");
    }
    return m;
  }

  /**
   * Sentry's {@code get_crash_frame_from_event_data}: among the frames of the last exception
   * (else the top-level stack trace, else the only thread) that pass the filter, the last in-app
   * one, else the last one.
   */
  Frame crashFrame(Predicate<Frame> filter) {
    List<Frame> frames = null;
    ExceptionView last = lastException();
    if (last != null && last.frames != null && !last.frames.isEmpty()) {
      frames = last.frames;
    }
    if (frames == null) {
      frames = stacktraceFrames;
    }
    if ((frames == null || frames.isEmpty()) && threads.size() == 1) {
      frames = Frame.listOf(Json.obj(threads.get(0), "stacktrace"), platform);
    }
    if (frames == null) {
      return null;
    }
    Frame fallback = null;
    for (int i = frames.size() - 1; i >= 0; i--) {
      Frame f = frames.get(i);
      if (!filter.test(f)) {
        continue;
      }
      if (f.inApp()) {
        return f;
      }
      if (fallback == null) {
        fallback = f;
      }
    }
    return fallback;
  }

  /** "in-app-only", "system-only" or "mixed" over every frame of the event; null without frames. */
  String inAppFrameMix() {
    boolean app = false;
    boolean system = false;
    List<List<Frame>> stacks = new ArrayList<>();
    for (ExceptionView e : exceptions) {
      if (e.frames != null) {
        stacks.add(e.frames);
      }
    }
    if (stacktraceFrames != null) {
      stacks.add(stacktraceFrames);
    }
    for (JsonObject t : threads) {
      JsonObject st = Json.obj(t, "stacktrace");
      if (st != null) {
        stacks.add(Frame.listOf(st, platform));
      }
    }
    for (List<Frame> frames : stacks) {
      for (Frame f : frames) {
        if (f.inApp()) {
          app = true;
        } else {
          system = true;
        }
      }
    }
    if (app && system) {
      return "mixed";
    }
    return app ? "in-app-only" : system ? "system-only" : null;
  }

  /** A fingerprint variable's value, or null when the variable is unknown. */
  String fingerprintVariable(String name) {
    ExceptionView last = lastException();
    switch (name) {
      case "transaction": {
        String t = Json.nonEmpty(event, "transaction");
        return t == null ? "<no-transaction>" : t;
      }
      case "message": {
        String m = displayMessage();
        if (m == null && last != null && last.value != null && !last.value.isEmpty()) {
          m = last.value;
        }
        return m == null ? "<no-message>" : MessageNormalizer.parameterize(m);
      }
      case "type":
      case "error.type":
        return last == null || last.type == null ? "<no-type>" : last.type;
      case "value":
      case "error.value": {
        return last == null || last.value == null || last.value.isEmpty() ? "<no-value>" : last.value;
      }
      case "function":
      case "stack.function": {
        Frame f = crashFrame(x -> true);
        return f == null || f.function() == null ? "<no-function>" : f.function();
      }
      case "path":
      case "stack.abs_path": {
        Frame f = crashFrame(x -> true);
        String p = f == null ? null : f.absPath() != null ? f.absPath() : emptyToNull(f.filename());
        return p == null ? "<no-abs-path>" : p;
      }
      case "stack.filename": {
        Frame f = crashFrame(x -> true);
        String p = f == null ? null : emptyToNull(f.filename()) != null ? f.filename() : f.absPath();
        return p == null ? "<no-filename>" : p;
      }
      case "module":
      case "stack.module": {
        Frame f = crashFrame(x -> true);
        return f == null || f.module() == null ? "<no-module>" : f.module();
      }
      case "package":
      case "stack.package": {
        Frame f = crashFrame(x -> true);
        String pkg = f == null ? null : f.packageName();
        if (pkg != null) {
          pkg = StackGrouping.basename(pkg);
        }
        return pkg == null || pkg.isEmpty() ? "<no-package>" : pkg;
      }
      case "level": {
        String l = Json.nonEmpty(event, "level");
        return l == null ? "<no-level>" : l;
      }
      case "logger": {
        String l = Json.nonEmpty(event, "logger");
        return l == null ? "<no-logger>" : l;
      }
      default:
        if (name.startsWith("tags.")) {
          String tag = name.substring(5);
          String value = tag(tag);
          return value == null ? "<no-value-for-tag-" + tag + ">" : value;
        }
        return null;
    }
  }

  /** A tag's value from {@code [[k, v], ...]} or an object {@code {k: v}}. */
  private String tag(String key) {
    Object tags = event.getValue("tags");
    if (tags instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.getValue(i) instanceof JsonArray pair && pair.size() >= 2
            && key.equals(pair.getValue(0)) && pair.getValue(1) instanceof String v) {
          return v;
        }
      }
    } else if (tags instanceof JsonObject o && o.getValue(key) instanceof String v) {
      return v;
    }
    return null;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}

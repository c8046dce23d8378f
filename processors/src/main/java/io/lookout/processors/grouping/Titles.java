package io.lookout.processors.grouping;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sentry's event types, titles, metadata ({@code sentry.eventtypes}) and culprit
 * ({@code event_manager.get_culprit}); see {@link Grouper} for what each looks like.
 */
final class Titles {

  private Titles() {}

  // platforms whose titles Sentry renders with tree labels (error.py)
  private static final Set<String> TREE_LABEL_PLATFORMS = Set.of(
      "cocoa", "objc", "native", "swift", "c", "android", "apple-ios", "cordova", "capacitor",
      "javascript-cordova", "javascript-capacitor", "react-native", "flutter", "dart-flutter",
      "unity", "dotnet-xamarin");

  static GroupingResult describe(EventView view, GroupingConfig config, List<String> hashes) {
    JsonObject event = view.event;
    String type = eventType(view);
    JsonObject metadata = new JsonObject();
    String title;
    String location = null;
    switch (type) {
      case "error" -> {
        EventView.ExceptionView last = view.lastException();
        metadata.put("value", truncate(last.value == null ? "" : last.value, config.metadataValueMaxLength()));
        if (!last.synthetic) {
          metadata.put("type", truncate(last.type == null ? "Error" : last.type, config.metadataTypeMaxLength()));
        }
        Frame crash = view.crashFrame(f -> f.function() != null
            && !f.function().equals("<redacted>") && !f.function().equals("<unknown>"));
        if (crash != null) {
          String file = crash.filename() != null && !crash.filename().isEmpty() ? crash.filename() : crash.absPath();
          if (file != null) {
            metadata.put("filename", file);
          }
          metadata.put("function", crash.function());
        }
        metadata.put("display_title_with_tree_label", TREE_LABEL_PLATFORMS.contains(view.platform));
        title = metadata.getString("type");
        String value = metadata.getString("value");
        if (title != null && !value.isEmpty()) {
          title += ": " + truncate(MessageNormalizer.firstLine(value), config.titleValueMaxLength());
        }
        if (title == null) {
          title = crash != null ? crash.function() : "<unknown>";
        }
        location = metadata.getString("filename");
      }
      case "csp" -> {
        JsonObject csp = Json.obj(event, "csp");
        String message = strip(view.displayMessage());
        metadata.put("message", message);
        location = normalizeCspUri(Json.str(csp, "blocked_uri"));
        metadata.put("uri", location);
        metadata.put("directive", Json.str(csp, "effective_directive"));
        title = message.isEmpty() ? "<untitled>" : message;
      }
      case "hpkp", "expectct", "expectstaple" -> {
        String message = strip(view.displayMessage());
        metadata.put("message", message);
        location = Json.str(Json.obj(event, type), "hostname");
        metadata.put("origin", location);
        title = message.isEmpty() ? "<untitled>" : message;
      }
      case "transaction" -> {
        String transaction = Json.nonEmpty(event, "transaction");
        metadata.put("title", transaction);
        title = transaction == null ? "<untitled>" : transaction;
      }
      default -> {
        String message = strip(view.displayMessage());
        title = message.isEmpty()
            ? "<unlabeled event>"
            : truncate(MessageNormalizer.firstLine(message), config.titleValueMaxLength());
        metadata.put("title", title);
      }
    }
    String mix = view.inAppFrameMix();
    if (mix != null) {
      metadata.put("in_app_frame_mix", mix);
    }
    return new GroupingResult(hashes, title, culprit(view, config), type, metadata, location);
  }

  /** Relay's inference: explicit transactions, else exceptions, else the security reports. */
  static String eventType(EventView view) {
    JsonObject event = view.event;
    if ("transaction".equals(Json.str(event, "type"))) {
      return "transaction";
    }
    if (!view.exceptions.isEmpty()) {
      return "error";
    }
    for (String key : new String[] {"csp", "hpkp", "expectct", "expectstaple"}) {
      if (Json.obj(event, key) != null) {
        return key;
      }
    }
    return "default";
  }

  static String culprit(EventView view, GroupingConfig config) {
    String culprit = Json.nonEmpty(view.event, "culprit");
    if (culprit == null) {
      String transaction = Json.nonEmpty(view.event, "transaction");
      if (config.culpritPrefersTransaction() && transaction != null) {
        culprit = transaction;
      } else {
        culprit = generatedCulprit(view);
        if (culprit == null || culprit.isEmpty()) {
          culprit = transaction;
        }
      }
    }
    return culprit == null ? "" : truncate(culprit, config.culpritMaxLength());
  }

  /** Sentry's {@code generate_culprit}: the crashing frame, else the request URL. */
  private static String generatedCulprit(EventView view) {
    List<Frame> frames = null;
    if (!view.exceptions.isEmpty()) {
      if (view.lastException().synthetic) {
        return "";
      }
      for (EventView.ExceptionView e : view.exceptions) {
        if (e.frames != null && !e.frames.isEmpty()) {
          frames = e.frames;
        }
      }
    } else {
      frames = view.stacktraceFrames;
    }
    String culprit = null;
    if (frames != null && !frames.isEmpty()) {
      String fallback = null;
      for (int i = frames.size() - 1; i >= 0; i--) {
        Frame f = frames.get(i);
        if (f.inApp()) {
          String c = frameCulprit(f);
          if (!c.isEmpty()) {
            culprit = c;
            break;
          }
        } else if (fallback == null) {
          fallback = frameCulprit(f);
        }
      }
      if (culprit == null) {
        culprit = fallback;
      }
    }
    if (culprit == null || culprit.isEmpty()) {
      culprit = Json.nonEmpty(Json.obj(view.event, "request"), "url");
    }
    return culprit;
  }

  private static String frameCulprit(Frame f) {
    String platform = f.platform();
    String function = f.function() == null ? "?" : f.function();
    if ("objc".equals(platform) || "cocoa".equals(platform) || "native".equals(platform)) {
      return function;
    }
    String fileloc = f.module() != null ? f.module()
        : f.filename() != null && !f.filename().isEmpty() ? f.filename() : null;
    if (fileloc == null) {
      return "";
    }
    if ("javascript".equals(platform) || "node".equals(platform)) {
      return function + "(" + fileloc + ")";
    }
    return fileloc + " in " + function;
  }

  /** Sentry's {@code truncatechars}: at most {@code max} characters, the last three "...". */
  static String truncate(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    int cut = max - 3;
    // never split a surrogate pair
    if (cut > 0 && Character.isHighSurrogate(value.charAt(cut - 1))) {
      cut--;
    }
    return value.substring(0, cut) + "...";
  }

  private static String strip(String s) {
    return s == null ? "" : s.strip();
  }

  /** Sentry's CSP {@code local_script_violation_type}: unsafe-inline/unsafe-eval from 'self'. */
  static String localScriptViolation(JsonObject csp) {
    String violated = Json.str(csp, "violated_directive");
    if (violated != null && "script-src".equals(Json.str(csp, "effective_directive"))
        && "'self'".equals(normalizeCspUri(Json.str(csp, "blocked_uri")))) {
      if (violated.contains("'unsafe-inline'")) {
        return "unsafe-inline";
      }
      if (violated.contains("'unsafe-eval'")) {
        return "unsafe-eval";
      }
    }
    return null;
  }

  /** The blocked URI as Sentry groups it: {@code 'self'}, a bare scheme, or the host. */
  static String normalizeCspUri(String value) {
    if (value == null || value.isEmpty() || value.equals("'self'") || value.equals("self")) {
      return "'self'";
    }
    String v = value.toLowerCase(Locale.ROOT);
    int colon = v.indexOf(':');
    if (colon > 0 && !v.startsWith("http:") && !v.startsWith("https:") && !v.startsWith("ws:")
        && !v.startsWith("wss:") && !v.startsWith("ftp:")) {
      // data:, blob:, chrome-extension:, about: ... are reported by scheme only
      return value.substring(0, colon + 1);
    }
    int start = v.indexOf("//");
    if (start < 0) {
      return value;
    }
    String rest = value.substring(start + 2);
    int end = 0;
    while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String host = rest.substring(0, end);
    int at = host.lastIndexOf('@');
    return at >= 0 ? host.substring(at + 1) : host;
  }
}

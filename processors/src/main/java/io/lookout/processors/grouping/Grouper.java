package io.lookout.processors.grouping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grouping for the save stage, after Sentry's {@code newstyle:2023-01-11} config: the hashes that
 * decide an event's issue, and the title, culprit, metadata and location. Pure code, no
 * I/O, thread-safe; one instance serves all events.
 *
 * <h2>Hashes</h2>
 * A hash is the md5 (lower-case hex) of the contributing values, each encoded as UTF-8 and fed
 * to the digest one after the other with no separator, exactly as Sentry's
 * {@code hash_from_values}; so, for the same contributing values, the hash equals Sentry's. The
 * first strategy that contributes wins, in Sentry's order:
 * <ol>
 *   <li>exception chain ({@code exception.values}, oldest first): per exception the stack trace
 *       values ({@link StackGrouping}), then {@code type} (not for {@code mechanism.synthetic}),
 *       then {@code mechanism.meta.ns_error} domain and code, then the normalized {@code value}
 *       ({@link MessageNormalizer}) only when neither the stack trace nor ns_error contributes;
 *   <li>the stack trace of the only thread ({@code threads.values} with exactly one entry);
 *   <li>the top-level {@code stacktrace};
 *   <li>CSP ({@code effective_directive}, then {@code 'unsafe-inline'}/{@code 'unsafe-eval'} for
 *       local script violations, else the blocked URI's host) and HPKP / Expect-CT /
 *       Expect-Staple (report name, hostname);
 *   <li>the message: {@code logentry.message} (the template), else {@code logentry.formatted},
 *       else a string {@code message}, normalized;
 *   <li>nothing: md5 of nothing, {@code d41d8cd98f00b204e9800998ecf8427e}, Sentry's fallback.
 * </ol>
 * Stack traces are hashed in two variants: "app" (in-app frames only) and "system" (all frames).
 * When some frame is in-app both count and the app hash comes first; when none is, only the
 * system hash. Equal hashes are listed once. A custom {@code fingerprint} without
 * {@code {{ default }}} gives one hash of its resolved values; with it, each default hash is
 * salted: the default values are put where {@code {{ default }}} stands.
 *
 * <h2>Title, culprit, metadata, location</h2>
 * <ul>
 *   <li>error: title {@code "Type: first line of value"} (value cut to 100 characters with
 *       {@code "..."}), or the type alone; metadata {@code {type, value, filename, function,
 *       display_title_with_tree_label, in_app_frame_mix}} from the last exception and its crash
 *       frame (last in-app frame with a function, else the last frame with one); location =
 *       metadata filename;
 *   <li>default: title = first line of the message, or {@code "<unlabeled event>"}; metadata
 *       {@code {title}};
 *   <li>csp: title = the message Relay made; metadata {@code {message, uri, directive}};
 *       location = uri; hpkp/expectct/expectstaple alike with {@code origin};
 *   <li>transaction: title and metadata.title = {@code transaction}.
 * </ul>
 * Culprit: the SDK's {@code culprit}; else the crashing frame of the last exception (or of the
 * top-level stack trace) as {@code "module in function"} ({@code filename} when there is no
 * module; {@code "function(file)"} for JavaScript and Node; the function alone for native), the
 * last in-app frame first, else the last frame; else {@code transaction} (before the frame when
 * {@link GroupingConfig#culpritPrefersTransaction()}); else {@code request.url}; cut to 200.
 */
public final class Grouper {

  private static final Logger LOG = LoggerFactory.getLogger(Grouper.class);

  static final String DEFAULT_VARIABLE = "{{ default }}";
  private static final Pattern FINGERPRINT_VARIABLE = Pattern.compile("\\{\\{\\s*(\\S+)\\s*\\}\\}");

  private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no MD5", e);
    }
  });

  private final GroupingConfig config;

  public Grouper(GroupingConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Groups one normalized event; never throws, whatever the event holds. */
  public GroupingResult group(JsonObject event) {
    JsonObject e = event == null ? new JsonObject() : event;
    try {
      return groupEvent(e);
    } catch (RuntimeException | StackOverflowError ex) {
      // odd input must not stop the save stage: the event lands in the fallback issue
      LOG.debug("grouping fell back for an event it could not read", ex);
      return new GroupingResult(List.of(md5(List.of())), "<unlabeled event>", "", "default",
          new JsonObject().put("title", "<unlabeled event>"), null);
    }
  }

  private GroupingResult groupEvent(JsonObject event) {
    EventView view = new EventView(event, config.maxFrames());
    List<Variant> variants = defaultVariants(view);
    List<String> hashes = applyFingerprint(view, variants);
    return Titles.describe(view, config, hashes);
  }

  // ---- strategies -------------------------------------------------------------------------

  /** A variant of the winning strategy: its contributing values. */
  record Variant(String name, List<String> values) {}

  private List<Variant> defaultVariants(EventView view) {
    List<Variant> v = exceptionVariants(view);
    if (v.isEmpty() && view.threads.size() == 1) {
      JsonObject st = Json.obj(view.threads.get(0), "stacktrace");
      if (st != null && !st.isEmpty()) {
        v = stackVariants(Frame.listOf(st, view.platform));
      }
    }
    if (v.isEmpty() && view.stacktraceFrames != null) {
      v = stackVariants(view.stacktraceFrames);
    }
    if (v.isEmpty()) {
      v = securityVariant(view.event);
    }
    if (v.isEmpty()) {
      String message = view.groupingMessage();
      if (message != null) {
        v = List.of(new Variant("default", List.of(MessageNormalizer.normalize(message))));
      }
    }
    return v;
  }

  /** Per variant: values, whether anything contributes, whether a stack trace contributes. */
  private static final class Parts {
    final List<String> values = new ArrayList<>();
    boolean contributes;
    boolean stackContributes;
  }

  private List<Variant> exceptionVariants(EventView view) {
    if (view.exceptions.isEmpty()) {
      return List.of();
    }
    Parts app = new Parts();
    Parts system = null;
    for (EventView.ExceptionView ex : view.exceptions) {
      if (ex.frames == null) {
        addException(app, ex, StackGrouping.Stack.NONE);
        continue;
      }
      StackGrouping.Stack[] stacks = StackGrouping.stacks(ex.frames, config.maxFrames());
      addException(app, ex, stacks[0]);
      if (system == null) {
        system = new Parts();
      }
      addException(system, ex, stacks[1]);
    }
    return finishVariants(app, system);
  }

  private static void addException(Parts parts, EventView.ExceptionView ex, StackGrouping.Stack stack) {
    parts.values.addAll(stack.values());
    parts.contributes |= stack.contributes();
    parts.stackContributes |= stack.contributes();
    if (ex.type != null && !ex.synthetic) {
      parts.values.add(ex.type);
      parts.contributes = true;
    }
    boolean nsError = ex.nsError != null;
    if (nsError) {
      parts.values.addAll(ex.nsError);
      parts.contributes = true;
    }
    if (ex.value != null && !stack.contributes() && !nsError) {
      String normalized = MessageNormalizer.normalize(ex.value);
      if (!normalized.isEmpty()) {
        parts.values.add(normalized);
        parts.contributes = true;
      }
    }
  }

  private List<Variant> stackVariants(List<Frame> frames) {
    Parts app = new Parts();
    Parts system = new Parts();
    StackGrouping.Stack[] stacks = StackGrouping.stacks(frames, config.maxFrames());
    StackGrouping.Stack a = stacks[0];
    StackGrouping.Stack s = stacks[1];
    app.values.addAll(a.values());
    app.contributes = app.stackContributes = a.contributes();
    system.values.addAll(s.values());
    system.contributes = system.stackContributes = s.contributes();
    return finishVariants(app, system);
  }

  /**
   * Sentry's variant processing: when one variant has a contributing stack trace, variants
   * without one do not count; the system variant counts only when its hash differs from app's.
   */
  private static List<Variant> finishVariants(Parts app, Parts system) {
    boolean anyStack = app.stackContributes || (system != null && system.stackContributes);
    boolean appCounts = app.contributes && (!anyStack || app.stackContributes);
    boolean systemCounts = system != null && system.contributes && (!anyStack || system.stackContributes);
    List<Variant> out = new ArrayList<>(2);
    if (appCounts) {
      out.add(new Variant("app", app.values));
    }
    if (systemCounts && !(appCounts && app.values.equals(system.values))) {
      out.add(new Variant("system", system.values));
    }
    return out;
  }

  private static List<Variant> securityVariant(JsonObject event) {
    JsonObject csp = Json.obj(event, "csp");
    if (csp != null) {
      List<String> values = new ArrayList<>(3);
      String directive = Json.str(csp, "effective_directive");
      values.add(directive == null ? "None" : directive);
      String violation = Titles.localScriptViolation(csp);
      values.add(violation != null ? "'" + violation + "'" : Titles.normalizeCspUri(Json.str(csp, "blocked_uri")));
      return List.of(new Variant("default", values));
    }
    for (String key : new String[] {"hpkp", "expectct", "expectstaple"}) {
      JsonObject report = Json.obj(event, key);
      if (report != null) {
        String id = key.equals("hpkp") ? "hpkp" : key.equals("expectct") ? "expect-ct" : "expect-staple";
        String host = Json.str(report, "hostname");
        return List.of(new Variant("default", List.of(id, host == null ? "None" : host)));
      }
    }
    return List.of();
  }

  // ---- fingerprint -------------------------------------------------------------------------

  private static List<String> applyFingerprint(EventView view, List<Variant> variants) {
    List<String> fingerprint = fingerprintOf(view.event);
    boolean hasDefault = false;
    for (String entry : fingerprint) {
      if ("default".equals(variableOf(entry))) {
        hasDefault = true;
        break;
      }
    }
    List<String> hashes = new ArrayList<>(2);
    if (fingerprint.isEmpty() || (hasDefault && fingerprint.size() == 1)) {
      for (Variant v : variants) {
        addDistinct(hashes, md5(v.values()));
      }
    } else if (!hasDefault) {
      addDistinct(hashes, md5(resolve(view, fingerprint, List.of())));
    } else if (variants.isEmpty()) {
      addDistinct(hashes, md5(resolve(view, fingerprint, List.of())));
    } else {
      for (Variant v : variants) {
        addDistinct(hashes, md5(resolve(view, fingerprint, v.values())));
      }
    }
    if (hashes.isEmpty()) {
      hashes.add(md5(List.of()));
    }
    return hashes;
  }

  private static void addDistinct(List<String> hashes, String hash) {
    if (!hashes.contains(hash)) {
      hashes.add(hash);
    }
  }

  private static List<String> fingerprintOf(JsonObject event) {
    JsonArray fp = Json.arr(event, "fingerprint");
    if (fp == null || fp.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(fp.size());
    for (int i = 0; i < fp.size(); i++) {
      Object value = fp.getValue(i);
      if (value instanceof String s) {
        out.add(s);
      } else if (value instanceof Number || value instanceof Boolean) {
        out.add(String.valueOf(value));
      }
    }
    return out;
  }

  /** The variable name of {@code "{{ name }}"} (spaces optional), or null for a literal. */
  static String variableOf(String entry) {
    Matcher m = FINGERPRINT_VARIABLE.matcher(entry);
    return m.matches() ? m.group(1) : null;
  }

  private static List<String> resolve(EventView view, List<String> fingerprint, List<String> defaults) {
    List<String> out = new ArrayList<>(fingerprint.size() + defaults.size());
    for (String entry : fingerprint) {
      String variable = variableOf(entry);
      if (variable == null) {
        out.add(entry);
      } else if (variable.equals("default")) {
        out.addAll(defaults);
      } else {
        String value = view.fingerprintVariable(variable);
        // newstyle:2023-01-11 keeps an unknown variable as written
        out.add(value == null ? entry : value);
      }
    }
    return out;
  }

  static String md5(List<String> values) {
    MessageDigest digest = MD5.get();
    digest.reset();
    for (String value : values) {
      digest.update(value.getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  // ---- platforms ---------------------------------------------------------------------------

  static boolean isJavascriptFamily(String platform) {
    return "javascript".equals(platform) || "node".equals(platform);
  }

  static boolean isNativeFamily(String platform) {
    return "objc".equals(platform) || "cocoa".equals(platform) || "swift".equals(platform)
        || "native".equals(platform) || "c".equals(platform);
  }
}

package io.lookout.processors.normalize;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code process_event} normalization: what Relay's store normalization ({@code normalize_event}) and
 * PII scrubbing, plus the tag promotion of Sentry's {@code EventManager.save}, do to an error event. Pure
 * code: no I/O, thread-safe, one instance for the whole process.
 *
 * <p>Output shape (what grouping and save read): {@code event_id} (32 lower-case hex), {@code timestamp}
 * and {@code received} (unix seconds, float), {@code start_timestamp} for transactions, {@code type},
 * {@code platform}, {@code level}, {@code logentry} ({@code formatted}, {@code message}, {@code params}; the
 * legacy {@code message} key is folded into it), {@code exception}/{@code threads}/{@code breadcrumbs} as
 * {@code {"values": [...]}}, {@code tags} as {@code [[key, value], ...]}, {@code request.headers},
 * {@code request.cookies} and {@code request.query_string} as pair lists, {@code contexts.*.type} set,
 * {@code errors} and {@code _meta} describing what was changed.
 *
 * <p>In-app: an explicit {@code in_app} is kept; else the project's include prefixes (on {@code module},
 * else {@code package}) mark a frame in-app, its exclude prefixes mark it not in-app, and for JVM events the
 * runtime and framework packages (java., javax., jdk., sun., kotlin., scala., io.netty., io.vertx.,
 * io.sentry., android., ...) are not in-app. Every other frame stays unset, which grouping treats as not
 * in-app, as Sentry does.
 */
public final class EventNormalizer {

  private static final Logger LOG = LoggerFactory.getLogger(EventNormalizer.class);

  /** Relay's VALID_PLATFORMS. */
  private static final Set<String> PLATFORMS = Set.of("as3", "c", "cfml", "cocoa", "csharp", "elixir", "go",
      "groovy", "haskell", "java", "javascript", "native", "node", "objc", "other", "perl", "php", "python",
      "ruby");
  /** Event types kept as sent; others are derived ("error" with an exception, else "default"). */
  private static final Set<String> KEPT_TYPES = Set.of("transaction", "csp", "hpkp", "expectct", "expectstaple",
      "nel", "userreportv2", "feedback", "generic");
  /** Client tags Relay drops: they are set from the event's own fields when it is saved. */
  private static final Set<String> DROPPED_TAGS = Set.of("release", "dist", "user", "filename", "function");
  private static final String[] JVM_SYSTEM_PREFIXES = {"java.", "javax.", "jdk.", "sun.", "com.sun.", "kotlin.",
      "kotlinx.", "scala.", "io.netty.", "io.vertx.", "io.sentry.", "android.", "androidx.", "com.android.",
      "dalvik.", "org.junit.", "org.jetbrains.kotlin."};
  private static final String[] FRAME_STRINGS =
      {"function", "module", "filename", "abs_path", "context_line", "package"};
  private static final int MAX_MESSAGE = 8192;
  private static final int MAX_CULPRIT = 200;
  private static final int MAX_TRANSACTION = 200;
  private static final int MAX_LOGGER = 64;
  private static final int MAX_ENVIRONMENT = 64;
  private static final int MAX_DIST = 64;
  private static final int MAX_RELEASE = 200;
  private static final int MAX_EMAIL = 75;
  /** Relay's slim_frame_data allowance: middle frames beyond it lose vars and source context. */
  private static final int FRAME_ALLOWANCE = 50;
  private static final String ELLIPSIS = "...";

  private final NormalizeConfig config;
  /** Scrubbers per distinct project options; options are few, so this stays small (cleared if it grows). */
  private final Map<ProjectOptions, Scrubber> scrubbers = new ConcurrentHashMap<>();

  /** A two-element array (a tag, a header, a query pair) sized for its two values. */
  static JsonArray pair(Object first, Object second) {
    List<Object> list = new ArrayList<>(2);
    list.add(first);
    list.add(second);
    return new JsonArray(list);
  }

  public EventNormalizer(NormalizeConfig config) {
    this.config = config;
  }

  /**
   * Returns the normalized event (may mutate and return {@code event}). Never throws on odd input:
   * invalid values are removed and recorded in the event's {@code errors} array as Sentry does.
   */
  public JsonObject normalize(JsonObject event, NormalizeContext ctx) {
    JsonObject ev = event == null ? new JsonObject() : event;
    EventMeta meta = new EventMeta();
    try {
      new Run(ev, ctx, meta, scrubber(ctx.options())).run();
    } catch (RuntimeException e) {
      // A bug here must not lose the event: keep what was normalized and say so.
      LOG.warn("normalization of event {} failed part way: {}", ctx.eventId(), e.toString());
      meta.error("invalid_data", null, "normalization failed: " + e);
      ev.put("event_id", eventIdOf(ev, ctx));
      if (!(ev.getValue("timestamp") instanceof Number)) {
        ev.put("timestamp", seconds(ctx.receivedAt()));
      }
    }
    meta.writeTo(ev);
    return ev;
  }

  private Scrubber scrubber(ProjectOptions options) {
    Scrubber s = scrubbers.get(options);
    if (s == null) {
      if (scrubbers.size() > 10_000) {
        scrubbers.clear();
      }
      s = new Scrubber(options);
      scrubbers.put(options, s);
    }
    return s;
  }

  // ------------------------------------------------------------------------------------------------
  // One normalization
  // ------------------------------------------------------------------------------------------------

  private final class Run {
    final JsonObject ev;
    final NormalizeContext ctx;
    final EventMeta meta;
    final Scrubber scrubber;
    final double received;
    /** Every stack trace of the event, found while normalizing shapes (exception, threads, top level). */
    final List<JsonObject> stacktraces = new ArrayList<>(4);
    JsonArray exceptions;
    JsonArray breadcrumbs;
    JsonArray tags;
    Map<String, JsonArray> tagPairs;
    String platform;
    boolean transaction;

    Run(JsonObject ev, NormalizeContext ctx, EventMeta meta, Scrubber scrubber) {
      this.ev = ev;
      this.ctx = ctx;
      this.meta = meta;
      this.scrubber = scrubber;
      this.received = seconds(ctx.receivedAt());
    }

    void run() {
      // Only a trusted upstream may send _meta; an SDK's is discarded as Relay does.
      ev.remove("_meta");
      ev.put("event_id", eventIdOf(ev, ctx));
      normalizeErrorsField();
      normalizeLogEntry();
      normalizeExceptions();
      normalizeThreads();
      normalizeTopLevelStacktrace();
      normalizeBreadcrumbs();
      normalizeType();
      normalizeTimestamps();
      normalizePlatform();
      normalizeLevel();
      parseTags();
      normalizeLogger();
      normalizeRelease();
      normalizeDist();
      normalizeEnvironment();
      normalizeSimpleStrings();
      normalizeFingerprint();
      normalizeSdk();
      normalizeUser();
      normalizeRequest();
      normalizeContexts();
      normalizeObjectField("extra");
      normalizeObjectField("modules");
      normalizeIpAddresses();
      processStacktraces();
      scrub();
      promoteTags();
      trim();
      if (tags != null) {
        ev.put("tags", tags);
      }
    }

    // ---------------------------------------------------------------- basic fields

    void normalizeErrorsField() {
      Object errors = ev.getValue("errors");
      if (errors != null && !(errors instanceof JsonArray)) {
        ev.remove("errors");
      }
    }

    void normalizeLogEntry() {
      Object legacyMessage = ev.remove("message");
      Object le = ev.getValue("logentry");
      if (le == null) {
        le = ev.remove("sentry.interfaces.Message");
      }
      if (le == null) {
        le = legacyMessage;
        legacyMessage = null;
      }
      if (le == null) {
        return;
      }
      JsonObject entry;
      if (le instanceof String s) {
        entry = new JsonObject().put("formatted", s);
      } else if (le instanceof JsonObject o) {
        entry = o;
        coerceString(entry, "formatted", "logentry.formatted");
        coerceString(entry, "message", "logentry.message");
        Object params = entry.getValue("params");
        if (params != null && !(params instanceof JsonArray) && !(params instanceof JsonObject)) {
          entry.remove("params");
        }
      } else if (le instanceof Number || le instanceof Boolean) {
        entry = new JsonObject().put("formatted", String.valueOf(le));
      } else {
        meta.error("invalid_data", "logentry", null);
        ev.remove("logentry");
        return;
      }
      if (isBlank(entry.getValue("formatted"))) {
        Object msg = entry.getValue("message");
        if (msg instanceof String s && !s.isBlank()) {
          entry.put("formatted", s);
        } else if (legacyMessage instanceof String s && !s.isBlank()) {
          entry.put("formatted", s);
        }
      }
      if (isBlank(entry.getValue("formatted")) && isBlank(entry.getValue("message"))) {
        ev.remove("logentry");
        return;
      }
      ev.put("logentry", entry);
    }

    void normalizeExceptions() {
      Object raw = ev.getValue("exception");
      if (raw == null) {
        raw = ev.remove("sentry.interfaces.Exception");
      }
      JsonArray values = valuesOf(raw, "exception");
      if (values == null) {
        ev.remove("exception");
        return;
      }
      for (int i = 0; i < values.size(); i++) {
        JsonObject exc = (JsonObject) values.getValue(i);
        coerceString(exc, "type", "exception.values." + i + ".type");
        coerceString(exc, "value", "exception.values." + i + ".value");
        coerceString(exc, "module", "exception.values." + i + ".module");
        splitTypeFromValue(exc);
        Object mechanism = exc.getValue("mechanism");
        if (mechanism != null && !(mechanism instanceof JsonObject)) {
          exc.remove("mechanism");
          meta.error("invalid_data", "exception.values." + i + ".mechanism", null);
        }
        collectStacktrace(exc, "stacktrace", "exception.values." + i + ".stacktrace");
        collectStacktrace(exc, "raw_stacktrace", "exception.values." + i + ".raw_stacktrace");
      }
      int n = values.size();
      if (n > config.maxExceptions()) {
        // Keep the newest: SDKs list the root cause first and the thrown exception last.
        List<Object> list = values.getList();
        list.subList(0, n - config.maxExceptions()).clear();
        meta.lengthAt(n, "exception", "values");
      }
      if (values.isEmpty()) {
        ev.remove("exception");
        return;
      }
      exceptions = values;
      ev.put("exception", new JsonObject().put("values", values));
    }

    /** Python-style SDKs send only {@code value: "TypeError: message"}: Relay splits the type off. */
    void splitTypeFromValue(JsonObject exc) {
      if (exc.getValue("type") != null || !(exc.getValue("value") instanceof String v)) {
        return;
      }
      int colon = v.indexOf(": ");
      if (colon <= 0 || colon > 128) {
        return;
      }
      for (int i = 0; i < colon; i++) {
        char c = v.charAt(i);
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$')) {
          return;
        }
      }
      exc.put("type", v.substring(0, colon));
      exc.put("value", v.substring(colon + 2));
    }

    void normalizeThreads() {
      JsonArray values = valuesOf(ev.getValue("threads"), "threads");
      if (values == null) {
        ev.remove("threads");
        return;
      }
      for (int i = 0; i < values.size(); i++) {
        collectStacktrace((JsonObject) values.getValue(i), "stacktrace", "threads.values." + i + ".stacktrace");
      }
      ev.put("threads", new JsonObject().put("values", values));
    }

    void normalizeTopLevelStacktrace() {
      if (ev.getValue("stacktrace") == null && ev.getValue("sentry.interfaces.Stacktrace") != null) {
        ev.put("stacktrace", ev.remove("sentry.interfaces.Stacktrace"));
      }
      collectStacktrace(ev, "stacktrace", "stacktrace");
    }

    /**
     * A list of objects from {@code [..]}, {@code {"values": [..]}} or a single object; non-objects are
     * dropped with an error. Null when there is nothing (errors recorded for junk).
     */
    JsonArray valuesOf(Object raw, String name) {
      if (raw == null) {
        return null;
      }
      JsonArray values;
      if (raw instanceof JsonArray arr) {
        values = arr;
      } else if (raw instanceof JsonObject obj) {
        Object inner = obj.getValue("values");
        if (inner instanceof JsonArray arr) {
          values = arr;
        } else if (inner == null && !obj.containsKey("values") && !obj.isEmpty()) {
          values = new JsonArray().add(obj);
        } else if (inner == null) {
          return null;
        } else {
          meta.error("invalid_data", name + ".values", null);
          return null;
        }
      } else {
        meta.error("invalid_data", name, raw);
        return null;
      }
      List<Object> list = values.getList();
      for (int i = list.size() - 1; i >= 0; i--) {
        Object item = list.get(i);
        if (item instanceof Map<?, ?> m) {
          list.set(i, new JsonObject(castMap(m)));
        } else if (!(item instanceof JsonObject)) {
          list.remove(i);
          if (item != null) {
            meta.error("invalid_data", name + ".values." + i, item);
          }
        }
      }
      return values.isEmpty() ? null : values;
    }

    /** Validates {@code holder[key]} as a stack trace with frames and remembers it for frame processing. */
    void collectStacktrace(JsonObject holder, String key, String name) {
      Object st = holder.getValue(key);
      if (st == null) {
        return;
      }
      if (!(st instanceof JsonObject stack)) {
        holder.remove(key);
        meta.error("invalid_data", name, st);
        return;
      }
      Object frames = stack.getValue("frames");
      if (!(frames instanceof JsonArray list)) {
        holder.remove(key);
        if (frames != null) {
          meta.error("invalid_data", name + ".frames", frames);
        }
        return;
      }
      List<Object> items = list.getList();
      for (int i = items.size() - 1; i >= 0; i--) {
        Object f = items.get(i);
        if (f instanceof Map<?, ?> m) {
          items.set(i, new JsonObject(castMap(m)));
        } else if (!(f instanceof JsonObject)) {
          items.remove(i);
          meta.error("invalid_data", name + ".frames." + i, f);
        }
      }
      if (items.isEmpty()) {
        holder.remove(key);
        return;
      }
      stacktraces.add(stack);
    }

    void normalizeBreadcrumbs() {
      JsonArray values = valuesOf(ev.getValue("breadcrumbs"), "breadcrumbs");
      if (values == null) {
        ev.remove("breadcrumbs");
        return;
      }
      int n = values.size();
      if (n > config.maxBreadcrumbs()) {
        values.getList().subList(0, n - config.maxBreadcrumbs()).clear();
        meta.lengthAt(n, "breadcrumbs", "values");
      }
      for (int i = 0; i < values.size(); i++) {
        JsonObject crumb = (JsonObject) values.getValue(i);
        String prefix = "breadcrumbs.values." + i;
        coerceString(crumb, "message", prefix + ".message");
        coerceString(crumb, "category", prefix + ".category");
        coerceString(crumb, "type", prefix + ".type");
        Object level = crumb.getValue("level");
        if (level != null) {
          String l = parseLevel(level);
          if (l == null) {
            crumb.remove("level");
            meta.error("invalid_data", prefix + ".level", level);
          } else {
            crumb.put("level", l);
          }
        }
        Object data = crumb.getValue("data");
        if (data != null && !(data instanceof JsonObject)) {
          crumb.remove("data");
          meta.error("invalid_data", prefix + ".data", null);
        }
      }
      breadcrumbs = values;
      ev.put("breadcrumbs", new JsonObject().put("values", values));
    }

    void normalizeType() {
      Object type = ev.getValue("type");
      if (type instanceof String t && KEPT_TYPES.contains(t)) {
        transaction = t.equals("transaction");
        return;
      }
      ev.put("type", exceptions != null ? "error" : "default");
    }

    // ---------------------------------------------------------------- timestamps

    void normalizeTimestamps() {
      Double ts = parseTimestampField(ev, "timestamp", "timestamp");
      Double start = parseTimestampField(ev, "start_timestamp", "start_timestamp");
      double shift = 0;
      Instant sentAt = ctx.sentAt();
      if (sentAt != null) {
        double drift = received - seconds(sentAt);
        if (Math.abs(drift) * 1000 >= config.maxClockDriftMs()) {
          shift = drift;
          meta.error(new JsonObject().put("type", "clock_drift").put("name", "timestamp")
              .put("sdk_time", sentAt.toString()).put("server_time", ctx.receivedAt().toString()));
        }
      }
      if (ts != null) {
        double t = ts + shift;
        String kind = null;
        if (t > received + config.maxFutureMs() / 1000.0) {
          kind = "future_timestamp";
        } else if (t < received - config.maxPastAgeMs() / 1000.0) {
          kind = "past_timestamp";
        }
        if (kind != null) {
          // Relay treats the event's own timestamp as the send time: everything moves by the same amount.
          meta.error(new JsonObject().put("type", kind).put("name", "timestamp")
              .put("sdk_time", iso(t)).put("server_time", ctx.receivedAt().toString()));
          shift += received - t;
        }
        ev.put("timestamp", ts + shift);
      } else {
        ev.put("timestamp", received);
      }
      ev.put("received", received);
      if (start != null) {
        ev.put("start_timestamp", start + shift);
      }
      if (breadcrumbs != null) {
        for (int i = 0; i < breadcrumbs.size(); i++) {
          JsonObject crumb = breadcrumbs.getJsonObject(i);
          Double t = parseTimestampField(crumb, "timestamp", "breadcrumbs.values." + i + ".timestamp");
          if (t != null) {
            crumb.put("timestamp", t + shift);
          }
        }
      }
      if (ev.getValue("spans") instanceof JsonArray spans) {
        for (int i = 0; i < spans.size(); i++) {
          if (spans.getValue(i) instanceof JsonObject span) {
            Double t = parseTimestampField(span, "timestamp", "spans." + i + ".timestamp");
            if (t != null) {
              span.put("timestamp", t + shift);
            }
            Double s = parseTimestampField(span, "start_timestamp", "spans." + i + ".start_timestamp");
            if (s != null) {
              span.put("start_timestamp", s + shift);
            }
          }
        }
      }
    }

    /** Parses {@code obj[key]} as a timestamp; removes it with an error when it is not one. */
    Double parseTimestampField(JsonObject obj, String key, String name) {
      Object raw = obj.getValue(key);
      if (raw == null) {
        return null;
      }
      Double t = parseTimestamp(raw);
      if (t == null) {
        obj.remove(key);
        meta.error("invalid_data", name, raw);
      }
      return t;
    }

    // ---------------------------------------------------------------- platform, level, strings

    void normalizePlatform() {
      Object p = ev.getValue("platform");
      if (p instanceof String s && PLATFORMS.contains(s)) {
        platform = s;
        return;
      }
      if (p != null && !"".equals(p)) {
        meta.error("invalid_data", "platform", p);
      }
      platform = "other";
      ev.put("platform", platform);
    }

    void normalizeLevel() {
      Object raw = ev.getValue("level");
      String def = transaction ? "info" : "error";
      if (raw == null) {
        ev.put("level", def);
        return;
      }
      String level = parseLevel(raw);
      if (level == null) {
        meta.error("invalid_data", "level", raw);
        level = def;
      }
      ev.put("level", level);
    }

    void normalizeLogger() {
      String logger = coerceString(ev, "logger", "logger");
      if (logger == null) {
        return;
      }
      String t = logger.strip();
      if (t.isEmpty()) {
        ev.remove("logger");
        return;
      }
      if (t.length() > MAX_LOGGER) {
        // Relay keeps the end of a long logger name, cut at a word boundary, and marks the cut with "*".
        String tail = t.substring(t.length() - (MAX_LOGGER - 1));
        int dot = tail.indexOf('.');
        if (dot >= 0 && dot < tail.length() - 1) {
          tail = tail.substring(dot + 1);
        }
        meta.lengthAt(t.length(), "logger");
        t = "*" + tail;
      }
      ev.put("logger", t);
    }

    void normalizeRelease() {
      String release = coerceString(ev, "release", "release");
      if (release == null) {
        return;
      }
      String t = release.strip();
      if (t.isEmpty()) {
        ev.remove("release");
        return;
      }
      if (!validRelease(t)) {
        ev.remove("release");
        meta.error("invalid_data", "release", release);
        return;
      }
      ev.put("release", t);
    }

    void normalizeDist() {
      String dist = coerceString(ev, "dist", "dist");
      if (dist == null) {
        return;
      }
      String t = dist.strip();
      if (t.isEmpty()) {
        ev.remove("dist");
      } else if (t.length() > MAX_DIST) {
        ev.remove("dist");
        meta.error("value_too_long", "dist", dist);
      } else {
        ev.put("dist", t);
      }
    }

    void normalizeEnvironment() {
      String env = coerceString(ev, "environment", "environment");
      if (env == null) {
        return;
      }
      if (env.isEmpty()) {
        ev.remove("environment");
        return;
      }
      if (!validEnvironment(env)) {
        ev.remove("environment");
        meta.error("invalid_data", "environment", env);
      }
    }

    void normalizeSimpleStrings() {
      coerceString(ev, "transaction", "transaction");
      coerceString(ev, "culprit", "culprit");
      coerceString(ev, "server_name", "server_name");
      coerceString(ev, "site", "site");
      for (String key : new String[] {"transaction", "culprit", "server_name", "site"}) {
        if ("".equals(ev.getValue(key))) {
          ev.remove(key);
        }
      }
    }

    void normalizeFingerprint() {
      Object raw = ev.getValue("fingerprint");
      if (raw == null) {
        return;
      }
      if (!(raw instanceof JsonArray arr)) {
        ev.remove("fingerprint");
        meta.error("invalid_data", "fingerprint", raw);
        return;
      }
      JsonArray out = new JsonArray();
      for (Object item : arr) {
        if (item instanceof String s) {
          out.add(s);
        } else if (item instanceof Number || item instanceof Boolean) {
          out.add(String.valueOf(item));
        }
      }
      if (out.isEmpty()) {
        ev.remove("fingerprint");
      } else {
        ev.put("fingerprint", out);
      }
    }

    void normalizeSdk() {
      Object sdk = ev.getValue("sdk");
      if (sdk == null) {
        return;
      }
      if (!(sdk instanceof JsonObject s)) {
        ev.remove("sdk");
        meta.error("invalid_data", "sdk", sdk);
        return;
      }
      coerceString(s, "name", "sdk.name");
      coerceString(s, "version", "sdk.version");
      for (String key : new String[] {"integrations", "packages"}) {
        Object v = s.getValue(key);
        if (v != null && !(v instanceof JsonArray)) {
          s.remove(key);
          meta.error("invalid_data", "sdk." + key, null);
        }
      }
    }

    void normalizeUser() {
      Object raw = ev.getValue("user");
      if (raw == null) {
        raw = ev.remove("sentry.interfaces.User");
        if (raw != null) {
          ev.put("user", raw);
        }
      }
      if (raw == null) {
        return;
      }
      if (!(raw instanceof JsonObject user)) {
        ev.remove("user");
        meta.error("invalid_data", "user", raw);
        return;
      }
      for (String key : new String[] {"id", "email", "username", "name", "segment"}) {
        String v = coerceString(user, key, "user." + key);
        if (v != null && v.isEmpty()) {
          user.remove(key);
        }
      }
      Object data = user.getValue("data");
      if (data != null && !(data instanceof JsonObject)) {
        user.remove("data");
        meta.error("invalid_data", "user.data", null);
      }
    }

    void normalizeRequest() {
      Object raw = ev.getValue("request");
      if (raw == null) {
        raw = ev.remove("sentry.interfaces.Http");
        if (raw != null) {
          ev.put("request", raw);
        }
      }
      if (raw == null) {
        return;
      }
      if (!(raw instanceof JsonObject req)) {
        ev.remove("request");
        meta.error("invalid_data", "request", raw);
        return;
      }
      String url = coerceString(req, "url", "request.url");
      if (url != null) {
        int hash = url.indexOf('#');
        if (hash >= 0) {
          if (req.getValue("fragment") == null && hash + 1 < url.length()) {
            req.put("fragment", url.substring(hash + 1));
          }
          url = url.substring(0, hash);
        }
        int q = url.indexOf('?');
        if (q >= 0) {
          if (req.getValue("query_string") == null && q + 1 < url.length()) {
            req.put("query_string", url.substring(q + 1));
          }
          url = url.substring(0, q);
        }
        req.put("url", url);
      }
      String method = coerceString(req, "method", "request.method");
      if (method != null) {
        req.put("method", method.toUpperCase(Locale.ROOT));
      }
      Object qs = req.getValue("query_string");
      if (qs != null) {
        JsonArray pairs = qs instanceof String s ? parseQuery(s) : toPairs(qs, "request.query_string");
        putOrRemove(req, "query_string", pairs);
      }
      Object cookies = req.getValue("cookies");
      if (cookies != null) {
        JsonArray pairs = cookies instanceof String s ? parseCookies(s) : toPairs(cookies, "request.cookies");
        putOrRemove(req, "cookies", pairs);
      }
      Object headers = req.getValue("headers");
      if (headers != null) {
        JsonArray pairs = toPairs(headers, "request.headers");
        if (pairs != null) {
          for (Object p : pairs) {
            JsonArray pair = (JsonArray) p;
            pair.set(0, headerName(pair.getString(0)));
          }
        }
        putOrRemove(req, "headers", pairs);
      }
      Object env = req.getValue("env");
      if (env != null && !(env instanceof JsonObject)) {
        req.remove("env");
        meta.error("invalid_data", "request.env", null);
      }
      Object data = req.getValue("data");
      if (data instanceof String s && s.length() > 1) {
        char c = s.charAt(0);
        if (c == '{' || c == '[') {
          try {
            Object parsed = c == '{' ? new JsonObject(s) : new JsonArray(s);
            req.put("data", parsed);
            req.put("inferred_content_type", "application/json");
          } catch (RuntimeException notJson) {
            // a raw body that only looks like JSON stays a string
          }
        }
      }
    }

    void normalizeContexts() {
      Object raw = ev.getValue("contexts");
      if (raw == null) {
        return;
      }
      if (!(raw instanceof JsonObject contexts)) {
        ev.remove("contexts");
        meta.error("invalid_data", "contexts", raw);
        return;
      }
      Iterator<Map.Entry<String, Object>> it = contexts.getMap().entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<String, Object> e = it.next();
        Object v = e.getValue();
        if (v instanceof Map<?, ?> m) {
          v = new JsonObject(castMap(m));
          e.setValue(v);
        }
        if (v instanceof JsonObject c) {
          if (!(c.getValue("type") instanceof String)) {
            c.put("type", e.getKey());
          }
        } else {
          it.remove();
          if (v != null) {
            meta.error("invalid_data", "contexts." + e.getKey(), v);
          }
        }
      }
    }

    void normalizeObjectField(String key) {
      Object v = ev.getValue(key);
      if (v != null && !(v instanceof JsonObject)) {
        ev.remove(key);
        meta.error("invalid_data", key, v);
      }
    }

    // ---------------------------------------------------------------- IP addresses

    void normalizeIpAddresses() {
      String client = normalizeIp(ctx.remoteAddr());
      JsonObject request = ev.getValue("request") instanceof JsonObject r ? r : null;
      JsonObject env = request != null && request.getValue("env") instanceof JsonObject e ? e : null;
      if (env != null && "{{auto}}".equals(env.getValue("REMOTE_ADDR"))) {
        if (client != null) {
          env.put("REMOTE_ADDR", client);
        } else {
          env.remove("REMOTE_ADDR");
        }
      }
      JsonObject user = ev.getValue("user") instanceof JsonObject u ? u : null;
      if (user != null) {
        Object ip = user.getValue("ip_address");
        if ("{{auto}}".equals(ip)) {
          if (client != null) {
            user.put("ip_address", client);
          } else {
            user.remove("ip_address");
          }
        } else if (ip != null) {
          String valid = ip instanceof String s ? normalizeIp(s) : null;
          if (valid == null) {
            user.remove("ip_address");
            meta.error("invalid_data", "user.ip_address", ip);
          } else {
            user.put("ip_address", valid);
          }
        }
      }
      String httpIp = env != null && env.getValue("REMOTE_ADDR") instanceof String s ? normalizeIp(s) : null;
      boolean userHasIp = user != null && user.getValue("ip_address") != null;
      if (userHasIp) {
        return;
      }
      String fill = null;
      if (httpIp != null) {
        fill = httpIp;
      } else if (client != null && inferIpFromClient()) {
        fill = client;
      }
      if (fill != null) {
        if (user == null) {
          user = new JsonObject();
          ev.put("user", user);
        }
        user.put("ip_address", fill);
      }
    }

    /**
     * Relay's rule: JavaScript and Cocoa SDKs did not send {@code {{auto}}}, so their events get the client
     * address; newer SDKs say so themselves with {@code sdk.settings.infer_ip}.
     */
    boolean inferIpFromClient() {
      if (ev.getValue("sdk") instanceof JsonObject sdk && sdk.getValue("settings") instanceof JsonObject settings) {
        Object infer = settings.getValue("infer_ip");
        if ("auto".equals(infer)) {
          return true;
        }
        if ("never".equals(infer)) {
          return false;
        }
      }
      return "javascript".equals(platform) || "cocoa".equals(platform) || "objc".equals(platform);
    }

    // ---------------------------------------------------------------- stack traces and in-app

    void processStacktraces() {
      if (stacktraces.isEmpty()) {
        return;
      }
      ProjectOptions options = ctx.options();
      boolean jvm = "java".equals(platform) || "groovy".equals(platform);
      for (JsonObject stack : stacktraces) {
        JsonArray frames = stack.getJsonArray("frames");
        for (Object f : frames.getList()) {
          // raw map access: this loop runs for every frame of every event
          Map<String, Object> frame = ((JsonObject) f).getMap();
          Object lineno = frame.get("lineno");
          if (lineno != null && !(lineno instanceof Number)) {
            frame.remove("lineno");
          }
          Object colno = frame.get("colno");
          if (colno != null && !(colno instanceof Number)) {
            frame.remove("colno");
          }
          Object inApp = frame.get("in_app");
          if (inApp instanceof Boolean) {
            continue;
          }
          if (inApp != null) {
            frame.remove("in_app");
          }
          Boolean decided = inApp(frame, options, jvm || "java".equals(frame.get("platform")));
          if (decided != null) {
            frame.put("in_app", decided);
          }
        }
        limitFrames(stack, frames);
        slimFrames(frames);
      }
    }

    Boolean inApp(Map<String, Object> frame, ProjectOptions options, boolean jvm) {
      Object m = frame.get("module");
      String name = m instanceof String s && !s.isEmpty() ? s : frame.get("package") instanceof String p ? p : null;
      if (name == null) {
        return null;
      }
      if (startsWithAny(name, options.inAppInclude())) {
        return Boolean.TRUE;
      }
      if (startsWithAny(name, options.inAppExclude())) {
        return Boolean.FALSE;
      }
      return jvm && isJvmSystem(name) ? Boolean.FALSE : null;
    }

    /** Keeps the oldest and newest frames and records the gap in {@code frames_omitted} (1-based). */
    void limitFrames(JsonObject stack, JsonArray frames) {
      int n = frames.size();
      int max = config.maxFrames();
      if (n <= max) {
        return;
      }
      int head = max / 2;
      int tail = max - head;
      int removed = n - head - tail;
      frames.getList().subList(head, n - tail).clear();
      stack.put("frames_omitted", pair(head + 1, head + 1 + removed));
      int mark = meta.path.size();
      meta.path.addAll(pathOf(stack));
      meta.path.add("frames");
      meta.length(n);
      meta.truncatePath(mark);
    }

    /** Relay's slim_frame_data: frames in the middle beyond the allowance lose vars and source context. */
    void slimFrames(JsonArray frames) {
      int n = frames.size();
      if (n <= FRAME_ALLOWANCE) {
        return;
      }
      List<Integer> app = new ArrayList<>();
      List<Integer> system = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (Boolean.TRUE.equals(((JsonObject) frames.getValue(i)).getMap().get("in_app"))) {
          app.add(i);
        } else {
          system.add(i);
        }
      }
      int systemHalf = Math.max(0, FRAME_ALLOWANCE - app.size()) / 2;
      List<Integer> strip = new ArrayList<>();
      if (system.size() > 2 * systemHalf) {
        strip.addAll(system.subList(systemHalf, system.size() - systemHalf));
      }
      int remaining = Math.max(0, n - FRAME_ALLOWANCE - strip.size());
      int appHalf = Math.max(0, app.size() - remaining) / 2;
      if (app.size() > 2 * appHalf) {
        strip.addAll(app.subList(appHalf, app.size() - appHalf));
      }
      for (int i : strip) {
        JsonObject frame = frames.getJsonObject(i);
        frame.remove("vars");
        frame.remove("pre_context");
        frame.remove("post_context");
      }
    }

    /** The _meta path of a collected stack trace (found again by identity; there are few). */
    List<String> pathOf(JsonObject stack) {
      if (exceptions != null) {
        for (int i = 0; i < exceptions.size(); i++) {
          JsonObject exc = exceptions.getJsonObject(i);
          if (exc.getValue("stacktrace") == stack) {
            return List.of("exception", "values", Integer.toString(i), "stacktrace");
          }
          if (exc.getValue("raw_stacktrace") == stack) {
            return List.of("exception", "values", Integer.toString(i), "raw_stacktrace");
          }
        }
      }
      if (ev.getValue("threads") instanceof JsonObject threads && threads.getValue("values") instanceof JsonArray t) {
        for (int i = 0; i < t.size(); i++) {
          if (t.getValue(i) instanceof JsonObject thread && thread.getValue("stacktrace") == stack) {
            return List.of("threads", "values", Integer.toString(i), "stacktrace");
          }
        }
      }
      return List.of("stacktrace");
    }

    // ---------------------------------------------------------------- tags

    void parseTags() {
      Object raw = ev.remove("tags");
      if (raw == null) {
        return;
      }
      JsonArray out = new JsonArray();
      Set<String> seen = new HashSet<>();
      if (raw instanceof JsonObject obj) {
        for (Map.Entry<String, Object> e : obj) {
          addClientTag(out, seen, e.getKey(), e.getValue());
        }
      } else if (raw instanceof JsonArray arr) {
        for (Object item : arr) {
          if (item instanceof JsonArray pair && pair.size() == 2) {
            addClientTag(out, seen, pair.getValue(0), pair.getValue(1));
          } else if (item != null) {
            meta.error("invalid_data", "tags", item);
          }
        }
      } else {
        meta.error("invalid_data", "tags", raw);
      }
      tags = out;
    }

    void addClientTag(JsonArray out, Set<String> seen, Object rawKey, Object rawValue) {
      String key = tagString(rawKey);
      String value = tagString(rawValue);
      if (key != null) {
        key = key.strip();
      }
      if (key == null || key.isEmpty()) {
        meta.error("invalid_data", "tags", rawKey == null ? null : String.valueOf(rawKey));
        return;
      }
      if (key.equals("environment")) {
        // Legacy SDKs send the environment as a tag: it becomes the field (the field wins).
        if (value != null && !value.isEmpty() && ev.getValue("environment") == null) {
          ev.put("environment", value);
        }
        return;
      }
      if (DROPPED_TAGS.contains(key)) {
        return;
      }
      if (key.length() > config.maxTagKeyLength()) {
        meta.error("value_too_long", "tags", key);
        return;
      }
      if (value == null || value.isEmpty()) {
        if (rawValue != null) {
          meta.error("invalid_data", "tags." + key, String.valueOf(rawValue));
        }
        return;
      }
      if (value.length() > config.maxTagValueLength()) {
        meta.error("value_too_long", "tags." + key, value);
        return;
      }
      if (value.indexOf('\n') >= 0) {
        meta.error("invalid_data", "tags." + key, value);
        return;
      }
      if (seen.add(key)) {
        out.add(pair(key, value));
      }
    }

    /** Sentry's {@code set_tag}: replaces the value of an existing key, else appends. */
    void setTag(String key, String value) {
      if (!tagValueOk(value)) {
        return;
      }
      JsonArray pair = tagPairs().get(key);
      if (pair != null) {
        pair.set(1, value);
        return;
      }
      addPair(key, value);
    }

    /** Adds a tag derived from an interface unless the event already has that key. */
    void addTag(String key, String value) {
      if (!tagValueOk(value) || tagPairs().containsKey(key)) {
        return;
      }
      addPair(key, value);
    }

    private void addPair(String key, String value) {
      if (tags == null) {
        tags = new JsonArray();
      }
      JsonArray pair = pair(key, value);
      tags.add(pair);
      tagPairs.put(key, pair);
    }

    /**
     * The tag pairs by key, built on the first promoted tag (after parsing and scrubbing, the last
     * steps that change the list otherwise) and kept up to date by {@link #addPair}.
     */
    private Map<String, JsonArray> tagPairs() {
      if (tagPairs == null) {
        tagPairs = new java.util.HashMap<>();
        if (tags != null) {
          for (Object p : tags.getList()) {
            if (p instanceof JsonArray pair && pair.getValue(0) instanceof String k) {
              tagPairs.putIfAbsent(k, pair);
            }
          }
        }
      }
      return tagPairs;
    }

    boolean tagValueOk(String value) {
      return value != null && !value.isEmpty() && value.length() <= config.maxTagValueLength()
          && value.indexOf('\n') < 0;
    }

    /** Tags Sentry's EventManager and Relay add from the event's fields. */
    void promoteTags() {
      setTag("level", ev.getString("level"));
      setTag("logger", str(ev.getValue("logger")));
      setTag("environment", str(ev.getValue("environment")));
      setTag("transaction", str(ev.getValue("transaction")));
      setTag("server_name", str(ev.getValue("server_name")));
      setTag("site", str(ev.getValue("site")));
      String release = str(ev.getValue("release"));
      if (release != null) {
        setTag("sentry:release", release);
        setTag("sentry:dist", str(ev.getValue("dist")));
      }
      if (ev.getValue("user") instanceof JsonObject user) {
        setTag("sentry:user", userTag(user));
      }
      if (ev.getValue("request") instanceof JsonObject req) {
        addTag("url", str(req.getValue("url")));
      }
      if (exceptions != null) {
        JsonObject last = exceptions.getJsonObject(exceptions.size() - 1);
        if (last.getValue("mechanism") instanceof JsonObject mech) {
          addTag("mechanism", str(mech.getValue("type")));
          if (mech.getValue("handled") instanceof Boolean handled) {
            addTag("handled", handled ? "yes" : "no");
          }
        }
      }
      if (ev.getValue("contexts") instanceof JsonObject contexts) {
        contextTags(contexts, "os", "os", "os.name");
        contextTags(contexts, "runtime", "runtime", "runtime.name");
        contextTags(contexts, "browser", "browser", "browser.name");
        if (contexts.getValue("device") instanceof JsonObject device) {
          addTag("device", str(device.getValue("model")));
          addTag("device.family", str(device.getValue("family")));
        }
      }
    }

    void contextTags(JsonObject contexts, String key, String fullTag, String nameTag) {
      if (!(contexts.getValue(key) instanceof JsonObject c)) {
        return;
      }
      String name = str(c.getValue("name"));
      if (name == null) {
        return;
      }
      String version = str(c.getValue("version"));
      addTag(fullTag, version == null ? name : name + " " + version);
      addTag(nameTag, name);
    }

    // ---------------------------------------------------------------- scrubbing

    void scrub() {
      if (!scrubber.enabled()) {
        return;
      }
      if (scrubber.scrubsIps()) {
        removeIps();
      }
      scrubBagAt(ev.getValue("extra"), "extra");
      scrubBagAt(ev.getValue("contexts"), "contexts");
      if (ev.getValue("logentry") instanceof JsonObject le) {
        scrubCardsAt(le, "formatted", "logentry", "formatted");
        scrubCardsAt(le, "message", "logentry", "message");
        scrubBagAt(le.getValue("params"), "logentry", "params");
      }
      if (exceptions != null) {
        for (int i = 0; i < exceptions.size(); i++) {
          scrubCardsAt(exceptions.getJsonObject(i), "value", "exception", "values", Integer.toString(i), "value");
        }
      }
      if (breadcrumbs != null) {
        for (int i = 0; i < breadcrumbs.size(); i++) {
          JsonObject crumb = breadcrumbs.getJsonObject(i);
          String idx = Integer.toString(i);
          scrubStringAt(crumb, "message", false, "breadcrumbs", "values", idx, "message");
          scrubBagAt(crumb.getValue("data"), "breadcrumbs", "values", idx, "data");
        }
      }
      if (ev.getValue("user") instanceof JsonObject user) {
        for (String key : new String[] {"id", "username", "email", "name"}) {
          scrubStringAt(user, key, false, "user", key);
        }
        scrubBagAt(user.getValue("data"), "user", "data");
      }
      if (ev.getValue("request") instanceof JsonObject req) {
        scrubStringAt(req, "url", false, "request", "url");
        scrubPairs(req.getValue("headers"), PairKind.HEADER, "request", "headers");
        scrubPairs(req.getValue("cookies"), PairKind.COOKIE, "request", "cookies");
        scrubPairs(req.getValue("query_string"), PairKind.KEY, "request", "query_string");
        scrubBagAt(req.getValue("env"), "request", "env");
        Object data = req.getValue("data");
        if (data instanceof String) {
          scrubStringAt(req, "data", true, "request", "data");
        } else {
          scrubBagAt(data, "request", "data");
        }
      }
      for (JsonObject stack : stacktraces) {
        List<String> base = pathOf(stack);
        JsonArray frames = stack.getJsonArray("frames");
        for (int i = 0; i < frames.size(); i++) {
          Object vars = ((JsonObject) frames.getValue(i)).getValue("vars");
          if (vars != null) {
            int mark = meta.path.size();
            meta.path.addAll(base);
            meta.path.add("frames");
            meta.path.add(Integer.toString(i));
            meta.path.add("vars");
            scrubber.scrubBag(vars, meta);
            meta.truncatePath(mark);
          }
        }
      }
      scrubPairs(tags, PairKind.KEY, "tags");
    }

    void removeIps() {
      if (ev.getValue("user") instanceof JsonObject user && user.remove("ip_address") != null) {
        meta.remarkAt("@anything:remove", "x", -1, "user", "ip_address");
      }
      if (ev.getValue("request") instanceof JsonObject req && req.getValue("env") instanceof JsonObject env
          && env.remove("REMOTE_ADDR") != null) {
        meta.remarkAt("@anything:remove", "x", -1, "request", "env", "REMOTE_ADDR");
      }
      if (ev.getValue("sdk") instanceof JsonObject sdk && sdk.remove("client_ip") != null) {
        meta.remarkAt("@anything:remove", "x", -1, "sdk", "client_ip");
      }
    }

    void scrubBagAt(Object bag, String... path) {
      if (bag == null) {
        return;
      }
      int mark = meta.path.size();
      for (String p : path) {
        meta.path.add(p);
      }
      scrubber.scrubBag(bag, meta);
      meta.truncatePath(mark);
    }

    void scrubStringAt(JsonObject holder, String key, boolean databag, String... path) {
      if (!(holder.getValue(key) instanceof String s)) {
        return;
      }
      int mark = meta.path.size();
      for (String p : path) {
        meta.path.add(p);
      }
      String out = scrubber.scrubString(s, meta, databag);
      if (out != s) {
        holder.put(key, out);
      }
      meta.truncatePath(mark);
    }

    void scrubCardsAt(JsonObject holder, String key, String... path) {
      if (!(holder.getValue(key) instanceof String s)) {
        return;
      }
      int mark = meta.path.size();
      for (String p : path) {
        meta.path.add(p);
      }
      String out = scrubber.scrubCardsOnly(s, meta);
      if (out != s) {
        holder.put(key, out);
      }
      meta.truncatePath(mark);
    }

    void scrubPairs(Object pairs, PairKind kind, String... path) {
      if (!(pairs instanceof JsonArray list)) {
        return;
      }
      int mark = meta.path.size();
      for (String p : path) {
        meta.path.add(p);
      }
      for (int i = 0; i < list.size(); i++) {
        JsonArray pair = (JsonArray) list.getValue(i);
        String key = pair.getString(0);
        if (scrubber.isSafe(key)) {
          continue;
        }
        if (kind == PairKind.HEADER && "user-agent".equalsIgnoreCase(key)) {
          continue;
        }
        Object value = pair.getValue(1);
        String rule = switch (kind) {
          case HEADER -> scrubber.headerRule(key);
          case COOKIE -> scrubber.cookieRule(key);
          case KEY -> scrubber.keyRule(key);
        };
        meta.path.add(Integer.toString(i));
        meta.path.add("1");
        if (rule != null && value != null) {
          pair.set(1, Scrubber.FILTERED);
          meta.remark(rule, "s", value instanceof String s ? s.length() : -1);
        } else if (value instanceof String s) {
          String out = scrubber.scrubString(s, meta, true);
          if (out != s) {
            pair.set(1, out);
          }
        }
        meta.truncatePath(meta.path.size() - 2);
      }
      meta.truncatePath(mark);
    }

    // ---------------------------------------------------------------- trimming

    void trim() {
      int max = config.maxStringLength();
      if (ev.getValue("logentry") instanceof JsonObject le) {
        trimField(le, "formatted", MAX_MESSAGE, "logentry", "formatted");
        trimField(le, "message", MAX_MESSAGE, "logentry", "message");
        trimBagAt(le, "params", "logentry", "params");
      }
      trimField(ev, "culprit", MAX_CULPRIT, "culprit");
      trimField(ev, "transaction", MAX_TRANSACTION, "transaction");
      trimField(ev, "server_name", max, "server_name");
      trimBagAt(ev, "extra", "extra");
      trimBagAt(ev, "contexts", "contexts");
      if (exceptions != null) {
        for (int i = 0; i < exceptions.size(); i++) {
          JsonObject exc = exceptions.getJsonObject(i);
          String idx = Integer.toString(i);
          trimField(exc, "type", max, "exception", "values", idx, "type");
          trimField(exc, "value", max, "exception", "values", idx, "value");
          trimField(exc, "module", max, "exception", "values", idx, "module");
          trimBagAt(exc, "mechanism", "exception", "values", idx, "mechanism");
        }
      }
      if (breadcrumbs != null) {
        for (int i = 0; i < breadcrumbs.size(); i++) {
          JsonObject crumb = breadcrumbs.getJsonObject(i);
          String idx = Integer.toString(i);
          trimField(crumb, "message", max, "breadcrumbs", "values", idx, "message");
          trimBagAt(crumb, "data", "breadcrumbs", "values", idx, "data");
        }
      }
      if (ev.getValue("user") instanceof JsonObject user) {
        trimField(user, "email", MAX_EMAIL, "user", "email");
        for (String key : new String[] {"id", "username", "name"}) {
          trimField(user, key, max, "user", key);
        }
        trimBagAt(user, "data", "user", "data");
      }
      if (ev.getValue("request") instanceof JsonObject req) {
        trimField(req, "url", max, "request", "url");
        trimBagAt(req, "data", "request", "data");
        trimBagAt(req, "env", "request", "env");
        for (String key : new String[] {"headers", "cookies", "query_string"}) {
          if (req.getValue(key) instanceof JsonArray pairs) {
            for (int i = 0; i < pairs.size(); i++) {
              JsonArray pair = (JsonArray) pairs.getValue(i);
              if (pair.getValue(1) instanceof String s && s.length() > max) {
                pair.set(1, cut(s, max));
                meta.lengthAt(s.length(), "request", key, Integer.toString(i), "1");
              }
            }
          }
        }
      }
      for (JsonObject stack : stacktraces) {
        List<String> base = pathOf(stack);
        JsonArray frames = stack.getJsonArray("frames");
        for (int i = 0; i < frames.size(); i++) {
          JsonObject frame = (JsonObject) frames.getValue(i);
          Map<String, Object> fm = frame.getMap();
          for (String key : FRAME_STRINGS) {
            if (fm.get(key) instanceof String s && s.length() > max) {
              fm.put(key, cut(s, max));
            }
          }
          Object vars = fm.get("vars");
          if (vars != null) {
            int mark = meta.path.size();
            meta.path.addAll(base);
            meta.path.add("frames");
            meta.path.add(Integer.toString(i));
            meta.path.add("vars");
            Object replaced = trimBag(vars, 0);
            if (replaced != vars) {
              frame.put("vars", replaced);
            }
            meta.truncatePath(mark);
          }
        }
      }
    }

    void trimField(JsonObject holder, String key, int limit, String... path) {
      if (holder.getValue(key) instanceof String s && s.length() > limit) {
        holder.put(key, cut(s, limit));
        meta.lengthAt(s.length(), path);
      }
    }

    void trimBagAt(JsonObject holder, String key, String... path) {
      Object bag = holder.getValue(key);
      if (bag == null) {
        return;
      }
      int mark = meta.path.size();
      for (String p : path) {
        meta.path.add(p);
      }
      Object replaced = trimBag(bag, 0);
      if (replaced != bag) {
        holder.put(key, replaced);
      }
      meta.truncatePath(mark);
    }

    /**
     * Cuts a databag in place: containers deeper than the limit become {@code "..."}, objects and arrays keep
     * their first {@code maxDatabagBreadth} entries plus a {@code "..."} marker, long strings end in "...".
     */
    Object trimBag(Object value, int depth) {
      if (value instanceof String s) {
        if (s.length() > config.maxStringLength()) {
          meta.length(s.length());
          return cut(s, config.maxStringLength());
        }
        return s;
      }
      if (value instanceof Map<?, ?> m) {
        value = new JsonObject(castMap(m));
      } else if (value instanceof List<?> l) {
        value = new JsonArray(l);
      }
      if (value instanceof JsonObject obj) {
        if (depth >= config.maxDatabagDepth()) {
          meta.remark("!limit", "x", -1);
          return ELLIPSIS;
        }
        Map<String, Object> map = obj.getMap();
        int size = map.size();
        int kept = 0;
        Iterator<Map.Entry<String, Object>> it = map.entrySet().iterator();
        while (it.hasNext()) {
          Map.Entry<String, Object> e = it.next();
          if (kept >= config.maxDatabagBreadth()) {
            it.remove();
            continue;
          }
          kept++;
          Object v = e.getValue();
          if (v instanceof String || v instanceof Map<?, ?> || v instanceof List<?> || v instanceof JsonObject
              || v instanceof JsonArray) {
            meta.path.add(e.getKey());
            Object r = trimBag(v, depth + 1);
            if (r != v) {
              e.setValue(r);
            }
            meta.path.remove(meta.path.size() - 1);
          }
        }
        if (size > kept) {
          map.put(ELLIPSIS, ELLIPSIS);
          meta.length(size);
        }
        return obj;
      }
      if (value instanceof JsonArray arr) {
        if (depth >= config.maxDatabagDepth()) {
          meta.remark("!limit", "x", -1);
          return ELLIPSIS;
        }
        List<Object> list = arr.getList();
        int size = list.size();
        if (size > config.maxDatabagBreadth()) {
          list.subList(config.maxDatabagBreadth(), size).clear();
        }
        for (int i = 0; i < list.size(); i++) {
          Object v = list.get(i);
          if (v instanceof String || v instanceof Map<?, ?> || v instanceof List<?> || v instanceof JsonObject
              || v instanceof JsonArray) {
            meta.path.add(Integer.toString(i));
            Object r = trimBag(v, depth + 1);
            if (r != v) {
              list.set(i, r);
            }
            meta.path.remove(meta.path.size() - 1);
          }
        }
        if (size > list.size()) {
          list.add(ELLIPSIS);
          meta.length(size);
        }
        return arr;
      }
      return value;
    }

    // ---------------------------------------------------------------- small helpers

    /**
     * Reads {@code obj[key]} as a string: numbers and booleans become strings (Relay's lenient strings),
     * containers are removed with an error. Returns the string or null.
     */
    String coerceString(JsonObject obj, String key, String name) {
      Object v = obj.getValue(key);
      if (v == null) {
        return null;
      }
      if (v instanceof String s) {
        return s;
      }
      if (v instanceof Number || v instanceof Boolean) {
        String s = numberString(v);
        obj.put(key, s);
        return s;
      }
      obj.remove(key);
      meta.error("invalid_data", name, null);
      return null;
    }

    JsonArray toPairs(Object raw, String name) {
      JsonArray out = new JsonArray();
      if (raw instanceof JsonObject obj) {
        for (Map.Entry<String, Object> e : obj) {
          String v = pairValue(e.getValue());
          if (v != null) {
            out.add(pair(e.getKey(), v));
          }
        }
      } else if (raw instanceof JsonArray arr) {
        for (Object item : arr) {
          if (item instanceof JsonArray pair && pair.size() == 2 && pair.getValue(0) instanceof String k) {
            String v = pairValue(pair.getValue(1));
            if (v != null) {
              out.add(pair(k, v));
            }
          }
        }
      } else {
        meta.error("invalid_data", name, raw);
        return null;
      }
      return out;
    }
  }

  private enum PairKind { HEADER, COOKIE, KEY }

  // ------------------------------------------------------------------------------------------------
  // Static helpers
  // ------------------------------------------------------------------------------------------------

  static String eventIdOf(JsonObject ev, NormalizeContext ctx) {
    String id = normalizeUuid(ctx.eventId());
    if (id == null && ev.getValue("event_id") instanceof String s) {
      id = normalizeUuid(s);
    }
    return id != null ? id : UUID.randomUUID().toString().replace("-", "");
  }

  /** 32 lower-case hex digits from a simple or hyphenated (optionally braced) UUID, else null. */
  static String normalizeUuid(String raw) {
    if (raw == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(32);
    int start = 0;
    int end = raw.length();
    if (end >= 2 && raw.charAt(0) == '{' && raw.charAt(end - 1) == '}') {
      start = 1;
      end--;
    }
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '-') {
        continue;
      }
      if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
        sb.append(c);
      } else if (c >= 'A' && c <= 'F') {
        sb.append((char) (c + ('a' - 'A')));
      } else {
        return null;
      }
      if (sb.length() > 32) {
        return null;
      }
    }
    return sb.length() == 32 ? sb.toString() : null;
  }

  static double seconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }

  static String iso(double seconds) {
    long secs = (long) Math.floor(seconds);
    long nanos = Math.round((seconds - secs) * 1e9);
    if (nanos >= 1_000_000_000L) {
      secs++;
      nanos -= 1_000_000_000L;
    }
    try {
      return Instant.ofEpochSecond(secs, nanos).toString();
    } catch (RuntimeException outOfRange) {
      return Double.toString(seconds);
    }
  }

  /**
   * Unix seconds from a number, a numeric string, an RFC 3339 date-time, or an ISO date-time without zone
   * (read as UTC, as Sentry does). Null when it is none of these.
   */
  static Double parseTimestamp(Object raw) {
    if (raw instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) && d >= 0 ? d : null;
    }
    if (!(raw instanceof String s)) {
      return null;
    }
    String t = s.strip();
    if (t.isEmpty()) {
      return null;
    }
    char first = t.charAt(0);
    if (t.indexOf('-') < 0 && (Character.isDigit(first) || first == '.')) {
      try {
        double d = Double.parseDouble(t);
        return Double.isFinite(d) && d >= 0 ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (t.length() < 10 || !Character.isDigit(first)) {
      return null;
    }
    try {
      return seconds(OffsetDateTime.parse(t).toInstant());
    } catch (DateTimeParseException e) {
      try {
        return seconds(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  /** Relay's level names and aliases, and Python logging's numeric levels. */
  static String parseLevel(Object raw) {
    if (raw instanceof Number n) {
      return switch (n.intValue()) {
        case 10 -> "debug";
        case 20 -> "info";
        case 30 -> "warning";
        case 40 -> "error";
        case 50 -> "fatal";
        default -> null;
      };
    }
    if (!(raw instanceof String s)) {
      return null;
    }
    return switch (s.strip().toLowerCase(Locale.ROOT)) {
      case "debug", "trace" -> "debug";
      case "info", "log" -> "info";
      case "warning", "warn" -> "warning";
      case "error" -> "error";
      case "fatal", "critical" -> "fatal";
      default -> null;
    };
  }

  /** Sentry's release rules: no newline, tab, slash or backslash; not ".", "..", " " or "latest"; 200 chars. */
  static boolean validRelease(String release) {
    if (release.length() > MAX_RELEASE || release.equals(".") || release.equals("..")
        || release.equalsIgnoreCase("latest")) {
      return false;
    }
    for (int i = 0; i < release.length(); i++) {
      char c = release.charAt(i);
      if (c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0x0b || c == '/' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** Relay's environment rules: 1 to 64 characters, no slash, newline or form feed. */
  static boolean validEnvironment(String env) {
    if (env.isEmpty() || env.length() > MAX_ENVIRONMENT) {
      return false;
    }
    for (int i = 0; i < env.length(); i++) {
      char c = env.charAt(i);
      if (c == '/' || c == '\n' || c == '\r' || c == '\f') {
        return false;
      }
    }
    return true;
  }

  /** A literal IPv4 or IPv6 address in canonical-ish form, or null. Never resolves names. */
  static String normalizeIp(String raw) {
    if (raw == null) {
      return null;
    }
    String s = raw.strip();
    if (s.isEmpty() || s.length() > 45) {
      return null;
    }
    if (s.indexOf(':') < 0) {
      return validIpv4(s) ? s : null;
    }
    char first = s.charAt(0);
    if (!(Character.digit(first, 16) >= 0 || first == ':')) {
      return null;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return null;
      }
    }
    try {
      // With only hex digits, colons and dots this is parsed as a literal; no lookup happens.
      InetAddress.getByName(s);
      return s.toLowerCase(Locale.ROOT);
    } catch (Exception e) {
      return null;
    }
  }

  static boolean validIpv4(String s) {
    int parts = 0;
    int value = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (value < 0 || value > 255) {
          return false;
        }
        parts++;
        value = -1;
      } else if (c >= '0' && c <= '9') {
        value = value < 0 ? c - '0' : value * 10 + (c - '0');
        if (value > 255) {
          return false;
        }
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  static String userTag(JsonObject user) {
    String id = str(user.getValue("id"));
    if (id != null) {
      return "id:" + id;
    }
    String email = str(user.getValue("email"));
    if (email != null) {
      return "email:" + email;
    }
    String username = str(user.getValue("username"));
    if (username != null) {
      return "username:" + username;
    }
    String ip = str(user.getValue("ip_address"));
    return ip != null ? "ip:" + ip : null;
  }

  /** "content-type" -> "Content-Type", as Relay writes header names. */
  static String headerName(String name) {
    if (name == null || name.isEmpty()) {
      return name;
    }
    char[] chars = name.toCharArray();
    boolean upper = true;
    boolean changed = false;
    for (int i = 0; i < chars.length; i++) {
      char c = chars[i];
      if (upper && Character.isLowerCase(c)) {
        chars[i] = Character.toUpperCase(c);
        changed = true;
      }
      upper = c == '-';
    }
    return changed ? new String(chars) : name;
  }

  static JsonArray parseQuery(String qs) {
    JsonArray out = new JsonArray();
    String s = qs.startsWith("?") ? qs.substring(1) : qs;
    for (String part : s.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String k = eq < 0 ? part : part.substring(0, eq);
      String v = eq < 0 ? "" : part.substring(eq + 1);
      out.add(pair(urlDecode(k), urlDecode(v)));
    }
    return out;
  }

  static JsonArray parseCookies(String header) {
    JsonArray out = new JsonArray();
    for (String part : header.split(";")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String k = eq < 0 ? p : p.substring(0, eq).strip();
      String v = eq < 0 ? "" : p.substring(eq + 1).strip();
      out.add(pair(k, v));
    }
    return out;
  }

  static String urlDecode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  static void putOrRemove(JsonObject obj, String key, JsonArray pairs) {
    if (pairs == null || pairs.isEmpty()) {
      obj.remove(key);
    } else {
      obj.put(key, pairs);
    }
  }

  static String pairValue(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return numberString(v);
    }
    if (v instanceof JsonArray arr) {
      // repeated headers/parameters: join like a comma-separated header
      StringBuilder sb = new StringBuilder();
      for (Object item : arr) {
        if (item instanceof String || item instanceof Number || item instanceof Boolean) {
          if (sb.length() > 0) {
            sb.append(", ");
          }
          sb.append(item instanceof String s ? s : numberString(item));
        }
      }
      return sb.length() > 0 ? sb.toString() : null;
    }
    return null;
  }

  static String tagString(Object v) {
    if (v instanceof String s) {
      return s;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return numberString(v);
    }
    return null;
  }

  /** Whole doubles print without ".0" (a user id 42 sent as 42.0 stays "42"). */
  static String numberString(Object v) {
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString(d.longValue());
    }
    if (v instanceof Float f && f == Math.rint(f) && Math.abs(f) < 1e7) {
      return Long.toString(f.longValue());
    }
    return String.valueOf(v);
  }

  static String str(Object v) {
    return v instanceof String s && !s.isEmpty() ? s : null;
  }

  static boolean isBlank(Object v) {
    return !(v instanceof String s) || s.isBlank();
  }

  /** JVM runtime and framework packages; a switch on the first letter keeps this cheap per frame. */
  static boolean isJvmSystem(String name) {
    if (name.isEmpty()) {
      return false;
    }
    switch (name.charAt(0)) {
      case 'j', 's', 'k', 'i', 'c', 'a', 'd', 'o':
        for (String prefix : JVM_SYSTEM_PREFIXES) {
          if (name.startsWith(prefix)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }

  static boolean startsWithAny(String name, List<String> prefixes) {
    for (String p : prefixes) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  /** Cuts to {@code limit} characters ending in "...", never splitting a surrogate pair. */
  static String cut(String s, int limit) {
    int keep = Math.max(0, limit - ELLIPSIS.length());
    if (keep > 0 && keep < s.length() && Character.isLowSurrogate(s.charAt(keep))) {
      keep--;
    }
    return s.substring(0, keep) + ELLIPSIS;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }
}

package io.lookout.processors.normalize;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of one project that change normalization (from the projects table's {@code options} jsonb).
 * The names are Sentry's project options plus Lookout's in-app prefixes.
 *
 * @param scrubData {@code sentry:scrub_data}: scrub at all (sensitive fields, and the defaults below)
 * @param scrubDefaults {@code sentry:scrub_defaults}: apply Relay's default rules (passwords, tokens, credit
 *     cards, auth headers, session cookies)
 * @param scrubIpAddresses {@code sentry:scrub_ip_address}: remove the user's and the request's IP addresses
 * @param sensitiveFields {@code sentry:sensitive_fields}: extra key names (case-insensitive substrings) to filter
 * @param safeFields {@code sentry:safe_fields}: key names never filtered
 * @param inAppInclude {@code lookout:in_app_include}: module/package prefixes of in-app frames
 * @param inAppExclude {@code lookout:in_app_exclude}: module/package prefixes of frames that are not in-app
 */
public record ProjectOptions(boolean scrubData, boolean scrubDefaults, boolean scrubIpAddresses,
    List<String> sensitiveFields, List<String> safeFields, List<String> inAppInclude, List<String> inAppExclude) {

  private static final ProjectOptions DEFAULTS =
      new ProjectOptions(true, true, false, List.of(), List.of(), List.of(), List.of());

  public ProjectOptions {
    sensitiveFields = clean(sensitiveFields);
    safeFields = clean(safeFields);
    inAppInclude = clean(inAppInclude);
    inAppExclude = clean(inAppExclude);
  }

  public static ProjectOptions defaults() {
    return DEFAULTS;
  }

  /** Reads Sentry's option names; unknown keys are ignored and values of the wrong type fall back to defaults. */
  public static ProjectOptions fromJson(JsonObject options) {
    if (options == null || options.isEmpty()) {
      return DEFAULTS;
    }
    return new ProjectOptions(
        bool(options.getValue("sentry:scrub_data"), true),
        bool(options.getValue("sentry:scrub_defaults"), true),
        bool(options.getValue("sentry:scrub_ip_address"), false),
        strings(options.getValue("sentry:sensitive_fields")),
        strings(options.getValue("sentry:safe_fields")),
        strings(options.getValue("lookout:in_app_include")),
        strings(options.getValue("lookout:in_app_exclude")));
  }

  private static boolean bool(Object value, boolean def) {
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.intValue() != 0;
    }
    if (value instanceof String s) {
      String t = s.trim();
      if (t.equalsIgnoreCase("true") || t.equals("1")) {
        return true;
      }
      if (t.equalsIgnoreCase("false") || t.equals("0")) {
        return false;
      }
    }
    return def;
  }

  /** A JSON array of strings, or one string with one entry per line (how Sentry's settings form stores them). */
  private static List<String> strings(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof JsonArray array) {
      for (Object item : array) {
        if (item instanceof String s) {
          out.add(s);
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof String s) {
          out.add(s);
        }
      }
    } else if (value instanceof String s) {
      for (String line : s.split("\n")) {
        out.add(line);
      }
    }
    return out;
  }

  private static List<String> clean(List<String> values) {
    if (values == null || values.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(values.size());
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        out.add(v.trim());
      }
    }
    return List.copyOf(out);
  }
}

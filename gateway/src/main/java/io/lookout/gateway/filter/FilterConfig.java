package io.lookout.gateway.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A project's inbound filter settings, in the shape of Relay's project config
 * {@code filterSettings} ({@code ProjectFiltersConfig} in {@code relay-filter/src/config.rs}), so
 * that the {@code filterSettings} of a Sentry project config can be pasted as it is:
 *
 * <pre>{@code
 * {
 *   "browserExtensions": {"isEnabled": true},
 *   "localhost":         {"isEnabled": true},
 *   "webCrawlers":       {"isEnabled": true},
 *   "legacyBrowsers":    {"isEnabled": true, "options": ["ie", "safari", "default"]},
 *   "errorMessages":     {"patterns": ["*ConnectionError*"]},
 *   "releases":          {"releases": ["1.2.*"]},
 *   "clientIps":         {"blacklistedIps": ["10.0.0.0/8", "::1"]},
 *   "ignoreTransactions": {"isEnabled": true, "patterns": ["*healthcheck*"]}
 * }
 * }</pre>
 *
 * Every key may also be written in snake_case ({@code browser_extensions}, {@code is_enabled},
 * {@code blacklisted_ips}), and the object may come wrapped in {@code filterSettings} or
 * {@code filters}. Keys Lookout does not evaluate ({@code csp}, {@code generic}) are accepted and
 * ignored. Patterns and networks are compiled here, once per config, never per event.
 *
 * @param browserExtensions drop errors known to come from browser extensions
 * @param localhost drop events from or about the local machine
 * @param webCrawlers drop events sent by known web crawlers
 * @param legacyBrowsers which old browsers to drop
 * @param errorMessages glob patterns on {@code "{type}: {value}"} of each exception and on the
 *     log message
 * @param releases glob patterns on {@code release}
 * @param clientIps client addresses and networks to drop
 * @param ignoreTransactions transaction names to drop
 */
public record FilterConfig(boolean browserExtensions, boolean localhost, boolean webCrawlers,
    LegacyBrowsers legacyBrowsers, GlobPatterns errorMessages, GlobPatterns releases,
    BlockedIps clientIps, IgnoreTransactions ignoreTransactions) {

  /** No filter enabled: Relay's default for a project without {@code filterSettings}. */
  public static final FilterConfig DISABLED = new FilterConfig(false, false, false,
      LegacyBrowsers.DISABLED, GlobPatterns.empty(), GlobPatterns.empty(), BlockedIps.empty(),
      IgnoreTransactions.DISABLED);

  public FilterConfig {
    Objects.requireNonNull(legacyBrowsers, "legacyBrowsers");
    Objects.requireNonNull(errorMessages, "errorMessages");
    Objects.requireNonNull(releases, "releases");
    Objects.requireNonNull(clientIps, "clientIps");
    Objects.requireNonNull(ignoreTransactions, "ignoreTransactions");
  }

  /**
   * The legacy-browsers filter ({@code legacyBrowsers}): active only when enabled and at least one
   * class is chosen, as in Relay.
   *
   * @param enabled {@code isEnabled}
   * @param browsers the known classes of {@code options}
   * @param unknownOptions option names Lookout does not know, kept for printing; they filter nothing
   */
  public record LegacyBrowsers(boolean enabled, Set<LegacyBrowser> browsers, List<String> unknownOptions) {
    public static final LegacyBrowsers DISABLED = new LegacyBrowsers(false, Set.of(), List.of());

    public LegacyBrowsers {
      browsers = Set.copyOf(browsers);
      unknownOptions = List.copyOf(unknownOptions);
    }

    /** Whether the filter can drop anything: enabled, with a class Lookout knows. */
    public boolean active() {
      return enabled && !browsers.isEmpty();
    }
  }

  /**
   * The health-check filter ({@code ignoreTransactions}).
   *
   * @param enabled {@code isEnabled}
   * @param patterns glob patterns on the transaction name
   */
  public record IgnoreTransactions(boolean enabled, GlobPatterns patterns) {
    public static final IgnoreTransactions DISABLED =
        new IgnoreTransactions(false, GlobPatterns.empty());

    public IgnoreTransactions {
      Objects.requireNonNull(patterns, "patterns");
    }
  }

  /**
   * Reads a project's filter settings.
   *
   * @throws IllegalArgumentException naming the field, if a known field has the wrong type
   */
  public static FilterConfig fromJson(JsonObject json) {
    if (json == null) {
      return DISABLED;
    }
    JsonObject settings = json;
    for (String wrapper : List.of("filterSettings", "filter_settings", "filters")) {
      JsonObject inner = EventFields.object(settings.getValue(wrapper));
      if (inner != null) {
        settings = inner;
        break;
      }
    }
    String at = "filterSettings";
    JsonObject legacy = object(settings, at, "legacyBrowsers", "legacy_browsers");
    Set<LegacyBrowser> browsers = EnumSet.noneOf(LegacyBrowser.class);
    List<String> unknown = new ArrayList<>();
    for (String option : strings(legacy, at + ".legacyBrowsers", "options", "options")) {
      LegacyBrowser browser = LegacyBrowser.fromConfigName(option);
      if (browser != null) {
        browsers.add(browser);
      } else if (!unknown.contains(option)) {
        unknown.add(option);
      }
    }
    JsonObject ignore = object(settings, at, "ignoreTransactions", "ignore_transactions");
    return new FilterConfig(
        enabled(object(settings, at, "browserExtensions", "browser_extensions"), at + ".browserExtensions"),
        enabled(object(settings, at, "localhost", "localhost"), at + ".localhost"),
        enabled(object(settings, at, "webCrawlers", "web_crawlers"), at + ".webCrawlers"),
        new LegacyBrowsers(enabled(legacy, at + ".legacyBrowsers"), browsers, unknown),
        GlobPatterns.of(strings(object(settings, at, "errorMessages", "error_messages"),
            at + ".errorMessages", "patterns", "patterns")),
        GlobPatterns.of(strings(object(settings, at, "releases", "releases"),
            at + ".releases", "releases", "releases")),
        BlockedIps.of(strings(object(settings, at, "clientIps", "client_ips"),
            at + ".clientIps", "blacklistedIps", "blacklisted_ips")),
        new IgnoreTransactions(enabled(ignore, at + ".ignoreTransactions"),
            GlobPatterns.of(strings(ignore, at + ".ignoreTransactions", "patterns", "patterns"))));
  }

  /** The settings in Relay's camelCase shape; filters that are off are left out, as Relay does. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (browserExtensions) {
      json.put("browserExtensions", new JsonObject().put("isEnabled", true));
    }
    if (!clientIps.isEmpty()) {
      json.put("clientIps", new JsonObject().put("blacklistedIps", new JsonArray(clientIps.entries())));
    }
    if (webCrawlers) {
      json.put("webCrawlers", new JsonObject().put("isEnabled", true));
    }
    if (!errorMessages.isEmpty()) {
      json.put("errorMessages", new JsonObject().put("patterns", new JsonArray(errorMessages.patterns())));
    }
    if (legacyBrowsers.enabled() || !legacyBrowsers.browsers().isEmpty()
        || !legacyBrowsers.unknownOptions().isEmpty()) {
      JsonArray options = new JsonArray();
      legacyBrowsers.browsers().stream().sorted().forEach(b -> options.add(b.configName()));
      legacyBrowsers.unknownOptions().forEach(options::add);
      json.put("legacyBrowsers", new JsonObject().put("isEnabled", legacyBrowsers.enabled())
          .put("options", options));
    }
    if (localhost) {
      json.put("localhost", new JsonObject().put("isEnabled", true));
    }
    if (!releases.isEmpty()) {
      json.put("releases", new JsonObject().put("releases", new JsonArray(releases.patterns())));
    }
    if (ignoreTransactions.enabled() && !ignoreTransactions.patterns().isEmpty()) {
      json.put("ignoreTransactions", new JsonObject()
          .put("patterns", new JsonArray(ignoreTransactions.patterns().patterns()))
          .put("isEnabled", true));
    }
    return json;
  }

  private static JsonObject object(JsonObject parent, String at, String camel, String snake) {
    Object value = parent.getValue(camel);
    String name = camel;
    if (value == null && !snake.equals(camel)) {
      value = parent.getValue(snake);
      name = snake;
    }
    if (value == null) {
      return null;
    }
    JsonObject object = EventFields.object(value);
    if (object == null) {
      throw new IllegalArgumentException(at + "." + name + " must be an object");
    }
    return object;
  }

  private static boolean enabled(JsonObject filter, String at) {
    if (filter == null) {
      return false;
    }
    Object value = filter.getValue("isEnabled");
    if (value == null) {
      value = filter.getValue("is_enabled");
    }
    if (value == null) {
      return false;
    }
    if (!(value instanceof Boolean enabled)) {
      throw new IllegalArgumentException(at + ".isEnabled must be a boolean");
    }
    return enabled;
  }

  private static List<String> strings(JsonObject filter, String at, String camel, String snake) {
    if (filter == null) {
      return List.of();
    }
    Object value = filter.getValue(camel);
    if (value == null) {
      value = filter.getValue(snake);
    }
    if (value == null) {
      return List.of();
    }
    JsonArray array = EventFields.array(value);
    if (array == null) {
      throw new IllegalArgumentException(at + "." + camel + " must be an array of strings");
    }
    List<String> strings = new ArrayList<>(array.size());
    for (Object item : array) {
      if (!(item instanceof String s)) {
        throw new IllegalArgumentException(at + "." + camel + " must be an array of strings");
      }
      strings.add(s);
    }
    return strings;
  }
}

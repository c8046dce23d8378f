package io.lookout.gateway.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Relay's inbound data filters ({@code relay-filter}): whether a project drops an event before it
 * is queued, and under which reason.
 *
 * <p>Relay runs them on every event it extracts, errors, default events, transactions and security
 * reports alike, and each filter looks only at data the event carries (a transaction has no
 * exception for the error-message filter; only a transaction has a name for
 * {@code ignoreTransactions}). {@link #check} does the same, in Relay's order: client IP, release,
 * error message, localhost, browser extensions, legacy browsers, web crawlers, transaction name.
 * The first filter that matches names the outcome reason.
 *
 * <p>Not evaluated: the CSP filter ({@code csp.disallowedSources}) and Sentry's generic filters
 * ({@code generic}, RuleCondition expressions); their settings are read and ignored.
 *
 * <p>Stateless; patterns come compiled in {@link FilterConfig}, the fixed lists below are compiled
 * once. The regular expressions are alternations of literals (no nested repetition), so their cost
 * is linear in the input.
 */
public final class InboundFilters {

  // browser_extensions.rs: EXTENSION_EXC_VALUES, searched in the first exception's value.
  private static final Pattern EXTENSION_VALUES = alternation(
      "top\\.GLOBALS",
      "originalCreateNotification",
      "canvas.contentDocument",
      "MyApp_RemoveAllHighlights",
      "http://tt\\.epicplay\\.com",
      "Can't\\sfind\\svariable:\\sZiteReader",
      "jigsaw\\sis\\snot\\sdefined",
      "ComboSearch\\sis\\snot\\sdefined",
      "http://loading\\.retry\\.widdit\\.com/",
      "atomicFindClose",
      "fb_xd_fragment",
      "bmi_SafeAddOnload",
      "EBCallBackMessageReceived",
      "_gCrWeb",
      "conduitPage",
      "null\\sis\\snot\\san\\sobject\\s\\(evaluating\\s'elt.parentNode'\\)",
      "plugin\\.setSuspendState\\sis\\snot\\sa\\sfunction",
      "Extension\\scontext\\sinvalidated",
      "webkit-masked-url:",
      "can't\\saccess\\sdead\\sobject");

  // browser_extensions.rs: EXTENSION_EXC_SOURCES, searched in the innermost named frame's abs_path.
  private static final Pattern EXTENSION_SOURCES = alternation(
      "graph\\.facebook\\.com",
      "connect\\.facebook\\.net",
      "eatdifferent\\.com\\.woopra-ns\\.com",
      "static\\.woopra\\.com/js/woopra\\.js",
      "^chrome(-extension)?://",
      "^moz-extension://",
      "^safari(-web)?-extension://",
      "webkit-masked-url",
      "127\\.0\\.0\\.1:4001/isrunning",
      "webappstoolbarba\\.texthelp\\.com/",
      "metrics\\.itunes\\.apple\\.com\\.edgesuite\\.net/",
      "kaspersky-labs\\.com");

  /** Frames without a name or from native V8 code, which tell nothing about the source. */
  private static final Set<String> ANONYMOUS_FRAMES = Set.of("<anonymous>", "[native code]");

  // web_crawlers.rs: WEB_CRAWLERS, with ALLOWED_WEB_CRAWLERS as exceptions.
  private static final Pattern WEB_CRAWLERS = alternation(
      "Mediapartners-Google",
      "AdsBot-Google",
      "Googlebot",
      "FeedFetcher-Google",
      "Storebot-Google",
      "BingBot",
      "BingPreview",
      "Baiduspider",
      "Slurp",
      "Sogou",
      "facebook",
      "meta-",
      "ia_archiver",
      "bots?([/\\s\\);]|\\z)",
      "spider([/\\s\\);]|\\z)",
      "Slack",
      "Calypso\\sAppCrawler",
      "pingdom",
      "lyticsbot",
      "AWS\\sSecurity\\sScanner",
      "HubSpot\\sCrawler",
      "Bytespider",
      "Better\\sUptime",
      "Cloudflare-Healthchecks",
      "GTmetrix",
      "BrightEdgeOnCrawl",
      "ELB-HealthChecker",
      "naver.me/spd",
      "ClaudeBot",
      "CCBot",
      "OAI-SearchBot",
      "GPTBot",
      "PerplexityBot",
      "Applebot",
      "DuckDuckBot");

  private static final Pattern ALLOWED_WEB_CRAWLERS = alternation(
      "Slackbot\\s1\\.\\d+",
      "SentryUptimeBot",
      "ChatGPT-User");

  private static final List<String> LOCAL_IPS = List.of("127.0.0.1", "::1");
  private static final List<String> LOCAL_DOMAINS = List.of("127.0.0.1", "localhost");

  private InboundFilters() {
  }

  /**
   * The filter that drops this event, if any.
   *
   * @param event the event payload as sent (an error, default, transaction or security event)
   * @param config the project's filter settings
   * @param clientIp the address of the client that sent the request (the first
   *     {@code X-Forwarded-For} entry or the peer), {@code null} if unknown; not the user's address
   *     in the event, which the localhost filter reads
   */
  public static Optional<FilterStatKey> check(JsonObject event, FilterConfig config, String clientIp) {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(config, "config");
    if (config.clientIps().contains(clientIp)) {
      return Optional.of(FilterStatKey.IP_ADDRESS);
    }
    if (config.releases().isMatch(EventFields.release(event))) {
      return Optional.of(FilterStatKey.RELEASE_VERSION);
    }
    if (!config.errorMessages().isEmpty() && errorMessageMatches(event, config.errorMessages())) {
      return Optional.of(FilterStatKey.ERROR_MESSAGE);
    }
    if (config.localhost() && isLocalhost(event, clientIp)) {
      return Optional.of(FilterStatKey.LOCALHOST);
    }
    if (config.browserExtensions() && isBrowserExtension(event)) {
      return Optional.of(FilterStatKey.BROWSER_EXTENSIONS);
    }
    if (config.legacyBrowsers().active()
        && isLegacyBrowser(EventFields.userAgent(event), config.legacyBrowsers().browsers())) {
      return Optional.of(FilterStatKey.LEGACY_BROWSERS);
    }
    if (config.webCrawlers() && isWebCrawler(EventFields.userAgent(event))) {
      return Optional.of(FilterStatKey.WEB_CRAWLERS);
    }
    FilterConfig.IgnoreTransactions ignore = config.ignoreTransactions();
    if (ignore.enabled() && !ignore.patterns().isEmpty()
        && "transaction".equals(EventFields.type(event))
        && ignore.patterns().isMatch(EventFields.transaction(event))) {
      return Optional.of(FilterStatKey.FILTERED_TRANSACTIONS);
    }
    return Optional.empty();
  }

  /** error_messages.rs: the log message, then {@code "{type}: {value}"} of every exception. */
  static boolean errorMessageMatches(JsonObject event, GlobPatterns patterns) {
    if (patterns.isMatch(EventFields.logMessage(event))) {
      return true;
    }
    for (JsonObject exception : EventFields.exceptions(event)) {
      String type = orEmpty(EventFields.exceptionType(exception));
      String value = orEmpty(EventFields.exceptionValue(exception));
      String message = type.isEmpty() ? value : value.isEmpty() ? type : type + ": " + value;
      if (patterns.isMatch(message)) {
        return true;
      }
    }
    return false;
  }

  /**
   * localhost.rs: the user's address is local, the request URL is a {@code file:} URL or on
   * {@code localhost}/{@code 127.0.0.1} (or a subdomain), {@code X-Forwarded-For} is a local
   * address, or, without a usable URL, the {@code Host}/{@code X-Forwarded-Host} header names a
   * local host.
   */
  static boolean isLocalhost(JsonObject event, String clientIp) {
    String ip = EventFields.userIp(event, clientIp);
    if (ip != null && LOCAL_IPS.contains(ip)) {
      return true;
    }
    Urls.Url url = Urls.parse(EventFields.url(event));
    if (url != null) {
      if (url.scheme().equals("file")) {
        return true;
      }
      if (url.host() != null) {
        for (String domain : LOCAL_DOMAINS) {
          if (hostIsOrIsSubdomainOf(url.host(), domain)) {
            return true;
          }
        }
      }
    }
    String forwardedFor = EventFields.header(event, "X-Forwarded-For");
    if (forwardedFor != null && LOCAL_IPS.contains(forwardedFor)) {
      return true;
    }
    if (url == null) {
      for (String name : List.of("Host", "X-Forwarded-Host")) {
        String header = EventFields.header(event, name);
        if (header != null) {
          int colon = header.indexOf(':');
          String domain = colon < 0 ? header : header.substring(0, colon);
          if (LOCAL_DOMAINS.contains(domain)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static boolean hostIsOrIsSubdomainOf(String host, String domain) {
    if (!host.endsWith(domain)) {
      return false;
    }
    String rest = host.substring(0, host.length() - domain.length());
    return rest.isEmpty() || rest.endsWith(".");
  }

  /**
   * browser_extensions.rs: the first exception's value, or the {@code abs_path} of its innermost
   * frame that is not anonymous, is known to come from a browser extension.
   */
  static boolean isBrowserExtension(JsonObject event) {
    List<JsonObject> exceptions = EventFields.exceptions(event);
    if (exceptions.isEmpty()) {
      return false;
    }
    JsonObject first = exceptions.get(0);
    String value = EventFields.exceptionValue(first);
    if (value != null && EXTENSION_VALUES.matcher(value).find()) {
      return true;
    }
    String source = exceptionSource(first);
    return source != null && EXTENSION_SOURCES.matcher(source).find();
  }

  /** The innermost frame's {@code abs_path} that is not anonymous; none if a frame on the way lacks one. */
  private static String exceptionSource(JsonObject exception) {
    JsonArray frames = EventFields.frames(exception);
    for (int i = frames.size() - 1; i >= 0; i--) {
      JsonObject frame = EventFields.object(frames.getValue(i));
      String absPath = frame == null ? null : EventFields.string(frame.getValue("abs_path"));
      if (absPath == null) {
        return null;
      }
      if (!ANONYMOUS_FRAMES.contains(absPath)) {
        return absPath;
      }
    }
    return null;
  }

  /** legacy_browsers.rs, for the classes configured. */
  static boolean isLegacyBrowser(String userAgent, Set<LegacyBrowser> browsers) {
    if (userAgent == null || browsers.isEmpty()) {
      return false;
    }
    UserAgents.Browser browser = UserAgents.parse(userAgent);
    // IE Mobile counts as IE (kept from Sentry's Python filters).
    String family = "IE Mobile".equals(browser.family()) ? "IE" : browser.family();
    Integer major = browser.major();
    if (major == null) {
      return false;
    }
    if (browsers.contains(LegacyBrowser.DEFAULT)) {
      Integer min = defaultMinimum(family);
      return min != null && min > major;
    }
    for (LegacyBrowser legacy : browsers) {
      boolean filtered = switch (legacy) {
        case IE_PRE_9 -> family.equals("IE") && major <= 8;
        case IE9 -> family.equals("IE") && major == 9;
        case IE10 -> family.equals("IE") && major == 10;
        case IE11 -> family.equals("IE") && major == 11;
        case OPERA_MINI_PRE_8 -> family.equals("Opera Mini") && major < 8;
        case OPERA_PRE_15 -> family.equals("Opera") && major < 15;
        case ANDROID_PRE_4 -> family.equals("Android") && major < 4;
        case SAFARI_PRE_6 -> family.equals("Safari") && major < 6;
        case EDGE_PRE_79 -> family.equals("Edge") && major < 79;
        case IE -> family.equals("IE") && major <= 11;
        case SAFARI -> family.equals("Safari") && major <= 11;
        case OPERA -> family.equals("Opera") && major <= 50;
        case OPERA_MINI -> family.equals("Opera Mini") && major <= 34;
        case ANDROID -> family.equals("Android") && major <= 3;
        case FIREFOX -> family.equals("Firefox") && major <= 66;
        case CHROME -> family.equals("Chrome") && major <= 62;
        case EDGE -> family.equals("Edge") && major < 79;
        case DEFAULT -> false;
      };
      if (filtered) {
        return true;
      }
    }
    return false;
  }

  /** Relay's default minimum major versions; below them a browser is legacy. */
  private static Integer defaultMinimum(String family) {
    return switch (family) {
      case "Chrome", "Firefox", "Edge" -> 0;
      case "IE" -> 10;
      case "Safari" -> 6;
      case "Opera" -> 15;
      case "Android" -> 4;
      case "Opera Mini" -> 8;
      default -> null;
    };
  }

  /** web_crawlers.rs: a known crawler that is not on the allow-list. */
  static boolean isWebCrawler(String userAgent) {
    return userAgent != null && WEB_CRAWLERS.matcher(userAgent).find()
        && !ALLOWED_WEB_CRAWLERS.matcher(userAgent).find();
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  /** Case-insensitive alternation with Rust regex's Unicode {@code \s} and case folding. */
  private static Pattern alternation(String... alternatives) {
    return Pattern.compile(String.join("|", alternatives),
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
  }
}

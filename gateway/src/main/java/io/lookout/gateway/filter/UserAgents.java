package io.lookout.gateway.filter;

import java.util.List;
import java.util.Locale;

/**
 * The browser family and major version of a user agent, for the legacy-browsers filter.
 *
 * <p>Relay parses user agents with ua-parser's {@code regexes.yaml} and compares the family by
 * name: {@code IE} (and {@code IE Mobile}), {@code Edge}, {@code Chrome}, {@code Firefox},
 * {@code Safari}, {@code Opera}, {@code Opera Mini}, {@code Android}. This class answers those
 * families for the user agents ua-parser gives them to, in ua-parser's order of precedence, and
 * another family for the look-alikes ua-parser names differently ({@code Chrome Mobile},
 * {@code Mobile Safari}, {@code Firefox Mobile}, {@code Opera Mobile}, {@code Edge Mobile},
 * WebViews, Samsung Internet, Yandex and other Chromium browsers, bots), so that none of those is
 * taken for a legacy desktop browser. It is a hand-written subset of ua-parser, not all of it: the
 * other families come back as {@link #OTHER}.
 *
 * <p>Token look-ups only, no regular expressions: linear in the length of the user agent.
 */
final class UserAgents {

  static final String OTHER = "Other";

  /** A parsed user agent: the family and the major version ({@code null} when there is none). */
  record Browser(String family, Integer major) {
  }

  /** Browsers ua-parser recognises before Chrome, Firefox and Safari, by a token they carry. */
  private static final List<String> OTHER_BROWSER_TOKENS = List.of(
      "samsungbrowser/", "yabrowser/", "ucbrowser/", "ucweb", "vivaldi/", "silk/", "miuibrowser/",
      "huaweibrowser/", "heytapbrowser/", "qqbrowser/", "mqqbrowser/", "maxthon", "puffin/",
      "fbav/", "fban/", "instagram", "electron/", "gsa/", "line/", "snapchat", "pinterest",
      "whatsapp", "twitter", "coc_coc_browser", "duckduckgo/", "whale/", "naver(", "baiduboxapp",
      "sleipnir", "avast", "avgbrowser", "ccleaner", "iron/", "chromeframe", "seamonkey/",
      "iceweasel/", "palemoon/", "waterfox/", "camino/", "icecat/", "k-meleon/", "brave",
      "oculusbrowser", "nintendobrowser", "playstation", "smart-tv", "smarttv", "tizen", "kaios",
      "amazonwebappplatform", "konqueror", "epiphany", "midori", "qupzilla", "falkon");

  private static final List<String> BOT_TOKENS = List.of(
      "bot/", "bot;", "bot)", "spider", "crawler", "googlebot", "bingbot", "slurp", "archiver",
      "indexer", "scraper", "headlesschrome", "phantomjs", "lighthouse", "pingdom");

  private UserAgents() {
  }

  static Browser parse(String userAgent) {
    if (userAgent == null || userAgent.isEmpty()) {
      return new Browser(OTHER, null);
    }
    String ua = userAgent;
    String lower = userAgent.toLowerCase(Locale.ROOT);

    if (containsAny(lower, BOT_TOKENS)) {
      return new Browser(OTHER, null);
    }
    // Opera Mini before Opera: its Presto UA starts with "Opera/9.80".
    int mini = ua.indexOf("Opera Mini");
    if (mini >= 0) {
      int at = mini + "Opera Mini".length();
      if (ua.startsWith("/att", at)) {
        at += 4;
      }
      if (ua.startsWith("/", at)) {
        at++;
      }
      return new Browser("Opera Mini", digitsAt(ua, at));
    }
    if (ua.contains("Opera Mobi") || (ua.contains("OPR/") && ua.contains("Mobile Safari"))) {
      return new Browser("Opera Mobile", null);
    }
    if (ua.contains("OPR/")) {
      return new Browser("Opera", versionAfter(ua, "OPR/"));
    }
    int opera = ua.indexOf("Opera");
    if (opera >= 0 && (ua.startsWith("/", opera + 5) || ua.startsWith(" ", opera + 5))
        && digitsAt(ua, opera + 6) != null) {
      Integer version = versionAfter(ua, "Version/");
      return new Browser("Opera", version != null ? version : digitsAt(ua, opera + 6));
    }
    if (ua.contains("EdgA/") || ua.contains("EdgiOS/")) {
      return new Browser("Edge Mobile", null);
    }
    if (ua.contains("Edge/")) {
      return new Browser("Edge", versionAfter(ua, "Edge/"));
    }
    if (ua.contains("Edg/")) {
      return new Browser("Edge", versionAfter(ua, "Edg/"));
    }
    if (containsAny(lower, OTHER_BROWSER_TOKENS)) {
      return new Browser(OTHER, null);
    }
    if (ua.contains("IEMobile")) {
      Integer version = versionAfter(ua, "IEMobile/");
      return new Browser("IE Mobile", version != null ? version : versionAfter(ua, "IEMobile "));
    }
    if (ua.contains("Trident/") && ua.contains("rv:")) {
      return new Browser("IE", versionAfter(ua, "rv:"));
    }
    if (ua.contains("MSIE ")) {
      return new Browser("IE", versionAfter(ua, "MSIE "));
    }
    if (ua.contains("FxiOS/")) {
      return new Browser("Firefox iOS", null);
    }
    if (ua.contains("Fennec/") || (ua.contains("Firefox/")
        && (ua.contains("Mobile;") || ua.contains("Tablet;")))) {
      return new Browser("Firefox Mobile", null);
    }
    if (ua.contains("Firefox/")) {
      return new Browser("Firefox", versionAfter(ua, "Firefox/"));
    }
    if (ua.contains("CriOS/")) {
      return new Browser("Chrome Mobile iOS", null);
    }
    if (ua.contains("; wv)") && ua.contains("Chrome/")) {
      return new Browser("Chrome Mobile WebView", null);
    }
    if (ua.contains("CrMo/")) {
      return new Browser("Chrome Mobile", null);
    }
    if (ua.contains("Chromium/")) {
      return new Browser("Chromium", versionAfter(ua, "Chromium/"));
    }
    int chrome = ua.indexOf("Chrome/");
    if (chrome >= 0) {
      int end = chrome + "Chrome/".length();
      while (end < ua.length() && (Character.isDigit(ua.charAt(end)) || ua.charAt(end) == '.')) {
        end++;
      }
      if (ua.startsWith(" Mobile", end)) {
        return new Browser("Chrome Mobile", null);
      }
      return new Browser("Chrome", digitsAt(ua, chrome + "Chrome/".length()));
    }
    int android = ua.indexOf("Android ");
    if (android >= 0 && digitsAt(ua, android + "Android ".length()) != null) {
      return new Browser("Android", digitsAt(ua, android + "Android ".length()));
    }
    boolean ios = ua.contains("iPhone") || ua.contains("iPad") || ua.contains("iPod");
    if (ios && ua.contains("Version/") && ua.contains("Safari")) {
      return new Browser("Mobile Safari", versionAfter(ua, "Version/"));
    }
    if (ios && ua.contains("Mobile/")) {
      return new Browser("Mobile Safari UI/WKWebView", null);
    }
    if (ua.contains("Safari/")) {
      return new Browser("Safari", ua.contains("Version/") ? versionAfter(ua, "Version/") : null);
    }
    return new Browser(OTHER, null);
  }

  private static boolean containsAny(String lower, List<String> tokens) {
    for (String token : tokens) {
      if (lower.contains(token)) {
        return true;
      }
    }
    return false;
  }

  /** The number right after the first {@code token}, or {@code null}. */
  private static Integer versionAfter(String ua, String token) {
    int at = ua.indexOf(token);
    return at < 0 ? null : digitsAt(ua, at + token.length());
  }

  /** The ASCII digits starting at {@code at} (at most 9), or {@code null} if there are none. */
  private static Integer digitsAt(String ua, int at) {
    int end = at;
    while (end < ua.length() && end - at < 9 && ua.charAt(end) >= '0' && ua.charAt(end) <= '9') {
      end++;
    }
    return end == at ? null : Integer.parseInt(ua.substring(at, end));
  }
}

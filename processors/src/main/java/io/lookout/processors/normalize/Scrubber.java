package io.lookout.processors.normalize;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Relay's default data scrubbing ({@code relay-pii}: {@code @common:filter} plus the project's sensitive
 * fields), applied to one project's options. Stateless apart from the options; all patterns are compiled once.
 *
 * <p>Key rule ({@code @password:filter}): a value whose key contains password, secret, passwd, api_key/api-key,
 * apikey, auth, credentials, mysql_pwd, privatekey, private_key/private-key or token, or is exactly otp or
 * two_factor/two-factor, becomes {@code "[Filtered]"}. In databags the same words also filter a string VALUE
 * that contains them (Relay matches that pattern on keys and values; "token" only with a following {@code :}
 * or {@code =}). Value patterns replace only the match: Luhn-valid card numbers, Bearer tokens, passwords in
 * URLs, PEM key bodies, US social security numbers, and IPv4 addresses when IP scrubbing is on.
 */
final class Scrubber {

  static final String FILTERED = "[Filtered]";

  /** Substrings of Relay's PASSWORD_KEY_REGEX (matched on lower-cased keys). */
  private static final String[] PASSWORD_WORDS = {
      "password", "secret", "passwd", "api_key", "api-key", "apikey", "auth", "credentials", "mysql_pwd",
      "privatekey", "private_key", "private-key"};
  private static final Set<String> EXACT_KEYS = Set.of("otp", "two_factor", "two-factor");

  /** Relay's SENSITIVE_COOKIES: session and CSRF cookies of common frameworks. */
  private static final Set<String> SENSITIVE_COOKIES = Set.of(
      "sentrysid", "sudo", "su", "session", "__session", "sessionid", "user_session", "symfony", "phpsessid",
      "fasthttpsessionid", "mysession", "irissessionid", "_vercel_jwt", "csrf", "xsrf", "_xsrf", "_csrf",
      "csrf-token", "csrf_token", "xsrf-token", "xsrf_token", "fastcsrf", "_iris_csrf");
  private static final Set<String> FILTERED_HEADERS = Set.of("cookie", "set-cookie", "authorization",
      "proxy-authorization");

  // word boundaries on both sides, as Relay's @creditcard has them: a run of digits inside a hex id
  // (an event or trace id, a hash) is not a card number
  private static final Pattern CARD = Pattern.compile("(?<![0-9A-Za-z_])[0-9](?:[ -]?[0-9]){12,18}(?![0-9A-Za-z_])");
  private static final Pattern SSN = Pattern.compile("\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b");
  private static final Pattern BEARER = Pattern.compile("(?i)\\bBearer\\s+\\S+");
  private static final Pattern URL_AUTH =
      Pattern.compile("\\b((?:[a-z0-9]+:)?//[a-zA-Z0-9%_.-]+:)([a-zA-Z0-9%_.-]+)@");
  private static final Pattern PEM = Pattern.compile(
      "(?s)-----BEGIN[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----[\\t ]*\\r?\\n?(.+?)\\r?\\n?-----END[A-Z ]+(?:PRIVATE|PUBLIC) KEY-----");
  private static final Pattern IPV4 = Pattern.compile(
      "\\b(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\\b");

  /** {@link #keyRule} answers under the default options, by key; {@link #NO_RULE} for none. */
  private static final Map<String, String> DEFAULT_RULES = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int DEFAULT_RULES_MAX = 10_000;
  private static final String NO_RULE = new String("");

  private final boolean defaults;
  private final boolean ips;
  private final boolean enabled;
  private final String[] sensitive;
  private final Set<String> safe;

  Scrubber(ProjectOptions options) {
    this.defaults = options.scrubData() && options.scrubDefaults();
    this.ips = options.scrubIpAddresses();
    this.sensitive = options.scrubData()
        ? options.sensitiveFields().stream().map(s -> s.toLowerCase(Locale.ROOT)).toArray(String[]::new)
        : new String[0];
    this.safe = options.safeFields().stream().map(s -> s.toLowerCase(Locale.ROOT))
        .collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.enabled = defaults || ips || sensitive.length > 0;
  }

  boolean enabled() {
    return enabled;
  }

  boolean scrubsIps() {
    return ips;
  }

  boolean scrubsDefaults() {
    return defaults;
  }

  boolean isSafe(String key) {
    return !safe.isEmpty() && safe.contains(key.toLowerCase(Locale.ROOT));
  }

  /** The rule that filters a value under {@code key}, or null. */
  String keyRule(String key) {
    if (key == null || key.isEmpty()) {
      return null;
    }
    if (defaults && safe.isEmpty() && sensitive.length == 0) {
      // the default options, which most projects keep: events repeat the same keys, so the answer
      // per key is remembered (bounded: a flood of distinct keys empties it)
      String known = DEFAULT_RULES.get(key);
      if (known == null) {
        if (DEFAULT_RULES.size() >= DEFAULT_RULES_MAX) {
          DEFAULT_RULES.clear();
        }
        String rule = computeKeyRule(key);
        known = rule == null ? NO_RULE : rule;
        DEFAULT_RULES.put(key, known);
      }
      return known == NO_RULE ? null : known;
    }
    return computeKeyRule(key);
  }

  private String computeKeyRule(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    if (!safe.isEmpty() && safe.contains(k)) {
      return null;
    }
    if (defaults) {
      if (EXACT_KEYS.contains(k) || k.contains("token") || containsWord(k, PASSWORD_WORDS)) {
        return "@password:filter";
      }
    }
    for (String s : sensitive) {
      if (k.contains(s)) {
        return "strip-fields";
      }
    }
    return null;
  }

  /** Cookies: Relay filters the session/CSRF cookies by name, and key rules apply too. */
  String cookieRule(String name) {
    if (defaults && name != null && SENSITIVE_COOKIES.contains(name.toLowerCase(Locale.ROOT))) {
      return "@anything:filter";
    }
    return keyRule(name);
  }

  /** Whole-value header filtering: Authorization, Cookie and Set-Cookie carry credentials. */
  String headerRule(String name) {
    if (defaults && name != null && FILTERED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
      return "@password:filter";
    }
    return keyRule(name);
  }

  /**
   * Walks a databag in place: filters values by key, then strings by value. Keys in safe fields keep their
   * whole subtree. The meta path must point at {@code container}.
   */
  void scrubBag(Object container, EventMeta meta) {
    if (!enabled) {
      return;
    }
    if (container instanceof JsonObject obj) {
      for (Map.Entry<String, Object> e : obj.getMap().entrySet()) {
        String key = e.getKey();
        if (isSafe(key)) {
          continue;
        }
        meta.path.add(key);
        Object v = e.getValue();
        String rule = keyRule(key);
        if (rule != null && v != null) {
          e.setValue(FILTERED);
          meta.remark(rule, "s", v instanceof String s ? s.length() : -1);
        } else {
          Object replaced = scrubValue(v, meta, true);
          if (replaced != v) {
            e.setValue(replaced);
          }
        }
        meta.path.remove(meta.path.size() - 1);
      }
    } else if (container instanceof JsonArray arr) {
      List<Object> list = arr.getList();
      for (int i = 0; i < list.size(); i++) {
        meta.path.add(Integer.toString(i));
        Object v = list.get(i);
        Object replaced = scrubValue(v, meta, true);
        if (replaced != v) {
          list.set(i, replaced);
        }
        meta.path.remove(meta.path.size() - 1);
      }
    }
  }

  /** Scrubs one value (recursing into containers); returns the replacement or the same instance. */
  Object scrubValue(Object v, EventMeta meta, boolean databag) {
    if (v instanceof String s) {
      return scrubString(s, meta, databag);
    }
    if (v instanceof Map<?, ?> || v instanceof List<?>) {
      Object wrapped = v instanceof Map<?, ?> m ? new JsonObject(castMap(m)) : new JsonArray((List<?>) v);
      scrubBag(wrapped, meta);
      return v;
    }
    if (v instanceof JsonObject || v instanceof JsonArray) {
      scrubBag(v, meta);
      return v;
    }
    if (defaults && v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
      long l = n.longValue();
      if (l >= 1_000_000_000_000L && isLuhn(Long.toString(l))) {
        meta.remark("@creditcard:filter", "s", -1);
        return FILTERED;
      }
    }
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /**
   * Applies the value rules to a string. {@code databag} adds the password-word rule on the value itself
   * (whole value filtered), as Relay does for its PII fields.
   */
  String scrubString(String s, EventMeta meta, boolean databag) {
    if (!enabled || s.isEmpty()) {
      return s;
    }
    int len = s.length();
    if (defaults && databag && valueHasPasswordWord(s)) {
      meta.remark("@password:filter", "s", len);
      return FILTERED;
    }
    String out = s;
    if (databag && sensitive.length > 0) {
      String lower = s.toLowerCase(Locale.ROOT);
      for (String f : sensitive) {
        if (lower.contains(f)) {
          meta.remark("strip-fields", "s", len);
          return FILTERED;
        }
      }
    }
    int digits = digitCount(s);
    if (defaults) {
      // a card number has 13 digits or more, an SSN 9: most strings skip the regular expressions
      if (digits >= 13) {
        out = replaceCards(out, meta, len);
      }
      if (digits >= 9 && out.length() >= 11 && out.indexOf('-') >= 0) {
        out = replaceAll(SSN, out, FILTERED, "@usssn:filter", meta, len, 0);
      }
      if (indexOfIgnoreCase(out, "bearer") >= 0) {
        out = replaceAll(BEARER, out, FILTERED, "@bearer:filter", meta, len, 0);
      }
      if (out.indexOf("//") >= 0 && out.indexOf('@') >= 0) {
        out = replaceAll(URL_AUTH, out, FILTERED, "@urlauth:legacy", meta, len, 2);
      }
      if (out.contains("-----BEGIN")) {
        out = replaceAll(PEM, out, FILTERED, "@pemkey:filter", meta, len, 1);
      }
    }
    if (ips && digits >= 4 && out.indexOf('.') >= 0) {
      out = replaceAll(IPV4, out, "[ip]", "@ip:replace", meta, len, 0);
    }
    return out;
  }

  /** Only card numbers in a string (for messages and exception values, which Relay scrubs less). */
  String scrubCardsOnly(String s, EventMeta meta) {
    if (!defaults || s == null || s.length() < 13 || digitCount(s) < 13) {
      return s;
    }
    return replaceCards(s, meta, s.length());
  }

  private static String replaceCards(String s, EventMeta meta, int originalLength) {
    Matcher m = CARD.matcher(s);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      if (!isLuhn(m.group())) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(s.length());
      }
      sb.append(s, last, m.start()).append(FILTERED);
      last = m.end();
    }
    if (sb == null) {
      return s;
    }
    sb.append(s, last, s.length());
    meta.remark("@creditcard:filter", "s", originalLength);
    return sb.toString();
  }

  private static String replaceAll(Pattern p, String s, String replacement, String rule, EventMeta meta,
      int originalLength, int group) {
    Matcher m = p.matcher(s);
    if (!m.find()) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    int last = 0;
    do {
      int start = group == 0 ? m.start() : m.start(group);
      int end = group == 0 ? m.end() : m.end(group);
      sb.append(s, last, start).append(replacement);
      last = end;
    } while (m.find());
    sb.append(s, last, s.length());
    meta.remark(rule, "s", originalLength);
    return sb.toString();
  }

  /** Luhn check over the digits of a candidate (spaces and dashes skipped), 13 to 19 digits. */
  static boolean isLuhn(CharSequence candidate) {
    int sum = 0;
    int count = 0;
    boolean dbl = false;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (dbl) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      dbl = !dbl;
      count++;
    }
    return count >= 13 && count <= 19 && sum % 10 == 0;
  }

  private static int digitCount(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        n++;
      }
    }
    return n;
  }

  private static boolean containsWord(String lower, String[] words) {
    for (String w : words) {
      if (lower.contains(w)) {
        return true;
      }
    }
    return false;
  }

  /** Relay's PASSWORD_KEY_REGEX applied to a value: the words anywhere, "token" followed by ':' or '='. */
  static boolean valueHasPasswordWord(String s) {
    int n = s.length();
    for (int i = 0; i < n - 1; i++) {
      char c = Character.toLowerCase(s.charAt(i));
      // every word's first two letters before a full comparison: 'a' and 'p' start many plain words
      char next = Character.toLowerCase(s.charAt(i + 1));
      switch (c) {
        case 'p':
          if (next == 'a' && (s.regionMatches(true, i, "password", 0, 8) || s.regionMatches(true, i, "passwd", 0, 6))
              || next == 'r' && (s.regionMatches(true, i, "privatekey", 0, 10)
                  || s.regionMatches(true, i, "private_key", 0, 11) || s.regionMatches(true, i, "private-key", 0, 11))) {
            return true;
          }
          break;
        case 's':
          if (next == 'e' && s.regionMatches(true, i, "secret", 0, 6)) {
            return true;
          }
          break;
        case 'a':
          if (next == 'u' && s.regionMatches(true, i, "auth", 0, 4)
              || next == 'p' && (s.regionMatches(true, i, "api_key", 0, 7) || s.regionMatches(true, i, "api-key", 0, 7)
                  || s.regionMatches(true, i, "apikey", 0, 6))) {
            return true;
          }
          break;
        case 'c':
          if (next == 'r' && s.regionMatches(true, i, "credentials", 0, 11)) {
            return true;
          }
          break;
        case 'm':
          if (next == 'y' && s.regionMatches(true, i, "mysql_pwd", 0, 9)) {
            return true;
          }
          break;
        case 't':
          if (next == 'o' && s.regionMatches(true, i, "token", 0, 5)) {
            for (int j = i + 5; j < n; j++) {
              char d = s.charAt(j);
              if (d == ':' || d == '=') {
                return true;
              }
              if (Character.isWhitespace(d)) {
                break;
              }
            }
          }
          break;
        default:
          break;
      }
    }
    return n <= 10 && EXACT_KEYS.contains(s.toLowerCase(Locale.ROOT));
  }

  /** {@code needle} must be lower case. */
  private static int indexOfIgnoreCase(String s, String needle) {
    int max = s.length() - needle.length();
    char first = needle.charAt(0);
    char firstUpper = Character.toUpperCase(first);
    for (int i = 0; i <= max; i++) {
      char c = s.charAt(i);
      if ((c == first || c == firstUpper) && s.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }
}

package io.lookout.processors.grouping;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sentry's message parameterization for grouping ({@code sentry.grouping.parameterization},
 * default regexes): variable parts of a message or exception value become placeholders, so
 * {@code "User 123 failed"} and {@code "User 456 failed"} group together. The patterns are tried
 * in Sentry's order at every position (first alternative wins): email, url, hostname, ip, uuid,
 * sha1, md5, date, duration, hex, float, int, quoted_str and bool (the last two only after
 * {@code =}). Not done: Sentry's traceparent, OpenStack Swift and 7-digit git sha patterns.
 */
public final class MessageNormalizer {

  private static final String DAY = "(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)";
  private static final String MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
  private static final String ZONE = "(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z])";
  private static final String V4 =
      "(?:(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])\\.){3}(?:25[0-5]|(?:2[0-4]|1?[0-9])?[0-9])";
  private static final String H = "[0-9a-fA-F]";
  private static final String TLDS =
      "COM|NET|ORG|JP|DE|UK|FR|BR|IT|RU|ES|ME|GOV|PL|CA|AU|CN|CO|IN|NL|EDU|INFO|EU|CH|ID|AT|KR|CZ"
          + "|MX|BE|TV|SE|TR|TW|AL|UA|IR|VN|CL|SK|LY|CC|TO|NO|FI|US|PT|DK|AR|HU|TK|GR|IL|NEWS|RO|MY"
          + "|BIZ|IE|ZA|NZ|SG|EE|TH|IO|XYZ|PE|BG|HK|RS|LT|LINK|PH|CLUB|SI|SITE|MOBI|BY|CAT|WIKI|LA"
          + "|GA|XXX|CF|HR|NG|JOBS|ONLINE|KZ|UG|GQ|AE|IS|LV|PRO|FM|TIPS|MS|SA|APP";

  private static final String[] NAMES = {
    "email", "url", "hostname", "ip", "uuid", "sha1", "md5", "date", "duration", "hex", "float",
    "int", "quotedstr", "bool"
  };
  private static final String[] PLACEHOLDERS = {
    "<email>", "<url>", "<hostname>", "<ip>", "<uuid>", "<sha1>", "<md5>", "<date>", "<duration>",
    "<hex>", "<float>", "<int>", "<quoted_str>", "<bool>"
  };

  private static final Pattern PARAMETERS = Pattern.compile(String.join("|",
      group("email", "[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*"),
      group("url", "\\b(?:wss?|https?|ftp)://[^\\s/$.?#].[^\\s]*"),
      group("hostname", "\\b(?:[a-zA-Z0-9\\-]{1,63}\\.)+?(?:(?:" + TLDS + ")|(?:"
          + TLDS.toLowerCase(java.util.Locale.ROOT) + "))\\b"),
      group("ip", "(?<![0-9a-zA-Z_])(?:"
          + "(?:" + H + "{1,4}:){7}" + H + "{1,4}"
          + "|(?:" + H + "{1,4}:){1,7}:"
          + "|(?:" + H + "{1,4}:){1,6}:" + H + "{1,4}"
          + "|(?:" + H + "{1,4}:){1,5}(?::" + H + "{1,4}){1,2}"
          + "|(?:" + H + "{1,4}:){1,4}(?::" + H + "{1,4}){1,3}"
          + "|(?:" + H + "{1,4}:){1,3}(?::" + H + "{1,4}){1,4}"
          + "|(?:" + H + "{1,4}:){1,2}(?::" + H + "{1,4}){1,5}"
          + "|" + H + "{1,4}:(?::" + H + "{1,4}){1,6}"
          + "|:(?:(?::" + H + "{1,4}){1,7}|:)"
          + "|fe80:(?::" + H + "{0,4}){0,4}%[0-9a-zA-Z]+"
          + "|::(?:ffff(?::0{1,4})?:)?" + V4
          + "|(?:" + H + "{1,4}:){1,4}:" + V4 + "\\b"
          + ")(?![0-9a-zA-Z])"
          + "|\\b" + V4 + "\\b"),
      group("uuid", "\\b" + H + "{8}-" + H + "{4}-" + H + "{4}-" + H + "{4}-" + H + "{12}\\b"),
      group("sha1", "\\b" + H + "{40}\\b"),
      group("md5", "\\b" + H + "{32}\\b"),
      group("date", String.join("|",
          DAY + ",\\s\\d{1,2}\\s" + MONTH + "\\s\\d{2,4}\\s\\d{1,2}:\\d{1,2}(?::\\d{1,2})?\\s(?:[-+]\\d{2}[0-5]\\d|" + ZONE + ")",
          "(?:" + DAY + "\\s)?" + MONTH + "\\s[0-3]\\d,\\s\\d{2,4}",
          "(?:Sun|Sunday|Mon|Monday|Tue|Tuesday|Wed|Wednesday|Thu|Thursday|Fri|Friday|Sat|Saturday),\\s\\d{2}-" + MONTH + "-\\d{2}\\s\\d{2}:\\d{2}:\\d{2}\\s" + ZONE,
          "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?Z?(?:[+-]?\\d{2}:\\d{2})?",
          DAY + "\\s" + MONTH + "\\s\\d{2}\\s\\d{4}\\s\\d{2}:\\d{2}:\\d{2}\\sGMT[+-]\\d{4}(?:\\s\\([^)]+\\))?",
          "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d\\.\\d+(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
          "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
          "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d(?:[+-][0-2]\\d:?[0-5]\\d|Z)",
          "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d\\.\\d+",
          "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d:?[0-5]\\d",
          "\\d{4}-?[01]\\d-?[0-3]\\d[\\sT][0-2]\\d:?[0-5]\\d",
          "(?<!\\d)(?:[1-9]|1[0-2]):[0-5]\\d(?::[0-5]\\d)?(?![\\d:])(?:\\s?[aApP][Mm])?",
          "(?<!\\d)(?:0?\\d|1\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?(?![\\d:])",
          "\\d{4}-[01]\\d-[0-3]\\d",
          "[0-2]\\d:[0-5]\\d:[0-5]\\d",
          "\\b(?:" + DAY + "\\s+)?" + MONTH + "\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}\\s+\\d{4}",
          "\\b(?:" + DAY + ",\\s+)?(?:0[1-9]|[1-2]?\\d|3[01])\\s+" + MONTH
              + "\\s+(?:19\\d{2}|[2-9]\\d{3})\\s+(?:2[0-3]|[0-1]\\d):[0-5]\\d(?::(?:60|[0-5]\\d))?\\s+(?:[-+]\\d{2}[0-5]\\d|" + ZONE + ")",
          "datetime.datetime\\(.*?\\)")),
      group("duration", "\\b\\d+ms|\\d+(?:\\.\\d+)?s\\b"),
      group("hex", "\\b0[xX]" + H + "+\\b|\\b(?=[a-f]*[0-9])[0-9a-f]{8,128}\\b|\\b(?=[A-F]*[0-9])[0-9A-F]{8,128}\\b"),
      group("float", "-\\d+\\.\\d+\\b|\\b\\d+\\.\\d+\\b"),
      group("int", "(?:\\b|(?<!\\w)-)\\d{1,7}\\b"),
      group("quotedstr", "(?<==)(?:'[^']+'|\"[^\"]+\")"),
      group("bool", "(?<==)(?:True|true|False|false)")));

  private MessageNormalizer() {}

  private static String group(String name, String pattern) {
    return "(?<" + name + ">" + pattern + ")";
  }

  /**
   * Sentry's {@code normalize_message_for_grouping}: at most the first two non-blank lines
   * ({@code "..."} appended when anything was cut), then placeholders.
   */
  public static String normalize(String message) {
    if (message == null || message.isEmpty()) {
      return "";
    }
    return parameterize(firstTwoLines(message));
  }

  /** Placeholders only, no trimming to two lines (fingerprint {@code {{ message }}}). */
  public static String parameterize(String text) {
    if (!mayHaveParameters(text)) {
      return text;
    }
    Matcher m = PARAMETERS.matcher(text);
    if (!m.find()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    do {
      out.append(text, last, m.start()).append(placeholder(m));
      last = m.end();
    } while (m.find());
    return out.append(text, last, text.length()).toString();
  }

  private static String placeholder(Matcher m) {
    for (int i = 0; i < NAMES.length; i++) {
      if (m.start(NAMES[i]) >= 0) {
        return PLACEHOLDERS[i];
      }
    }
    return "";
  }

  // every pattern needs a digit, '@', '.', ':' or '='; most messages without them skip the regex
  private static boolean mayHaveParameters(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if ((c >= '0' && c <= '9') || c == '@' || c == '.' || c == ':' || c == '=') {
        return true;
      }
    }
    return false;
  }

  static String firstTwoLines(String message) {
    StringBuilder out = new StringBuilder(Math.min(message.length(), 256));
    int kept = 0;
    int start = 0;
    int n = message.length();
    while (start < n && kept < 2) {
      int end = start;
      while (end < n && !isLineBreak(message.charAt(end))) {
        end++;
      }
      String line = message.substring(start, end);
      if (!line.isBlank()) {
        if (kept > 0) {
          out.append('\n');
        }
        out.append(line);
        kept++;
      }
      // "\r\n" is one break, as in Python's str.splitlines
      start = end + (end + 1 < n && message.charAt(end) == '\r' && message.charAt(end + 1) == '\n' ? 2 : 1);
    }
    String trimmed = out.toString();
    return trimmed.equals(message) ? trimmed : trimmed + "...";
  }

  static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r' || c == '\u000B' || c == '\u000C' || c == '\u001C'
        || c == '\u001D' || c == '\u001E' || c == '\u0085' || c == '\u2028' || c == '\u2029';
  }

  /** Python's {@code s.splitlines()[0]}: the text up to the first line break. */
  static String firstLine(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      if (isLineBreak(s.charAt(i))) {
        return s.substring(0, i);
      }
    }
    return s;
  }
}

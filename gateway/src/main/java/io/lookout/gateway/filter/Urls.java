package io.lookout.gateway.filter;

import io.lookout.gateway.http.PercentDecoding;
import java.util.Locale;
import java.util.Set;

/**
 * The scheme and host of an absolute URL, read as the WHATWG URL parser (Rust's {@code url} crate)
 * reads them, for the localhost filter: special schemes ignore extra slashes, lower-case the host
 * and read numeric IPv4 hosts ({@code http://127.1/} is {@code 127.0.0.1}); a relative URL or a bad
 * host does not parse. International domain names are not converted.
 */
final class Urls {

  private static final Set<String> SPECIAL = Set.of("http", "https", "ws", "wss", "ftp", "file");

  /** Scheme and host ({@code null} when the URL has none). */
  record Url(String scheme, String host) {
  }

  private Urls() {
  }

  /** The URL's parts, or {@code null} when it does not parse. */
  static Url parse(String raw) {
    if (raw == null) {
      return null;
    }
    String s = clean(raw);
    int colon = s.indexOf(':');
    if (colon <= 0 || !isScheme(s, colon)) {
      return null;
    }
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = s.substring(colon + 1);
    if (scheme.equals("file")) {
      return new Url(scheme, null);
    }
    boolean special = SPECIAL.contains(scheme);
    int start = 0;
    if (special) {
      while (start < rest.length() && (rest.charAt(start) == '/' || rest.charAt(start) == '\\')) {
        start++;
      }
    } else if (rest.startsWith("//")) {
      start = 2;
    } else {
      return new Url(scheme, null);
    }
    int end = start;
    while (end < rest.length() && "/?#".indexOf(rest.charAt(end)) < 0
        && !(special && rest.charAt(end) == '\\')) {
      end++;
    }
    String authority = rest.substring(start, end);
    int at = authority.lastIndexOf('@');
    String hostPort = at < 0 ? authority : authority.substring(at + 1);
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = hostPort.substring(0, close + 1).toLowerCase(Locale.ROOT);
      String tail = hostPort.substring(close + 1);
      if (!tail.isEmpty() && !tail.startsWith(":")) {
        return null;
      }
      port = tail.isEmpty() ? "" : tail.substring(1);
      if (IpNetwork.parseAddress(host.substring(1, host.length() - 1)) == null) {
        return null;
      }
    } else {
      int portColon = hostPort.indexOf(':');
      host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
      port = portColon < 0 ? "" : hostPort.substring(portColon + 1);
      if (special) {
        host = specialHost(host);
        if (host == null) {
          return null;
        }
      }
    }
    if (!port.isEmpty() && (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')
        || Integer.parseInt(port) > 65535)) {
      return null;
    }
    if (special && host.isEmpty()) {
      return null;
    }
    return new Url(scheme, host.isEmpty() ? null : host);
  }

  /** A special URL's domain, lower-cased, or its IPv4 address in dotted form; {@code null} if bad. */
  private static String specialHost(String host) {
    String lowered = PercentDecoding.decode(host, false).toLowerCase(Locale.ROOT);
    for (int i = 0; i < lowered.length(); i++) {
      char c = lowered.charAt(i);
      if (c <= ' ' || "#%/:<>?@[\\]^|".indexOf(c) >= 0 || c == 0x7f) {
        return null;
      }
    }
    if (endsInNumber(lowered)) {
      return ipv4(lowered);
    }
    return lowered;
  }

  private static boolean endsInNumber(String host) {
    String[] parts = host.split("\\.", -1);
    int last = parts.length - 1;
    if (parts[last].isEmpty() && last > 0) {
      last--;
    }
    String part = parts[last];
    if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return parseNumber(part) >= 0;
  }

  /** The WHATWG IPv4 parser: 1 to 4 parts, decimal, {@code 0x} hex or leading-zero octal. */
  private static String ipv4(String host) {
    String[] parts = host.split("\\.", -1);
    int count = parts.length;
    if (count > 1 && parts[count - 1].isEmpty()) {
      count--;
    }
    if (count > 4) {
      return null;
    }
    long[] numbers = new long[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = parseNumber(parts[i]);
      if (numbers[i] < 0) {
        return null;
      }
    }
    for (int i = 0; i < count - 1; i++) {
      if (numbers[i] > 255) {
        return null;
      }
    }
    if (numbers[count - 1] >= (1L << (8 * (5 - count)))) {
      return null;
    }
    long address = numbers[count - 1];
    for (int i = 0; i < count - 1; i++) {
      address += numbers[i] << (8 * (3 - i));
    }
    return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff)
        + "." + (address & 0xff);
  }

  /** A WHATWG IPv4 number, or -1. */
  private static long parseNumber(String part) {
    if (part.isEmpty()) {
      return -1;
    }
    int radix = 10;
    String digits = part;
    if (digits.length() >= 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
      radix = 16;
      digits = digits.substring(2);
    } else if (digits.length() >= 2 && digits.startsWith("0")) {
      radix = 8;
      digits = digits.substring(1);
    }
    if (digits.isEmpty()) {
      return 0;
    }
    if (digits.length() > 12) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), radix);
      if (d < 0 || digits.charAt(i) > 0x7f) {
        return -1;
      }
      value = value * radix + d;
    }
    return value;
  }

  /** Strips leading and trailing C0 controls and spaces, and removes tabs and newlines. */
  private static String clean(String raw) {
    int start = 0;
    int end = raw.length();
    while (start < end && raw.charAt(start) <= ' ') {
      start++;
    }
    while (end > start && raw.charAt(end - 1) <= ' ') {
      end--;
    }
    StringBuilder out = new StringBuilder(end - start);
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c != '\t' && c != '\n' && c != '\r') {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean isScheme(String s, int end) {
    char first = s.charAt(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '-' || c == '.')) {
        return false;
      }
    }
    return true;
  }
}

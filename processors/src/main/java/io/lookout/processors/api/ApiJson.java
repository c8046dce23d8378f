package io.lookout.processors.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Formats shared by the serializers: Sentry's dates and short ids. */
public final class ApiJson {

  /** Sentry's base32 alphabet for short ids: Crockford's, without I, L, O and U. */
  private static final String BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ApiJson() {
  }

  /** {@code 2024-06-01T12:00:00.123Z}, or null. */
  static String date(OffsetDateTime time) {
    return time == null ? null : DATE.format(time);
  }

  static String date(Instant time) {
    return time == null ? null : DATE.format(time);
  }

  /** Sentry's qualified short id: the project slug upper-cased, '-', the counter in base32 ({@code BACKEND-1Z}). */
  public static String shortId(String projectSlug, long shortId) {
    return projectSlug.toUpperCase(java.util.Locale.ROOT) + "-" + base32(shortId);
  }

  static String base32(long number) {
    if (number == 0) {
      return "0";
    }
    StringBuilder out = new StringBuilder();
    long n = Math.abs(number);
    while (n != 0) {
      out.append(BASE32.charAt((int) (n % 32)));
      n /= 32;
    }
    if (number < 0) {
      out.append('-');
    }
    return out.reverse().toString();
  }

  /** The inverse of {@link #base32}, forgiving like Sentry's (lower case; O read as 0, I and L as 1); -1 if invalid. */
  static long base32Decode(String text) {
    String s = text.toUpperCase(java.util.Locale.ROOT).replace('O', '0').replace('I', '1').replace('L', '1');
    if (s.isEmpty() || s.length() > 12) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < s.length(); i++) {
      int digit = BASE32.indexOf(s.charAt(i));
      if (digit < 0) {
        return -1;
      }
      value = value * 32 + digit;
    }
    return value;
  }
}

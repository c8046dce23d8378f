package io.lookout.gateway.endpoint;

import java.util.Locale;
import java.util.UUID;

/** Event ids as Relay writes them: 32 lower-case hex digits, no hyphens. */
final class EventIds {

  private EventIds() {
  }

  static String random() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /** The simple form of a plain or hyphenated uuid, or null when it is not one. */
  static String normalize(String value) {
    if (value == null) {
      return null;
    }
    String simple = value.trim().replace("-", "").toLowerCase(Locale.ROOT);
    return simple.matches("[0-9a-f]{32}") ? simple : null;
  }

  static String hyphenated(String simple) {
    return simple.substring(0, 8) + "-" + simple.substring(8, 12) + "-" + simple.substring(12, 16) + "-"
        + simple.substring(16, 20) + "-" + simple.substring(20);
  }
}

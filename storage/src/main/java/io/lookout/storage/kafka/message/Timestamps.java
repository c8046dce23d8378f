package io.lookout.storage.kafka.message;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The one timestamp shape Relay's outcomes and Sentry's eventstream share. */
final class Timestamps {

  /**
   * {@code 2019-09-29T09:46:40.123456Z}: RFC 3339, UTC, always six fraction digits. Relay's
   * {@code to_rfc3339_opts(SecondsFormat::Micros, true)} and Sentry's
   * {@code strftime("%Y-%m-%dT%H:%M:%S.%fZ")}; both truncate below the microsecond.
   */
  private static final DateTimeFormatter MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private Timestamps() {
  }

  static String formatMicros(Instant instant) {
    return MICROS.format(instant);
  }

  /**
   * Reads RFC 3339 with any number of fraction digits and a {@code Z} or an offset; a timestamp
   * without a zone is taken as UTC, which is what Sentry means by one.
   *
   * @throws DateTimeParseException if it is none of these
   */
  static Instant parse(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e2) {
        return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
      }
    }
  }
}

package io.lookout.storage.kafka.message;

import java.util.UUID;

/**
 * Event ids in Relay's wire form: the UUID as 32 lowercase hex digits without hyphens
 * ({@code EventId}'s {@code Display} in {@code relay-event-schema}, which is also how Sentry keys
 * events: {@code ev:{project_id}:{event_id}}, {@code e:{event_id}:{project_id}}).
 */
public final class EventIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private EventIds() {
  }

  /**
   * The simple form of {@code id}, given either simple (any case) or hyphenated.
   *
   * @throws IllegalArgumentException if {@code id} is null or not a UUID in one of those forms
   */
  public static String normalize(String id) {
    if (id == null) {
      throw new IllegalArgumentException("event id is missing");
    }
    int length = id.length();
    if (length == 32) {
      boolean lower = true;
      for (int i = 0; i < 32; i++) {
        int c = id.charAt(i);
        if (c >= 'A' && c <= 'F') {
          lower = false;
        } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
          throw notAnId(id);
        }
      }
      return lower ? id : id.toLowerCase(java.util.Locale.ROOT);
    }
    if (length == 36) {
      char[] out = new char[32];
      int o = 0;
      for (int i = 0; i < 36; i++) {
        char c = id.charAt(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
          if (c != '-') {
            throw notAnId(id);
          }
          continue;
        }
        if (c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
          out[o++] = c;
        } else if (c >= 'A' && c <= 'F') {
          out[o++] = (char) (c + ('a' - 'A'));
        } else {
          throw notAnId(id);
        }
      }
      return new String(out);
    }
    throw notAnId(id);
  }

  /** The simple form of {@code uuid}. */
  public static String of(UUID uuid) {
    char[] out = new char[32];
    write(uuid.getMostSignificantBits(), out, 0);
    write(uuid.getLeastSignificantBits(), out, 16);
    return new String(out);
  }

  /** A new random (v4) event id. */
  public static String random() {
    return of(UUID.randomUUID());
  }

  /**
   * The 16 bytes of the UUID in network order: the Kafka message key Relay uses for events,
   * attachments and user reports ({@code uuid.as_bytes()} in {@code relay-kafka}), so all parts of
   * one event land on one partition.
   */
  public static byte[] toBytes(String id) {
    String simple = normalize(id);
    byte[] bytes = new byte[16];
    for (int i = 0; i < 16; i++) {
      bytes[i] = (byte) (Character.digit(simple.charAt(2 * i), 16) << 4
          | Character.digit(simple.charAt(2 * i + 1), 16));
    }
    return bytes;
  }

  private static void write(long bits, char[] out, int offset) {
    for (int i = 15; i >= 0; i--) {
      out[offset + i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }

  private static IllegalArgumentException notAnId(String id) {
    String shown = id.length() > 40 ? id.substring(0, 40) + "..." : id;
    return new IllegalArgumentException("not an event id (32 hex digits or a hyphenated UUID): '"
        + shown + "'");
  }
}

package io.lookout.gateway.produce;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** The UUID operations Relay's routing uses that {@link UUID} lacks: v5, v7 and lenient parsing. */
final class Uuids {

  /** RFC 4122's URL namespace ({@code Uuid::NAMESPACE_URL}). */
  static final UUID NAMESPACE_URL = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

  private Uuids() {
  }

  /** A name-based (SHA-1) UUID, as {@code Uuid::new_v5}. */
  static UUID v5(UUID namespace, byte[] name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
    sha1.update(bytes(namespace));
    sha1.update(name);
    byte[] hash = sha1.digest();
    hash[6] = (byte) ((hash[6] & 0x0F) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }

  static UUID v5(UUID namespace, String name) {
    return v5(namespace, name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The 16 bytes of a time-ordered UUID for {@code timestamp}, as {@code Uuid::new_v7}: 48 bits
   * of unix milliseconds, then random bits with the version and variant set.
   */
  static byte[] v7(Instant timestamp) {
    long millis = Math.max(0, timestamp.toEpochMilli());
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
    long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
  }

  /** The 16 bytes in network order ({@code Uuid::as_bytes}). */
  static byte[] bytes(UUID uuid) {
    return ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .array();
  }

  /**
   * A UUID as the Rust {@code uuid} crate parses one: 32 hex digits, hyphenated, braced or
   * {@code urn:uuid:}; any case. Null if {@code s} is none of these.
   */
  static UUID parse(String s) {
    if (s == null) {
      return null;
    }
    String v = s;
    if (v.length() == 45 && v.regionMatches(true, 0, "urn:uuid:", 0, 9)) {
      v = v.substring(9);
    } else if (v.length() == 38 && v.charAt(0) == '{' && v.charAt(37) == '}') {
      v = v.substring(1, 37);
    }
    StringBuilder hex = new StringBuilder(32);
    if (v.length() == 32) {
      hex.append(v);
    } else if (v.length() == 36) {
      for (int i = 0; i < 36; i++) {
        char c = v.charAt(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
          if (c != '-') {
            return null;
          }
        } else {
          hex.append(c);
        }
      }
    } else {
      return null;
    }
    long high = 0;
    long low = 0;
    for (int i = 0; i < 32; i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0 || hex.charAt(i) > 'f') {
        return null;
      }
      if (i < 16) {
        high = (high << 4) | d;
      } else {
        low = (low << 4) | d;
      }
    }
    return new UUID(high, low);
  }

  /** 32 lower-case hex digits without hyphens (Relay's {@code EventId} and {@code TraceId} form). */
  static String simple(UUID uuid) {
    return uuid.toString().replace("-", "");
  }
}

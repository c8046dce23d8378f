package io.lookout.storage.config;

import io.vertx.core.json.JsonObject;

/** Typed reads of configuration keys with defaults; wrong types fail with the key's name. */
public final class Conf {

  private Conf() {
  }

  public static JsonObject section(JsonObject json, String key) {
    Object value = json == null ? null : json.getValue(key);
    if (value == null) {
      return new JsonObject();
    }
    if (value instanceof JsonObject obj) {
      return obj;
    }
    throw new ConfigException("'" + key + "' must be an object");
  }

  public static String string(JsonObject json, String key, String def) {
    Object value = json.getValue(key);
    if (value == null) {
      return def;
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    throw new ConfigException("'" + key + "' must be a string");
  }

  public static int integer(JsonObject json, String key, int def) {
    long value = longValue(json, key, def);
    if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) {
      throw new ConfigException("'" + key + "' is out of range: " + value);
    }
    return (int) value;
  }

  public static long longValue(JsonObject json, String key, long def) {
    Object value = json.getValue(key);
    if (value == null) {
      return def;
    }
    if (value instanceof Number n) {
      if (n.doubleValue() != Math.rint(n.doubleValue())) {
        throw new ConfigException("'" + key + "' must be a whole number: " + value);
      }
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException("'" + key + "' must be a number: '" + s + "'");
      }
    }
    throw new ConfigException("'" + key + "' must be a number");
  }

  /**
   * A size in bytes: a whole number, or a string with a unit as Relay's config takes them
   * ({@code "1MiB"}, {@code "200 MB"}, {@code "512KiB"}, {@code "100KB"}; KB/MB/GB are decimal,
   * KiB/MiB/GiB binary).
   */
  public static long bytes(JsonObject json, String key, long def) {
    Object value = json.getValue(key);
    if (value == null) {
      return def;
    }
    if (value instanceof Number) {
      return longValue(json, key, def);
    }
    if (value instanceof String s) {
      java.util.regex.Matcher m = java.util.regex.Pattern
          .compile("\\s*(\\d+)\\s*([KMG]i?B|B)?\\s*", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(s);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(java.util.Locale.ROOT);
        long factor = switch (unit) {
          case "KB" -> 1_000L;
          case "KIB" -> 1L << 10;
          case "MB" -> 1_000_000L;
          case "MIB" -> 1L << 20;
          case "GB" -> 1_000_000_000L;
          case "GIB" -> 1L << 30;
          default -> 1L;
        };
        return Math.multiplyExact(n, factor);
      }
      throw new ConfigException("'" + key + "' must be a size such as 1048576 or \"1MiB\", got '" + s + "'");
    }
    throw new ConfigException("'" + key + "' must be a size in bytes");
  }

  public static boolean bool(JsonObject json, String key, boolean def) {
    Object value = json.getValue(key);
    if (value == null) {
      return def;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(s);
    }
    throw new ConfigException("'" + key + "' must be true or false");
  }

  public static void positive(String key, long value) {
    if (value <= 0) {
      throw new ConfigException("'" + key + "' must be greater than 0, got " + value);
    }
  }

  public static void tcpPort(String key, int value) {
    if (value < 1 || value > 65535) {
      throw new ConfigException("'" + key + "' must be a TCP port (1-65535), got " + value);
    }
  }

  public static void notBlank(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException("'" + key + "' must not be empty");
    }
  }
}

package io.lookout.processors.analytics;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads the saved event JSON ({@code data} of an eventstream insert) the way Snuba's
 * {@code events_format} helpers do, tolerant of any shape: a field of the wrong type counts as
 * absent, never fails the row.
 */
final class EventFields {

  private static final Pattern IPV4 = Pattern.compile(
      "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern HEX32 = Pattern.compile("[0-9a-fA-F]{32}");
  private static final long MAX_UINT32 = 0xFFFF_FFFFL;

  private EventFields() {
  }

  /** Snuba's {@code _unicodify}: strings as they are, scalars as Python prints them, objects as JSON. */
  static String text(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (!Double.isFinite(d)) {
        return Double.toString(d);
      }
      String plain = BigDecimal.valueOf(d).toPlainString();
      return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    if (value instanceof JsonObject o) {
      return o.encode();
    }
    if (value instanceof JsonArray a) {
      return a.encode();
    }
    return value.toString();
  }

  static String textOr(Object value, String fallback) {
    String s = text(value);
    return s == null ? fallback : s;
  }

  /** {@code null} and the empty string both count as absent. */
  static String nonEmpty(Object value) {
    String s = text(value);
    return s == null || s.isEmpty() ? null : s;
  }

  static JsonObject object(JsonObject parent, String key) {
    return parent != null && parent.getValue(key) instanceof JsonObject o ? o : null;
  }

  static JsonArray array(JsonObject parent, String key) {
    return parent != null && parent.getValue(key) instanceof JsonArray a ? a : null;
  }

  /**
   * Tags as a map, Snuba's {@code _as_dict_safe}: the saved form is {@code [[key, value], ...]}, an
   * object is accepted too; a later pair wins over an earlier one with the same key.
   */
  static Map<String, Object> tags(JsonObject data) {
    Map<String, Object> out = new TreeMap<>();
    Object raw = data.getValue("tags");
    if (raw instanceof JsonArray pairs) {
      for (Object item : pairs) {
        if (item instanceof JsonArray pair && pair.size() == 2 && pair.getValue(0) != null) {
          out.put(text(pair.getValue(0)), pair.getValue(1));
        }
      }
    } else if (raw instanceof JsonObject obj) {
      for (Map.Entry<String, Object> e : obj) {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /** Snuba's {@code extract_extra_tags}: sorted by key, empty values left out. */
  static void putTags(JsonObject row, Map<String, Object> tags) {
    JsonArray keys = new JsonArray();
    JsonArray values = new JsonArray();
    for (Map.Entry<String, Object> e : tags.entrySet()) {
      String value = nonEmpty(e.getValue());
      if (value != null) {
        keys.add(e.getKey());
        values.add(value);
      }
    }
    row.put("tags.key", keys).put("tags.value", values);
  }

  /**
   * Snuba's {@code extract_extra_contexts}: {@code name.field} for every scalar field of every
   * context object (the {@code type} alias left out), empty values left out. The user's
   * {@code geo} counts as the {@code geo} context when there is none.
   */
  static void putContexts(JsonObject row, JsonObject contexts, JsonObject user, List<String> dropped) {
    JsonArray keys = new JsonArray();
    JsonArray values = new JsonArray();
    Map<String, Object> all = new java.util.LinkedHashMap<>();
    if (contexts != null) {
      for (Map.Entry<String, Object> e : contexts) {
        all.put(e.getKey(), e.getValue());
      }
    }
    JsonObject geo = object(user, "geo");
    if (geo != null && !all.containsKey("geo")) {
      all.put("geo", geo);
    }
    for (Map.Entry<String, Object> ctx : all.entrySet()) {
      if (!(ctx.getValue() instanceof JsonObject fields)) {
        continue;
      }
      for (Map.Entry<String, Object> field : fields) {
        String key = ctx.getKey() + "." + field.getKey();
        if (field.getKey().equals("type") || dropped.contains(key)) {
          continue;
        }
        Object v = field.getValue();
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
          String value = text(v);
          if (!value.isEmpty()) {
            keys.add(key);
            values.add(value);
          }
        }
      }
    }
    row.put("contexts.key", keys).put("contexts.value", values);
  }

  /** Snuba's {@code extract_user}: id, username, email, and the address split by IP version. */
  static void putUser(JsonObject row, JsonObject user) {
    row.put("user_id", user == null ? null : text(user.getValue("id")));
    row.put("user_name", user == null ? null : text(user.getValue("username")));
    row.put("user_email", user == null ? null : text(user.getValue("email")));
    String ip = user == null ? null : text(user.getValue("ip_address"));
    row.put("ip_address_v4", ip != null && IPV4.matcher(ip).matches() ? ip : null);
    row.put("ip_address_v6", ip != null && isIpv6(ip) ? ip.toLowerCase(Locale.ROOT) : null);
  }

  private static boolean isIpv6(String ip) {
    if (ip.indexOf(':') < 0 || ip.length() > 45 || !IPV6_CHARS.matcher(ip).matches()) {
      return false;
    }
    // a literal with ':' is parsed, never resolved
    try {
      return java.net.InetAddress.getByName(ip) instanceof java.net.Inet6Address;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  /** Snuba's {@code extract_http}: method, the Referer header, url. */
  static void putHttp(JsonObject row, JsonObject request, boolean withUrl) {
    row.put("http_method", request == null ? null : text(request.getValue("method")));
    row.put("http_referer", request == null ? null : text(header(request.getValue("headers"), "Referer")));
    if (withUrl) {
      row.put("http_url", request == null ? null : text(request.getValue("url")));
    }
  }

  /** Headers are saved as {@code [[name, value], ...]}; an object is accepted too. */
  private static Object header(Object headers, String name) {
    if (headers instanceof JsonArray pairs) {
      for (Object item : pairs) {
        if (item instanceof JsonArray pair && pair.size() == 2 && name.equalsIgnoreCase(text(pair.getValue(0)))) {
          return pair.getValue(1);
        }
      }
    } else if (headers instanceof JsonObject obj) {
      for (Map.Entry<String, Object> e : obj) {
        if (name.equalsIgnoreCase(e.getKey())) {
          return e.getValue();
        }
      }
    }
    return null;
  }

  static void putSdk(JsonObject row, JsonObject data) {
    JsonObject sdk = object(data, "sdk");
    row.put("sdk_name", sdk == null ? "" : textOr(sdk.getValue("name"), ""));
    row.put("sdk_version", sdk == null ? "" : textOr(sdk.getValue("version"), ""));
  }

  /** A trace or event id as ClickHouse's UUID, or null when it is not 32 hex digits. */
  static String uuidOrNull(Object id) {
    String s = text(id);
    if (s == null) {
      return null;
    }
    String hex = s.replace("-", "");
    return HEX32.matcher(hex).matches() ? ClickHouseWriter.uuid(hex) : null;
  }

  /** Snuba's {@code _collapse_uint32}: a whole number that fits UInt32, else null. */
  static Long uint32(Object value) {
    if (value instanceof Number n) {
      double d = n.doubleValue();
      if (d >= 0 && d <= MAX_UINT32 && d == Math.rint(d)) {
        return n.longValue();
      }
    }
    return null;
  }

  /** Snuba's {@code _boolify} as the UInt8 ClickHouse stores. */
  static Integer bit(Object value) {
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0 ? 1 : 0;
    }
    if (value instanceof String s) {
      String v = s.toLowerCase(Locale.ROOT);
      if (v.equals("true") || v.equals("1") || v.equals("yes")) {
        return 1;
      }
      if (v.equals("false") || v.equals("0") || v.equals("no")) {
        return 0;
      }
    }
    return null;
  }

  /** Unix seconds (a float in saved events) or null. */
  static Double seconds(Object value) {
    return value instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
  }

  static List<Object> listOf(JsonArray array) {
    List<Object> out = new ArrayList<>();
    if (array != null) {
      for (Object o : array) {
        out.add(o);
      }
    }
    return out;
  }
}

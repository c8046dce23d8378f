package io.lookout.processors.grouping;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Lenient reads: a value of the wrong JSON type reads as absent, never as an exception. */
final class Json {

  private Json() {}

  static String str(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof String s ? s : null;
  }

  /** The string, or null when it is absent, not a string or empty. */
  static String nonEmpty(JsonObject o, String key) {
    String s = str(o, key);
    return s == null || s.isEmpty() ? null : s;
  }

  static JsonObject obj(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof JsonObject j ? j : null;
  }

  static JsonArray arr(JsonObject o, String key) {
    return o != null && o.getValue(key) instanceof JsonArray a ? a : null;
  }

  static boolean isTrue(JsonObject o, String key) {
    return o != null && Boolean.TRUE.equals(o.getValue(key));
  }

  /** The objects of an array; other elements (null, strings) are skipped. */
  static List<JsonObject> objects(JsonArray a) {
    if (a == null || a.isEmpty()) {
      return List.of();
    }
    List<JsonObject> out = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      if (a.getValue(i) instanceof JsonObject j) {
        out.add(j);
      }
    }
    return out;
  }

  /** {@code {"values": [...]}} as stored, or a bare list as older SDKs sent it. */
  static List<JsonObject> values(JsonObject event, String key) {
    Object v = event == null ? null : event.getValue(key);
    if (v instanceof JsonObject j) {
      return objects(arr(j, "values"));
    }
    if (v instanceof JsonArray a) {
      return objects(a);
    }
    return List.of();
  }

  /** Equality of two JSON scalars, numbers by value (12 and 12L are the same line). */
  static boolean sameScalar(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return x.doubleValue() == y.doubleValue();
    }
    return a == null ? b == null : a.equals(b);
  }
}

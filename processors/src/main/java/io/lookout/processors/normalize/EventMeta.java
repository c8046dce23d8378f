package io.lookout.processors.normalize;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;

/**
 * The two places where normalization says what it changed, as Sentry stores them: the event's
 * {@code errors} array ({"type", "name", "value"}) and {@code _meta}, a tree that mirrors the event's paths
 * (array indices as strings) with {@code {"": {"rem": [[rule, type]], "len": n}}} at the changed value.
 * Nothing is allocated until something is recorded.
 */
final class EventMeta {

  private JsonArray errors;
  private JsonObject meta;
  /** Path of the value being walked by the databag and scrubbing visitors; keys and indices as strings. */
  final ArrayList<String> path = new ArrayList<>(16);

  void error(String type, String name, Object value) {
    JsonObject e = new JsonObject().put("type", type);
    if (name != null) {
      e.put("name", name);
    }
    if (value != null) {
      e.put("value", value instanceof String || value instanceof Number || value instanceof Boolean
          ? value : String.valueOf(value));
    }
    errors().add(e);
  }

  void error(JsonObject error) {
    errors().add(error);
  }

  private JsonArray errors() {
    if (errors == null) {
      errors = new JsonArray();
    }
    return errors;
  }

  boolean hasErrors() {
    return errors != null && !errors.isEmpty();
  }

  /** Records a remark (Relay's {@code [rule_id, type]}, type "s" substituted, "x" removed) at the current path. */
  void remark(String rule, String type, int originalLength) {
    JsonObject node = node();
    JsonArray rem = node.getJsonArray("rem");
    if (rem == null) {
      rem = new JsonArray();
      node.put("rem", rem);
    }
    rem.add(new JsonArray().add(rule).add(type));
    if (originalLength >= 0 && !node.containsKey("len")) {
      node.put("len", originalLength);
    }
  }

  /** Records that the value at the current path was shortened from {@code originalLength}. */
  void length(int originalLength) {
    JsonObject node = node();
    if (!node.containsKey("len")) {
      node.put("len", originalLength);
    }
  }

  /** Remark at an explicit path (for fields outside the walked databags). */
  void remarkAt(String rule, String type, int originalLength, String... keys) {
    int mark = path.size();
    for (String k : keys) {
      path.add(k);
    }
    remark(rule, type, originalLength);
    truncatePath(mark);
  }

  void lengthAt(int originalLength, String... keys) {
    int mark = path.size();
    for (String k : keys) {
      path.add(k);
    }
    length(originalLength);
    truncatePath(mark);
  }

  void truncatePath(int size) {
    while (path.size() > size) {
      path.remove(path.size() - 1);
    }
  }

  private JsonObject node() {
    if (meta == null) {
      meta = new JsonObject();
    }
    JsonObject cur = meta;
    for (String key : path) {
      Object child = cur.getValue(key);
      if (!(child instanceof JsonObject)) {
        JsonObject created = new JsonObject();
        cur.put(key, created);
        cur = created;
      } else {
        cur = (JsonObject) child;
      }
    }
    Object leaf = cur.getValue("");
    if (leaf instanceof JsonObject l) {
      return l;
    }
    JsonObject l = new JsonObject();
    cur.put("", l);
    return l;
  }

  /** Writes {@code errors} (appended to what the SDK sent) and {@code _meta} into the event. */
  void writeTo(JsonObject event) {
    if (errors != null && !errors.isEmpty()) {
      Object existing = event.getValue("errors");
      if (existing instanceof JsonArray arr) {
        arr.addAll(errors);
      } else {
        event.put("errors", errors);
      }
    }
    if (meta != null) {
      Object existing = event.getValue("_meta");
      if (existing instanceof JsonObject old) {
        old.mergeIn(meta, true);
      } else {
        event.put("_meta", meta);
      }
    }
  }
}

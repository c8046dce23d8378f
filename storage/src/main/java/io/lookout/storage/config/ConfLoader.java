package io.lookout.storage.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code conf/<name>.json} and applies environment overrides.
 *
 * <p>The conf folder is, in order: system property {@code lookout.conf.dir}, environment variable
 * {@code LOOKOUT_CONF_DIR}, {@code ./conf}. A missing file is an empty object, so every key falls
 * back to its documented default.
 *
 * <p>Override rule (documented in conf/README.md): {@code LOOKOUT_<FILE>__<KEY>__<SUBKEY>=value}
 * sets {@code <subkey>} of {@code <key>} in {@code <file>.json}. Segments match existing keys
 * case-insensitively, with {@code _} and {@code -} treated alike (so topic {@code ingest-events} is
 * {@code INGEST_EVENTS}); a segment matching no key becomes a new lower-case key. The value is
 * parsed as JSON when the key's current value is a number, boolean, object or array (or the key is
 * new and the value parses), and is kept as a plain string when the current value is a string, so a
 * password of digits stays a string.
 */
public final class ConfLoader {

  public static final String CONF_DIR_PROPERTY = "lookout.conf.dir";
  public static final String CONF_DIR_ENV = "LOOKOUT_CONF_DIR";

  private final Path confDir;
  private final Map<String, String> env;

  private ConfLoader(Path confDir, Map<String, String> env) {
    this.confDir = confDir;
    this.env = env;
  }

  /** The loader for this process: conf folder from property/env/default, overrides from the environment. */
  public static ConfLoader fromEnvironment() {
    String dir = System.getProperty(CONF_DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(CONF_DIR_ENV);
    }
    if (dir == null || dir.isBlank()) {
      dir = "conf";
    }
    return new ConfLoader(Path.of(dir).toAbsolutePath().normalize(), System.getenv());
  }

  public static ConfLoader of(Path confDir, Map<String, String> env) {
    return new ConfLoader(confDir.toAbsolutePath().normalize(), Map.copyOf(env));
  }

  public Path confDir() {
    return confDir;
  }

  /** The folder that holds {@code conf/}: relative paths in the configuration resolve against it. */
  public Path homeDir() {
    Path parent = confDir.getParent();
    return parent == null ? confDir : parent;
  }

  /** {@code conf/<name>.json} with the environment overrides for {@code name} applied. */
  public JsonObject load(String name) {
    JsonObject json = readFile(confDir.resolve(name + ".json"));
    applyOverrides(json, name, env);
    return json;
  }

  private static JsonObject readFile(Path file) {
    if (!Files.exists(file)) {
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (DecodeException e) {
      throw new ConfigException(file + " is not valid JSON: " + e.getMessage());
    }
  }

  static void applyOverrides(JsonObject json, String name, Map<String, String> env) {
    String prefix = "LOOKOUT_" + name.toUpperCase(Locale.ROOT) + "__";
    // sorted so that a parent override is applied before a child override of the same path
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (e.getKey().startsWith(prefix) && e.getKey().length() > prefix.length()) {
        String[] path = e.getKey().substring(prefix.length()).split("__");
        set(json, path, e.getValue(), e.getKey());
      }
    }
  }

  private static void set(JsonObject root, String[] path, String raw, String variable) {
    JsonObject node = root;
    for (int i = 0; i < path.length - 1; i++) {
      String key = matchKey(node, path[i]);
      Object child = node.getValue(key);
      if (child == null) {
        JsonObject created = new JsonObject();
        node.put(key, created);
        node = created;
      } else if (child instanceof JsonObject obj) {
        node = obj;
      } else {
        throw new ConfigException(variable + ": '" + key + "' is not an object, cannot set a key inside it");
      }
    }
    String key = matchKey(node, path[path.length - 1]);
    node.put(key, parseValue(node.getValue(key), raw, variable));
  }

  private static String matchKey(JsonObject node, String segment) {
    String wanted = normalize(segment);
    for (String key : node.fieldNames()) {
      if (normalize(key).equals(wanted)) {
        return key;
      }
    }
    return segment.toLowerCase(Locale.ROOT);
  }

  private static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replace('-', '_');
  }

  private static Object parseValue(Object current, String raw, String variable) {
    if (current instanceof String) {
      return raw;
    }
    Object parsed = parseJson(raw);
    if (current == null) {
      return parsed == null && !"null".equals(raw.trim()) ? raw : parsed;
    }
    boolean fits = (current instanceof Number && parsed instanceof Number)
        || (current instanceof Boolean && parsed instanceof Boolean)
        || (current instanceof JsonObject && parsed instanceof JsonObject)
        || (current instanceof JsonArray && parsed instanceof JsonArray)
        || "null".equals(raw.trim());
    if (!fits) {
      throw new ConfigException(variable + "='" + raw + "' does not fit the type of the value it overrides ("
          + current.getClass().getSimpleName() + ")");
    }
    return parsed;
  }

  private static Object parseJson(String raw) {
    try {
      return io.vertx.core.json.Json.decodeValue(raw.trim());
    } catch (DecodeException e) {
      return null;
    }
  }
}

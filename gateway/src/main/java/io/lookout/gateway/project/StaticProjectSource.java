package io.lookout.gateway.project;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Project states from {@code conf/projects/*.json} (static mode: no Postgres on the ingest path).
 * One file per project:
 * <pre>{"id": 1, "organization_id": 1, "slug": "backend", "status": "active",
 *  "keys": [{"id": 1, "public_key": "&lt;32 hex&gt;", "status": "active",
 *            "rate_limit": {"count": 1000, "window": 60}}],
 *  "options": {"filterSettings": {...}}}</pre>
 */
public final class StaticProjectSource implements ProjectSource {

  private final Map<String, ProjectState> byKey;

  private StaticProjectSource(Map<String, ProjectState> byKey) {
    this.byKey = Map.copyOf(byKey);
  }

  /** Reads every {@code *.json} in {@code dir}; a missing folder is no projects. */
  public static StaticProjectSource load(Path dir) {
    Map<String, ProjectState> byKey = new HashMap<>();
    if (Files.isDirectory(dir)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json")) {
        for (Path file : files) {
          parse(file, new JsonObject(Files.readString(file)), byKey);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + dir, e);
      } catch (DecodeException e) {
        throw new ConfigException("a file in " + dir + " is not valid JSON: " + e.getMessage());
      }
    }
    return new StaticProjectSource(byKey);
  }

  static void parse(Path file, JsonObject json, Map<String, ProjectState> byKey) {
    Long id = json.getLong("id");
    if (id == null) {
      throw new ConfigException(file + ": 'id' (the project id of the DSN) is required");
    }
    long org = json.getLong("organization_id", 1L);
    String slug = json.getString("slug", "project-" + id);
    boolean active = "active".equals(json.getString("status", "active"));
    JsonObject options = json.getJsonObject("options", new JsonObject());
    JsonArray keys = json.getJsonArray("keys", new JsonArray());
    for (int i = 0; i < keys.size(); i++) {
      JsonObject k = keys.getJsonObject(i);
      String publicKey = k.getString("public_key", "");
      if (!publicKey.matches("[0-9a-f]{32}")) {
        throw new ConfigException(file + ": keys[" + i + "].public_key must be 32 lower-case hex digits");
      }
      JsonObject limit = k.getJsonObject("rate_limit");
      ProjectKey key = new ProjectKey(k.getLong("id", id * 1000 + i), publicKey,
          "active".equals(k.getString("status", "active")),
          limit == null ? null : limit.getInteger("count"), limit == null ? null : limit.getInteger("window"));
      if (byKey.put(publicKey, new ProjectState(id, org, slug, active, key, options)) != null) {
        throw new ConfigException(file + ": public key " + publicKey + " is used by two projects");
      }
    }
  }

  @Override
  public Future<Map<String, ProjectState>> fetch(Set<String> publicKeys) {
    Map<String, ProjectState> found = new HashMap<>();
    for (String key : publicKeys) {
      ProjectState state = byKey.get(key);
      if (state != null) {
        found.put(key, state);
      }
    }
    return Future.succeededFuture(found);
  }
}

package io.lookout.processors.project;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Projects by id, read from Postgres and cached for {@code ttlMs} (a project deleted or changed is
 * noticed within that time). A batch resolves all its unknown projects with one query. Bounded:
 * when more than {@code maxEntries} projects are cached, the cache starts over.
 */
public final class ProjectRegistry {

  private static final String SELECT = "SELECT p.id, p.organization_id, p.slug, p.status, p.options "
      + "FROM projects p WHERE p.id = ANY($1::bigint[])";

  private record Entry(Optional<ProjectInfo> project, long expiresAt) {
  }

  private final Pool pool;
  private final long ttlMs;
  private final int maxEntries;
  private final Map<Long, Entry> cache = new ConcurrentHashMap<>();

  public ProjectRegistry(Pool pool, long ttlMs, int maxEntries) {
    this.pool = pool;
    this.ttlMs = ttlMs;
    this.maxEntries = maxEntries;
  }

  /** Every requested id maps to its project, or to an empty optional when no such project exists. */
  public Future<Map<Long, Optional<ProjectInfo>>> getAll(Collection<Long> ids) {
    long now = System.currentTimeMillis();
    Map<Long, Optional<ProjectInfo>> found = new HashMap<>();
    List<Long> missing = new ArrayList<>();
    for (Long id : ids) {
      if (found.containsKey(id)) {
        continue;
      }
      Entry entry = cache.get(id);
      if (entry != null && entry.expiresAt() > now) {
        found.put(id, entry.project());
      } else if (!missing.contains(id)) {
        missing.add(id);
      }
    }
    if (missing.isEmpty()) {
      return Future.succeededFuture(found);
    }
    return pool.preparedQuery(SELECT).execute(Tuple.of(missing.toArray(Long[]::new))).map(rows -> {
      if (cache.size() + missing.size() > maxEntries) {
        cache.clear();
      }
      long expiresAt = System.currentTimeMillis() + ttlMs;
      for (Row row : rows) {
        ProjectInfo info = new ProjectInfo(row.getLong("id"), row.getLong("organization_id"),
            row.getString("slug"), "active".equals(row.getString("status")), options(row));
        found.put(info.id(), Optional.of(info));
      }
      for (Long id : missing) {
        found.putIfAbsent(id, Optional.empty());
        cache.put(id, new Entry(found.get(id), expiresAt));
      }
      return found;
    });
  }

  private static JsonObject options(Row row) {
    Object value = row.getValue("options");
    return value instanceof JsonObject json ? json : new JsonObject();
  }
}

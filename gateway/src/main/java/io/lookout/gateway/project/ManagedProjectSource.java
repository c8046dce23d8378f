package io.lookout.gateway.project;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Project states from Postgres: one query for any number of keys. */
public final class ManagedProjectSource implements ProjectSource {

  private static final String QUERY = """
      SELECT k.public_key, k.id AS key_id, k.status AS key_status, k.rate_limit_count, k.rate_limit_window_s,
             p.id AS project_id, p.slug, p.status AS project_status, p.options,
             o.id AS organization_id, o.status AS organization_status
      FROM project_keys k
      JOIN projects p ON p.id = k.project_id
      JOIN organizations o ON o.id = p.organization_id
      WHERE k.public_key = ANY($1)""";

  private final Pool pool;

  public ManagedProjectSource(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Map<String, ProjectState>> fetch(Set<String> publicKeys) {
    return pool.preparedQuery(QUERY).execute(Tuple.of(publicKeys.toArray(String[]::new))).map(rows -> {
      Map<String, ProjectState> states = new HashMap<>();
      for (Row row : rows) {
        ProjectKey key = new ProjectKey(row.getLong("key_id"), row.getString("public_key"),
            "active".equals(row.getString("key_status")), row.getInteger("rate_limit_count"),
            row.getInteger("rate_limit_window_s"));
        Object options = row.getValue("options");
        boolean active = "active".equals(row.getString("project_status"))
            && "active".equals(row.getString("organization_status"));
        states.put(key.publicKey(), new ProjectState(row.getLong("project_id"), row.getLong("organization_id"),
            row.getString("slug"), active, key, options instanceof JsonObject obj ? obj : new JsonObject()));
      }
      return states;
    });
  }
}

package io.lookout.processors.cli;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Organizations, projects and keys, as the admin CLI manages them. Idempotent: creates only what is missing. */
public final class ProjectAdmin {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** A project and one of its keys. */
  public record ProjectInfo(long organizationId, String organizationSlug, long projectId, String projectSlug,
      String status, long keyId, String publicKey, String keyStatus) {
  }

  private final Pool pool;

  public ProjectAdmin(Pool pool) {
    this.pool = pool;
  }

  /**
   * Makes sure the organization, the project (with {@code projectId} if given and free) and a key
   * ({@code publicKey} if given) exist, and returns them.
   */
  public Future<ProjectInfo> createProject(String orgSlug, String projectSlug, Long projectId, String publicKey) {
    if (publicKey != null && !publicKey.matches("[0-9a-f]{32}")) {
      return Future.failedFuture(new IllegalArgumentException("--public-key must be 32 lower-case hex digits"));
    }
    return pool.withTransaction(conn -> organization(conn, orgSlug)
        .compose(orgId -> project(conn, orgId, projectSlug, projectId)
            .compose(pid -> key(conn, pid, publicKey))
            .compose(keyId -> conn.preparedQuery(LIST + " WHERE k.id = $1").execute(Tuple.of(keyId)))
            .map(rows -> info(rows.iterator().next()))));
  }

  private static final String LIST = """
      SELECT o.id AS org_id, o.slug AS org_slug, p.id AS project_id, p.slug AS project_slug, p.status,
             k.id AS key_id, k.public_key, k.status AS key_status
      FROM project_keys k JOIN projects p ON p.id = k.project_id JOIN organizations o ON o.id = p.organization_id""";

  public Future<List<ProjectInfo>> listProjects() {
    return pool.query(LIST + " ORDER BY o.slug, p.slug, k.id").execute().map(rows -> {
      List<ProjectInfo> out = new ArrayList<>();
      rows.forEach(r -> out.add(info(r)));
      return out;
    });
  }

  private static ProjectInfo info(Row r) {
    return new ProjectInfo(r.getLong("org_id"), r.getString("org_slug"), r.getLong("project_id"),
        r.getString("project_slug"), r.getString("status"), r.getLong("key_id"), r.getString("public_key"),
        r.getString("key_status"));
  }

  private static Future<Long> organization(SqlConnection conn, String slug) {
    return conn.preparedQuery("""
            INSERT INTO organizations (slug, name) VALUES ($1, $1)
            ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id""")
        .execute(Tuple.of(slug)).map(rows -> rows.iterator().next().getLong(0));
  }

  private static Future<Long> project(SqlConnection conn, long orgId, String slug, Long wantedId) {
    return conn.preparedQuery("SELECT id FROM projects WHERE organization_id = $1 AND slug = $2")
        .execute(Tuple.of(orgId, slug)).compose(rows -> {
          if (rows.size() > 0) {
            long existing = rows.iterator().next().getLong(0);
            if (wantedId != null && wantedId != existing) {
              return Future.failedFuture(new IllegalArgumentException("project " + slug + " already exists with id "
                  + existing + ", not " + wantedId));
            }
            return Future.succeededFuture(existing);
          }
          Future<Long> created = wantedId == null
              ? conn.preparedQuery("INSERT INTO projects (organization_id, slug, name) VALUES ($1, $2, $2) RETURNING id")
                  .execute(Tuple.of(orgId, slug)).map(r -> r.iterator().next().getLong(0))
              : conn.preparedQuery("INSERT INTO projects (id, organization_id, slug, name) VALUES ($1, $2, $3, $3)"
                  + " RETURNING id").execute(Tuple.of(wantedId, orgId, slug)).map(r -> r.iterator().next().getLong(0))
                  // an explicit id must not collide with the identity sequence later
                  .compose(id -> conn.query("SELECT setval(pg_get_serial_sequence('projects', 'id'),"
                      + " GREATEST((SELECT max(id) FROM projects), 1))").execute().map(id));
          return created.compose(id -> conn.preparedQuery(
                  "INSERT INTO project_counters (project_id) VALUES ($1) ON CONFLICT DO NOTHING")
              .execute(Tuple.of(id)).map(id));
        });
  }

  private static Future<Long> key(SqlConnection conn, long projectId, String publicKey) {
    String lookup = publicKey == null
        ? "SELECT id, project_id FROM project_keys WHERE project_id = $1 AND status = 'active' ORDER BY id LIMIT 1"
        : "SELECT id, project_id FROM project_keys WHERE public_key = $1";
    Tuple args = publicKey == null ? Tuple.of(projectId) : Tuple.of(publicKey);
    return conn.preparedQuery(lookup).execute(args).compose(rows -> {
      if (rows.size() > 0) {
        Row row = rows.iterator().next();
        if (row.getLong("project_id") != projectId) {
          return Future.failedFuture(new IllegalArgumentException("public key " + publicKey
              + " belongs to project " + row.getLong("project_id")));
        }
        return Future.succeededFuture(row.getLong("id"));
      }
      String key = publicKey == null ? randomHex() : publicKey;
      return conn.preparedQuery("INSERT INTO project_keys (project_id, public_key, secret_key) VALUES ($1, $2, $3)"
          + " RETURNING id").execute(Tuple.of(projectId, key, randomHex())).map(r -> r.iterator().next().getLong(0));
    });
  }

  static String randomHex() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}

package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The organization a stats request is about and the projects it reads, from the URL's slug and the
 * repeated {@code project} parameter: none or {@code -1} means every project of the organization; a
 * project of another organization (or none at all) is a 403, as in Sentry.
 *
 * @param projectIds never empty unless the organization has no project
 */
record StatsScope(long orgId, List<Long> projectIds) {

  /** Reads the organization and its projects in one statement; a 404 for an unknown organization. */
  static Future<StatsScope> resolve(Pool pool, String orgSlug, List<String> rawProjects) {
    Set<Long> requested = new LinkedHashSet<>();
    boolean all = rawProjects.isEmpty();
    for (String raw : rawProjects) {
      for (String part : raw.split(",")) {
        String p = part.strip();
        if (p.equals("-1")) {
          all = true;
        } else if (p.matches("\\d{1,18}")) {
          requested.add(Long.parseLong(p));
        } else if (!p.isEmpty()) {
          throw ApiError.badRequest("Invalid project ids");
        }
      }
    }
    boolean everyProject = all || requested.isEmpty();
    return pool.preparedQuery("SELECT o.id AS org_id, p.id AS project_id FROM organizations o"
            + " LEFT JOIN projects p ON p.organization_id = o.id WHERE o.slug = $1 ORDER BY p.id")
        .execute(Tuple.of(orgSlug))
        .map(rows -> {
          if (rows.size() == 0) {
            throw ApiError.notFound();
          }
          long orgId = 0;
          Set<Long> owned = new LinkedHashSet<>();
          for (Row row : rows) {
            orgId = row.getLong("org_id");
            Long projectId = row.getLong("project_id");
            if (projectId != null) {
              owned.add(projectId);
            }
          }
          if (everyProject) {
            return new StatsScope(orgId, List.copyOf(owned));
          }
          if (!owned.containsAll(requested)) {
            throw new ApiError(403, ApiError.NO_PERMISSION);
          }
          return new StatsScope(orgId, List.copyOf(new ArrayList<>(requested)));
        });
  }

  /** {@code project_id IN (...)} for ClickHouse; only call it with projects. */
  String projectCondition() {
    StringBuilder sql = new StringBuilder("project_id IN (");
    for (int i = 0; i < projectIds.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(projectIds.get(i));
    }
    return sql.append(')').toString();
  }

  /** A ClickHouse string literal (ClickHouse 18.16 has no query parameters). */
  static String literal(String value) {
    StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '\'' -> sb.append("\\'");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\0' -> sb.append("\\0");
        default -> sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }
}

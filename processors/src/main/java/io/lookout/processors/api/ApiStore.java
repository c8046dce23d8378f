package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Every read and write of the API, as prepared statements of the Vert.x pg client (the pool caches
 * their plans per connection). Each lookup is one statement: organization and project checks are
 * joins of the same query, not round trips of their own.
 */
final class ApiStore {

  /** What {@link IssueSerializer} reads from a group row. */
  static final String GROUP_COLUMNS = "g.id, g.project_id, g.short_id, g.title, g.culprit, g.message, g.level, g.type,"
      + " g.platform, g.status, g.substatus, g.first_seen, g.last_seen, g.times_seen, g.metadata, g.latest_event_id";

  private static final String PROJECT_COLUMNS = "p.slug AS project_slug, p.name AS project_name,"
      + " p.platform AS project_platform, o.id AS org_id, o.slug AS org_slug";

  private static final String ISSUE_FROM = " FROM groups g JOIN projects p ON p.id = g.project_id"
      + " JOIN organizations o ON o.id = p.organization_id";

  private final Pool pool;

  ApiStore(Pool pool) {
    this.pool = pool;
  }

  Pool pool() {
    return pool;
  }

  /** The project {@code projectSlug} of organization {@code orgSlug}, or a 404. */
  Future<ProjectRef> project(String orgSlug, String projectSlug) {
    return pool.preparedQuery("SELECT p.id AS project_id, " + PROJECT_COLUMNS
            + " FROM projects p JOIN organizations o ON o.id = p.organization_id WHERE o.slug = $1 AND p.slug = $2")
        .execute(Tuple.of(orgSlug, projectSlug))
        .map(rows -> ProjectRef.of(first(rows)));
  }

  /**
   * How an issue is named in a URL: its numeric id, or (under an organization) its qualified short
   * id {@code PROJECT-1Z}. Null fields are not part of the lookup.
   */
  record IssueRef(String orgSlug, Long id, String projectSlug, Long shortId) {

    /** {@code raw} from the URL; {@code orgSlug} null on {@code /api/0/issues/...}. A 404 if it names nothing. */
    static IssueRef parse(String orgSlug, String raw) {
      if (raw.matches("\\d{1,18}")) {
        return new IssueRef(orgSlug, Long.parseLong(raw), null, null);
      }
      // Sentry's short-id pattern: the slug, a separator, base32 digits
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(.*?)[\\s_-]([A-Za-z0-9]+)$").matcher(raw.strip());
      if (orgSlug != null && m.matches()) {
        long shortId = ApiJson.base32Decode(m.group(2));
        if (shortId > 0) {
          return new IssueRef(orgSlug, null, m.group(1).toLowerCase(java.util.Locale.ROOT), shortId);
        }
      }
      throw ApiError.notFound();
    }

    String where(List<Object> args) {
      StringBuilder sql = new StringBuilder(" WHERE ");
      if (id != null) {
        args.add(id);
        sql.append("g.id = $").append(args.size());
      } else {
        args.add(projectSlug);
        sql.append("p.slug = $").append(args.size());
        args.add(shortId);
        sql.append(" AND g.short_id = $").append(args.size());
      }
      if (orgSlug != null) {
        args.add(orgSlug);
        sql.append(" AND o.slug = $").append(args.size());
      }
      return sql.toString();
    }
  }

  /** The issue with its project columns, or a 404. */
  Future<Row> issue(IssueRef ref) {
    List<Object> args = new ArrayList<>();
    String sql = "SELECT " + GROUP_COLUMNS + ", " + PROJECT_COLUMNS + ISSUE_FROM + ref.where(args);
    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(ApiStore::first);
  }

  /**
   * Sets the status (and Sentry's matching substatus and resolved_at) and returns the updated issue
   * with its project columns, in one statement; a 404 if there is no such issue.
   */
  Future<Row> updateStatus(IssueRef ref, IssueSearch.Status status, String substatus) {
    List<Object> args = new ArrayList<>();
    String where = ref.where(args);
    args.add(status.sql());
    String statusArg = "$" + args.size();
    args.add(substatus);
    String substatusArg = "$" + args.size();
    String resolvedAt = status == IssueSearch.Status.RESOLVED ? "now()" : "NULL";
    // the join keeps the organization check and returns the project columns with the new row
    String sql = "UPDATE groups g SET status = " + statusArg + ", substatus = " + substatusArg + "::text,"
        + " resolved_at = " + resolvedAt
        + " FROM projects p JOIN organizations o ON o.id = p.organization_id"
        + where + " AND p.id = g.project_id"
        + " RETURNING " + GROUP_COLUMNS + ", " + PROJECT_COLUMNS;
    return pool.preparedQuery(sql).execute(Tuple.from(args)).map(ApiStore::first);
  }

  /**
   * One page of a project's issues, at most {@code limit + 1} rows in query order (see {@link Page#of}).
   *
   * <p>Keyset pagination on {@code (sort column, id)}. Sorted by last seen, each status is read from
   * its own range of {@code groups_project_status_last_seen_idx} and the ranges merged (UNION ALL,
   * each side already limited), so even "every status" never sorts the project's issues. The other
   * two sorts walk their {@code (project_id, column DESC, id DESC)} index and filter the status.
   */
  Future<RowSet<Row>> issues(long projectId, IssueSearch search, Cursor cursor, int limit) {
    List<Object> args = new ArrayList<>();
    args.add(projectId);
    String column = "g." + search.sort().column();
    boolean backwards = cursor != null && cursor.prev();
    String order = backwards ? " ASC" : " DESC";
    StringBuilder common = new StringBuilder();
    if (!search.levels().isEmpty()) {
      args.add(search.levels().toArray(String[]::new));
      common.append(" AND g.level = ANY($").append(args.size()).append(")");
    }
    if (search.text() != null) {
      args.add("%" + search.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      int n = args.size();
      common.append(" AND (g.title ILIKE $").append(n).append(" OR g.culprit ILIKE $").append(n)
          .append(" OR g.message ILIKE $").append(n).append(")");
    }
    if (cursor != null) {
      args.add(search.sort().isTime() ? Cursor.time(cursor.value()) : cursor.value());
      args.add(cursor.id());
      common.append(" AND (").append(column).append(", g.id) ").append(backwards ? ">" : "<")
          .append(" ($").append(args.size() - 1).append(", $").append(args.size()).append(")");
    }
    args.add(limit + 1);
    String limitArg = "$" + args.size();
    String orderBy = " ORDER BY " + search.sort().column() + order + ", id" + order + " LIMIT " + limitArg;
    String sql;
    Set<IssueSearch.Status> statuses = search.statuses();
    if (search.sort() == IssueSearch.Sort.DATE) {
      List<String> parts = new ArrayList<>();
      for (IssueSearch.Status status : statuses) {
        args.add(status.sql());
        parts.add("(SELECT " + GROUP_COLUMNS + " FROM groups g WHERE g.project_id = $1 AND g.status = $" + args.size()
            + common + orderBy + ")");
      }
      sql = parts.size() == 1 ? parts.get(0) : String.join(" UNION ALL ", parts) + orderBy;
    } else {
      String statusFilter = "";
      if (statuses.size() < IssueSearch.Status.values().length) {
        args.add(statuses.stream().map(IssueSearch.Status::sql).toArray(String[]::new));
        statusFilter = " AND g.status = ANY($" + args.size() + ")";
      }
      sql = "SELECT " + GROUP_COLUMNS + " FROM groups g WHERE g.project_id = $1" + statusFilter + common + orderBy;
    }
    return pool.preparedQuery(sql).execute(Tuple.from(args));
  }

  private static final String ATTACHMENT_COLUMNS = "a.id, a.event_id, a.type, a.name, a.content_type, a.size,"
      + " a.date_added, b.checksum";

  Future<RowSet<Row>> attachments(long projectId, String eventId) {
    return pool.preparedQuery("SELECT " + ATTACHMENT_COLUMNS
            + " FROM event_attachments a JOIN file_blobs b ON b.id = a.blob_id"
            + " WHERE a.project_id = $1 AND a.event_id = $2 ORDER BY a.id")
        .execute(Tuple.of(projectId, eventId));
  }

  /** The attachment's metadata, with its bytes as column {@code data} when {@code withData}; or a 404. */
  Future<Row> attachment(long projectId, String eventId, long attachmentId, boolean withData) {
    return pool.preparedQuery("SELECT " + ATTACHMENT_COLUMNS + (withData ? ", b.data" : "")
            + " FROM event_attachments a JOIN file_blobs b ON b.id = a.blob_id"
            + " WHERE a.project_id = $1 AND a.event_id = $2 AND a.id = $3")
        .execute(Tuple.of(projectId, eventId, attachmentId)).map(ApiStore::first);
  }

  /** A page of a project's user feedback, newest first, keyset on {@code (date_added, id)}, with each report's issue. */
  Future<RowSet<Row>> userReports(long projectId, Cursor cursor, int limit) {
    List<Object> args = new ArrayList<>();
    args.add(projectId);
    boolean backwards = cursor != null && cursor.prev();
    String order = backwards ? " ASC" : " DESC";
    String keyset = "";
    if (cursor != null) {
      args.add(Cursor.time(cursor.value()));
      args.add(cursor.id());
      keyset = " AND (r.date_added, r.id) " + (backwards ? ">" : "<") + " ($2, $3)";
    }
    args.add(limit + 1);
    String sql = "SELECT r.id AS report_id, r.event_id AS report_event_id, r.name AS report_name,"
        + " r.email AS report_email, r.comments AS report_comments, r.date_added AS report_date_added, "
        + GROUP_COLUMNS
        + " FROM user_reports r LEFT JOIN groups g ON g.id = r.group_id"
        + " WHERE r.project_id = $1" + keyset
        + " ORDER BY r.date_added" + order + ", r.id" + order + " LIMIT $" + args.size();
    return pool.preparedQuery(sql).execute(Tuple.from(args));
  }

  static Row first(RowSet<Row> rows) {
    if (rows.size() == 0) {
      throw ApiError.notFound();
    }
    return rows.iterator().next();
  }
}

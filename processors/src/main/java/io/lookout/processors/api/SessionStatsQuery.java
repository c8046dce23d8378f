package io.lookout.processors.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A release-health {@code sessions} request (Sentry's {@code /organizations/{org}/sessions/}), the
 * two ClickHouse queries over {@code sessions_hourly} that answer it (totals per group, then the
 * same per bucket for those groups, because distinct users do not add up across buckets), and the
 * answer in Sentry's shape:
 * <pre>{"start": ..., "end": ..., "query": "", "intervals": [...],
 *  "groups": [{"by": {"release": "1.0", "environment": "production"},
 *              "totals": {"crash_free_rate(session)": 0.8, "crash_free_rate(user)": 0.6},
 *              "series": {"crash_free_rate(session)": [null, 0.8], ...}}]}</pre>
 *
 * <p>As in Sentry's release health: a session counts once (its first update), pre-aggregated
 * sessions count by their quantity, a user is a distinct {@code did} (sessions without one count
 * no user), {@code crash_free_rate(x)} is {@code 1 - crashed / all} as a fraction, and a rate
 * over nothing is null.
 */
final class SessionStatsQuery {

  /** Sentry's fields for release health (the rest of its list needs raw sessions). */
  static final Set<String> FIELDS = Set.of("sum(session)", "count_unique(user)", "crash_free_rate(session)",
      "crash_free_rate(user)", "crash_rate(session)", "crash_rate(user)");

  /** Sentry's groupBy names, with their column. */
  static final Map<String, String> GROUP_BY = Map.of("project", "project_id", "release", "release",
      "environment", "environment");

  /** Sentry's {@code SNUBA_LIMIT}: groups times buckets stays below it. */
  static final int GROUP_LIMIT = 5000;

  private static final Pattern FILTER = Pattern.compile("\\s*([a-z_.]+):(\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+))\\s*");

  private static final String COUNTS = "countIfMerge(sessions) + sumIfMerge(sessions_preaggr) AS sessions,"
      + " countIfMerge(sessions_crashed) + sumIfMerge(sessions_crashed_preaggr) AS sessions_crashed,"
      + " uniqIfMerge(users) AS users, uniqIfMerge(users_crashed) AS users_crashed";

  final List<String> fields;
  final List<String> groupBy;
  final Set<String> environments;
  final Set<String> releases;
  final String query;
  final StatsPeriod period;

  private SessionStatsQuery(List<String> fields, List<String> groupBy, Set<String> environments, Set<String> releases,
      String query, StatsPeriod period) {
    this.fields = fields;
    this.groupBy = groupBy;
    this.environments = environments;
    this.releases = releases;
    this.query = query;
    this.period = period;
  }

  /**
   * @param params every value of a query parameter, empty when absent
   * @throws ApiError a 400 with Sentry's message for anything it would reject
   */
  static SessionStatsQuery parse(Function<String, List<String>> params, Instant now) {
    List<String> fields = new ArrayList<>(new LinkedHashSet<>(params.apply("field")));
    if (fields.isEmpty()) {
      throw ApiError.badRequest("Request is missing a \"field\"");
    }
    for (String field : fields) {
      if (!FIELDS.contains(field)) {
        throw ApiError.badRequest("Invalid field: \"" + field + "\"");
      }
    }
    List<String> groupBy = new ArrayList<>(new LinkedHashSet<>(params.apply("groupBy")));
    for (String key : groupBy) {
      if (!GROUP_BY.containsKey(key)) {
        throw ApiError.badRequest("Invalid groupBy: \"" + key + "\"");
      }
    }
    StatsPeriod period = StatsPeriod.parse(name -> params.apply(name).isEmpty() ? null : params.apply(name).get(0),
        now, "24h");
    Set<String> environments = new LinkedHashSet<>(params.apply("environment"));
    Set<String> releases = new LinkedHashSet<>();
    String query = params.apply("query").isEmpty() ? "" : params.apply("query").get(0);
    parseQuery(query, environments, releases);
    return new SessionStatsQuery(fields, groupBy, environments, releases, query, period);
  }

  /** The {@code release:x environment:"y z"} filters Lookout understands in {@code query}. */
  private static void parseQuery(String query, Set<String> environments, Set<String> releases) {
    Matcher m = FILTER.matcher(query);
    int at = 0;
    while (at < query.length()) {
      if (query.substring(at).isBlank()) {
        return;
      }
      m.region(at, query.length());
      if (!m.lookingAt()) {
        throw ApiError.badRequest("Invalid query: \"" + query + "\"");
      }
      String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(4);
      switch (m.group(1)) {
        case "release" -> releases.add(value);
        case "environment" -> environments.add(value);
        default -> throw ApiError.badRequest("Invalid query field: \"" + m.group(1) + "\"");
      }
      at = m.end();
    }
  }

  private String where(StatsScope scope) {
    StringBuilder sql = new StringBuilder(" FROM sessions_hourly WHERE org_id = ").append(scope.orgId())
        .append(" AND ").append(scope.projectCondition())
        .append(" AND started >= toDateTime(").append(period.start().getEpochSecond()).append(')')
        .append(" AND started < toDateTime(").append(period.end().getEpochSecond()).append(')');
    if (!environments.isEmpty()) {
      sql.append(" AND environment IN (")
          .append(String.join(", ", environments.stream().map(StatsScope::literal).toList())).append(')');
    }
    if (!releases.isEmpty()) {
      sql.append(" AND release IN (")
          .append(String.join(", ", releases.stream().map(StatsScope::literal).toList())).append(')');
    }
    return sql.toString();
  }

  private List<String> columns() {
    return groupBy.stream().map(GROUP_BY::get).toList();
  }

  /** Totals per group, the largest first (by the first field's column), at most what the buckets allow. */
  String totalsSql(StatsScope scope) {
    List<String> columns = columns();
    String keys = columns.isEmpty() ? "" : String.join(", ", columns) + ", ";
    String group = columns.isEmpty() ? "" : " GROUP BY " + String.join(", ", columns);
    String order = fields.get(0).endsWith("(user)") ? "users" : "sessions";
    return "SELECT " + keys + COUNTS + where(scope) + group + " ORDER BY " + order + " DESC LIMIT "
        + Math.max(1, GROUP_LIMIT / Math.max(1, period.points()));
  }

  /** The same per bucket, for the groups of {@code totals} only. */
  String seriesSql(StatsScope scope, List<JsonObject> totals) {
    List<String> columns = columns();
    long interval = period.intervalSeconds();
    String bucket = "intDiv(toUInt32(started), " + interval + ") * " + interval + " AS bucket";
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String column : columns) {
      sql.append(column).append(", ");
    }
    sql.append(bucket).append(", ").append(COUNTS).append(where(scope));
    if (!columns.isEmpty()) {
      List<String> tuples = new ArrayList<>();
      for (JsonObject row : totals) {
        List<String> values = new ArrayList<>();
        for (String column : columns) {
          Object v = row.getValue(column);
          values.add(v instanceof String s ? StatsScope.literal(s) : String.valueOf(v));
        }
        tuples.add(values.size() == 1 ? values.get(0) : "(" + String.join(", ", values) + ")");
      }
      String key = columns.size() == 1 ? columns.get(0) : "(" + String.join(", ", columns) + ")";
      sql.append(" AND ").append(key).append(" IN (").append(String.join(", ", tuples)).append(')');
    }
    sql.append(" GROUP BY ");
    for (String column : columns) {
      sql.append(column).append(", ");
    }
    return sql.append("bucket").toString();
  }

  /** Sentry's response from the rows of {@link #totalsSql} and {@link #seriesSql}. */
  JsonObject result(List<JsonObject> totals, List<JsonObject> series) {
    int points = period.points();
    Map<JsonObject, JsonObject[]> buckets = new HashMap<>();
    for (JsonObject row : series) {
      int i = period.index(row.getLong("bucket"));
      if (i >= 0) {
        buckets.computeIfAbsent(by(row), k -> new JsonObject[points])[i] = row;
      }
    }
    Map<JsonObject, JsonObject> groups = new LinkedHashMap<>();
    for (JsonObject row : totals) {
      groups.put(by(row), row);
    }
    JsonArray out = new JsonArray();
    for (Map.Entry<JsonObject, JsonObject> group : groups.entrySet()) {
      JsonObject totalValues = new JsonObject();
      JsonObject seriesValues = new JsonObject();
      JsonObject[] rows = buckets.getOrDefault(group.getKey(), new JsonObject[points]);
      for (String field : fields) {
        totalValues.put(field, value(field, group.getValue()));
        JsonArray values = new JsonArray();
        for (JsonObject row : rows) {
          values.add(value(field, row));
        }
        seriesValues.put(field, values);
      }
      out.add(new JsonObject().put("by", group.getKey()).put("totals", totalValues).put("series", seriesValues));
    }
    JsonArray intervals = new JsonArray();
    period.intervals().forEach(t -> intervals.add(t.toString()));
    return new JsonObject()
        .put("start", period.start().toString())
        .put("end", period.end().toString())
        .put("query", query)
        .put("intervals", intervals)
        .put("groups", out);
  }

  private JsonObject by(JsonObject row) {
    JsonObject by = new JsonObject();
    for (String key : groupBy) {
      Object value = row.getValue(GROUP_BY.get(key));
      by.put(key, key.equals("project") ? ((Number) value).longValue() : value);
    }
    return by;
  }

  /** A field's value from a row of counts; a missing row counts nothing. */
  static Object value(String field, JsonObject row) {
    long sessions = row == null ? 0 : row.getLong("sessions");
    long crashed = row == null ? 0 : row.getLong("sessions_crashed");
    long users = row == null ? 0 : row.getLong("users");
    long crashedUsers = row == null ? 0 : row.getLong("users_crashed");
    return switch (field) {
      case "sum(session)" -> sessions;
      case "count_unique(user)" -> users;
      case "crash_free_rate(session)" -> sessions == 0 ? null : 1 - (double) crashed / sessions;
      case "crash_free_rate(user)" -> users == 0 ? null : 1 - (double) crashedUsers / users;
      case "crash_rate(session)" -> sessions == 0 ? null : (double) crashed / sessions;
      case "crash_rate(user)" -> users == 0 ? null : (double) crashedUsers / users;
      default -> throw new IllegalArgumentException(field);
    };
  }
}

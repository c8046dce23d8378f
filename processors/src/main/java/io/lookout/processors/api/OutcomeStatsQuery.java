package io.lookout.processors.api;

import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A {@code stats_v2} request as Sentry's {@code sentry.snuba.outcomes.QueryDefinition} reads it,
 * the ClickHouse query over {@code outcomes_hourly} that answers it, and the answer in Sentry's
 * shape:
 * <pre>{"start": ..., "end": ..., "intervals": [...],
 *  "groups": [{"by": {"category": "error"}, "totals": {"sum(quantity)": 6},
 *              "series": {"sum(quantity)": [0, 6]}}]}</pre>
 *
 * <p>As in Sentry: category {@code error} means the default, error and security categories (and
 * rows of those are shown as {@code error}); attachment (bytes) cannot be mixed with other
 * categories; the reason {@code spike_protection} is stored as {@code smart_rate_limit}; a request
 * must filter or group by category, since adding up different categories means nothing.
 */
final class OutcomeStatsQuery {

  /** Sentry's fields, with the {@code outcomes_hourly} column each sums. */
  static final Map<String, String> FIELDS = Map.of("sum(quantity)", "quantity", "sum(times_seen)", "times_seen");

  /** Sentry's groupBy names, with their column. */
  static final Map<String, String> GROUP_BY = Map.of("outcome", "outcome", "category", "category",
      "reason", "reason", "key_id", "key_id", "project", "project_id");

  /** Sentry's row limit for outcome queries. */
  static final int ROW_LIMIT = 10_000;

  private static final Set<Integer> ERROR_CATEGORIES = Set.of(DataCategory.DEFAULT.code(), DataCategory.ERROR.code(),
      DataCategory.SECURITY.code());

  final List<String> fields;
  final List<String> groupBy;
  final Set<Integer> categories;
  final Set<Integer> outcomes;
  final Set<String> reasons;
  final Set<Long> keyIds;
  final StatsPeriod period;

  private OutcomeStatsQuery(List<String> fields, List<String> groupBy, Set<Integer> categories, Set<Integer> outcomes,
      Set<String> reasons, Set<Long> keyIds, StatsPeriod period) {
    this.fields = fields;
    this.groupBy = groupBy;
    this.categories = categories;
    this.outcomes = outcomes;
    this.reasons = reasons;
    this.keyIds = keyIds;
    this.period = period;
  }

  /**
   * @param params every value of a query parameter, empty when absent
   * @throws ApiError a 400 with Sentry's message for anything it would reject
   */
  static OutcomeStatsQuery parse(Function<String, List<String>> params, Instant now) {
    List<String> fields = new ArrayList<>(new LinkedHashSet<>(params.apply("field")));
    if (fields.isEmpty()) {
      throw ApiError.badRequest("At least one \"field\" is required.");
    }
    for (String field : fields) {
      if (!FIELDS.containsKey(field)) {
        throw ApiError.badRequest("Invalid field: \"" + field + "\"");
      }
    }
    List<String> groupBy = new ArrayList<>(new LinkedHashSet<>(params.apply("groupBy")));
    for (String key : groupBy) {
      if (!GROUP_BY.containsKey(key)) {
        throw ApiError.badRequest("Invalid groupBy: \"" + key + "\"");
      }
    }
    StatsPeriod period = StatsPeriod.parse(name -> first(params.apply(name)), now, "24h");

    Set<Integer> categories = new TreeSet<>();
    for (String raw : params.apply("category")) {
      DataCategory category = DataCategory.fromApiName(raw).orElseThrow(
          () -> ApiError.badRequest("Invalid category: \"" + raw + "\""));
      if (category == DataCategory.ERROR) {
        categories.addAll(ERROR_CATEGORIES);
      } else {
        categories.add(category.code());
      }
    }
    if (categories.contains(DataCategory.ATTACHMENT.code()) && categories.size() > 1) {
      throw ApiError.badRequest("if filtering by attachment no other category may be present");
    }
    if (categories.isEmpty() && !groupBy.contains("category")) {
      throw ApiError.badRequest("Query must have category as groupby or filter");
    }
    Set<Integer> outcomes = new LinkedHashSet<>();
    for (String raw : params.apply("outcome")) {
      outcomes.add(outcomeCode(raw));
    }
    Set<String> reasons = new LinkedHashSet<>();
    for (String raw : params.apply("reason")) {
      reasons.add(raw.equals("spike_protection") ? "smart_rate_limit" : raw);
    }
    Set<Long> keyIds = new LinkedHashSet<>();
    for (String raw : params.apply("key_id")) {
      if (!raw.strip().matches("\\d{1,18}")) {
        throw ApiError.badRequest("Invalid key: \"" + raw + "\"");
      }
      keyIds.add(Long.parseLong(raw.strip()));
    }
    return new OutcomeStatsQuery(fields, groupBy, categories, outcomes, reasons, keyIds, period);
  }

  private static int outcomeCode(String raw) {
    for (OutcomeType type : OutcomeType.values()) {
      if (type.apiName().equals(raw)) {
        return type.code();
      }
    }
    throw ApiError.badRequest("Invalid outcome: \"" + raw + "\"");
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  /** One query: sums per group and bucket (totals are the sums of the buckets). */
  String sql(StatsScope scope) {
    long interval = period.intervalSeconds();
    StringBuilder sql = new StringBuilder("SELECT ");
    for (String key : groupBy) {
      sql.append(GROUP_BY.get(key)).append(", ");
    }
    sql.append("intDiv(toUInt32(timestamp), ").append(interval).append(") * ").append(interval).append(" AS time")
        .append(", sum(quantity) AS quantity, sum(times_seen) AS times_seen FROM outcomes_hourly")
        .append(" WHERE org_id = ").append(scope.orgId())
        .append(" AND ").append(scope.projectCondition())
        .append(" AND timestamp >= toDateTime(").append(period.start().getEpochSecond()).append(')')
        .append(" AND timestamp < toDateTime(").append(period.end().getEpochSecond()).append(')');
    in(sql, "category", categories.stream().map(String::valueOf).toList());
    in(sql, "outcome", outcomes.stream().map(String::valueOf).toList());
    in(sql, "reason", reasons.stream().map(StatsScope::literal).toList());
    in(sql, "key_id", keyIds.stream().map(String::valueOf).toList());
    sql.append(" GROUP BY ");
    for (String key : groupBy) {
      sql.append(GROUP_BY.get(key)).append(", ");
    }
    return sql.append("time LIMIT ").append(ROW_LIMIT).toString();
  }

  private static void in(StringBuilder sql, String column, List<String> values) {
    if (!values.isEmpty()) {
      sql.append(" AND ").append(column).append(" IN (").append(String.join(", ", values)).append(')');
    }
  }

  /** Sentry's response from the rows of {@link #sql}. */
  JsonObject result(List<JsonObject> rows) {
    int points = period.points();
    Map<JsonObject, long[][]> groups = new LinkedHashMap<>();
    if (groupBy.isEmpty()) {
      // an aggregate without GROUP BY has one row even over nothing: Sentry shows a group of zeros
      groups.put(new JsonObject(), new long[fields.size()][points]);
    }
    for (JsonObject row : rows) {
      int bucket = period.index(row.getLong("time"));
      if (bucket < 0) {
        continue;
      }
      JsonObject by = new JsonObject();
      for (String key : groupBy) {
        by.put(key, present(key, row.getValue(GROUP_BY.get(key))));
      }
      long[][] series = groups.computeIfAbsent(by, k -> new long[fields.size()][points]);
      for (int f = 0; f < fields.size(); f++) {
        // rows of the error categories merge into one "error" group here
        series[f][bucket] += row.getLong(FIELDS.get(fields.get(f)));
      }
    }
    List<Map.Entry<JsonObject, long[][]>> sorted = new ArrayList<>(groups.entrySet());
    sorted.sort(Comparator.comparingLong((Map.Entry<JsonObject, long[][]> e) -> -sum(e.getValue()[0]))
        .thenComparing(e -> e.getKey().encode()));
    JsonArray out = new JsonArray();
    for (Map.Entry<JsonObject, long[][]> group : sorted) {
      JsonObject totals = new JsonObject();
      JsonObject series = new JsonObject();
      for (int f = 0; f < fields.size(); f++) {
        long[] values = group.getValue()[f];
        totals.put(fields.get(f), sum(values));
        JsonArray list = new JsonArray();
        for (long v : values) {
          list.add(v);
        }
        series.put(fields.get(f), list);
      }
      out.add(new JsonObject().put("by", group.getKey()).put("totals", totals).put("series", series));
    }
    JsonArray intervals = new JsonArray();
    period.intervals().forEach(t -> intervals.add(t.toString()));
    return new JsonObject()
        .put("start", period.start().toString())
        .put("end", period.end().toString())
        .put("intervals", intervals)
        .put("groups", out);
  }

  /** A stored value as Sentry presents it. */
  private static Object present(String key, Object value) {
    return switch (key) {
      case "category" -> {
        int code = ((Number) value).intValue();
        yield ERROR_CATEGORIES.contains(code) ? DataCategory.ERROR.apiName()
            : DataCategory.fromCode(code).map(DataCategory::apiName).orElse(String.valueOf(code));
      }
      case "outcome" -> {
        int code = ((Number) value).intValue();
        yield OutcomeType.fromCode(code).map(OutcomeType::apiName).orElse(String.valueOf(code));
      }
      case "reason" -> "smart_rate_limit".equals(value) ? "spike_protection" : value;
      default -> ((Number) value).longValue();
    };
  }

  private static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }
}

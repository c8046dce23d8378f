package io.lookout.processors.postprocess;

import io.lookout.processors.postprocess.AlertRule.Match;
import io.lookout.processors.postprocess.RuleParser.RuleSpec;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The alert rules in Postgres ({@code alert_rules}, {@code alert_rule_fire_history},
 * {@code alert_rule_group_status}): the API's reads and writes, the workers' cached reads of a
 * project's active rules, and the claim that lets a rule fire once per event and once per
 * {@code frequency} minutes per issue.
 */
public final class RuleStore {

  private static final String COLUMNS = "id, project_id, name, environment, action_match, filter_match, conditions,"
      + " filters, actions, frequency_minutes, status, date_added";

  /**
   * One statement, so concurrent workers and replays agree: nothing if the rule already fired for
   * the event; otherwise the (rule, issue) status row is claimed unless it fired within the
   * frequency (the row lock serializes a storm), and the event is recorded as fired.
   */
  private static final String CLAIM = """
      WITH fired AS (
        SELECT 1 FROM alert_rule_fire_history WHERE rule_id = $1 AND event_id = $3
      ), claim AS (
        INSERT INTO alert_rule_group_status AS s (rule_id, group_id, last_fired)
        SELECT $1, $2, now() WHERE NOT EXISTS (SELECT 1 FROM fired)
        ON CONFLICT (rule_id, group_id) DO UPDATE SET last_fired = excluded.last_fired
          WHERE s.last_fired <= now() - make_interval(mins => $4)
        RETURNING 1
      )
      INSERT INTO alert_rule_fire_history (rule_id, group_id, event_id)
      SELECT $1, $2, $3 FROM claim
      ON CONFLICT (rule_id, event_id) DO NOTHING
      RETURNING id""";

  /** A rule as stored, for the API. */
  public record StoredRule(long id, long projectId, RuleSpec spec, String status, OffsetDateTime dateAdded) {
  }

  private record Cached(long expiresAtMs, Future<List<AlertRule>> rules) {
  }

  private final Pool pool;
  private final long cacheTtlMs;
  private final int cacheSize;
  private final LongSupplier clockMs;
  private final Map<Long, Cached> cache = new ConcurrentHashMap<>();

  public RuleStore(Pool pool, long cacheTtlMs, int cacheSize, LongSupplier clockMs) {
    this.pool = pool;
    this.cacheTtlMs = cacheTtlMs;
    this.cacheSize = cacheSize;
    this.clockMs = clockMs;
  }

  /** The project's active rules, cached for {@code rules_cache_ttl_ms} (a failed read is not cached). */
  public Future<List<AlertRule>> activeRules(long projectId) {
    long now = clockMs.getAsLong();
    Cached cached = cache.get(projectId);
    if (cached != null && cached.expiresAtMs() > now && !cached.rules().failed()) {
      return cached.rules();
    }
    if (cache.size() >= cacheSize) {
      cache.clear();
    }
    Future<List<AlertRule>> rules = pool.preparedQuery("SELECT " + COLUMNS
            + " FROM alert_rules WHERE project_id = $1 AND status = 'active' ORDER BY id")
        .execute(Tuple.of(projectId))
        .map(rows -> {
          List<AlertRule> out = new ArrayList<>();
          for (Row row : rows) {
            StoredRule stored = stored(row);
            out.add(RuleParser.toRule(stored.id(), stored.projectId(), stored.spec()));
          }
          return out;
        });
    cache.put(projectId, new Cached(now + cacheTtlMs, rules));
    return rules;
  }

  /** True when {@code rule} should fire for {@code job} now (see {@link #CLAIM}); false for a replay or within the rate limit. */
  public Future<Boolean> claim(AlertRule rule, PostProcessJob job) {
    return pool.preparedQuery(CLAIM)
        .execute(Tuple.of(rule.id(), job.groupId(), job.eventId(), rule.frequencyMinutes()))
        .map(rows -> rows.size() > 0);
  }

  public Future<List<StoredRule>> list(long projectId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE project_id = $1 ORDER BY id DESC")
        .execute(Tuple.of(projectId)).map(RuleStore::all);
  }

  /** The rule, or null when the project has no such rule. */
  public Future<StoredRule> get(long projectId, long ruleId) {
    return pool.preparedQuery("SELECT " + COLUMNS + " FROM alert_rules WHERE project_id = $1 AND id = $2")
        .execute(Tuple.of(projectId, ruleId)).map(RuleStore::first);
  }

  public Future<StoredRule> create(long projectId, RuleSpec spec) {
    return pool.preparedQuery("INSERT INTO alert_rules (project_id, name, environment, action_match, filter_match,"
            + " conditions, filters, actions, frequency_minutes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
            + " RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {projectId, spec.name(), spec.environment(), spec.actionMatch().code(),
            spec.filterMatch().code(), spec.conditions(), spec.filters(), spec.actions(), spec.frequency()}))
        .map(RuleStore::first)
        .onSuccess(r -> cache.remove(projectId));
  }

  /** The updated rule, or null when the project has no such rule. */
  public Future<StoredRule> update(long projectId, long ruleId, RuleSpec spec) {
    return pool.preparedQuery("UPDATE alert_rules SET name = $3, environment = $4, action_match = $5,"
            + " filter_match = $6, conditions = $7, filters = $8, actions = $9, frequency_minutes = $10,"
            + " date_updated = now() WHERE project_id = $1 AND id = $2 RETURNING " + COLUMNS)
        .execute(Tuple.from(new Object[] {projectId, ruleId, spec.name(), spec.environment(),
            spec.actionMatch().code(), spec.filterMatch().code(), spec.conditions(), spec.filters(), spec.actions(),
            spec.frequency()}))
        .map(RuleStore::first)
        .onSuccess(r -> cache.remove(projectId));
  }

  /** True when a rule was deleted. */
  public Future<Boolean> delete(long projectId, long ruleId) {
    return pool.preparedQuery("DELETE FROM alert_rules WHERE project_id = $1 AND id = $2")
        .execute(Tuple.of(projectId, ruleId)).map(rows -> rows.rowCount() > 0)
        .onSuccess(r -> cache.remove(projectId));
  }

  private static List<StoredRule> all(RowSet<Row> rows) {
    List<StoredRule> out = new ArrayList<>();
    rows.forEach(row -> out.add(stored(row)));
    return out;
  }

  private static StoredRule first(RowSet<Row> rows) {
    return rows.size() == 0 ? null : stored(rows.iterator().next());
  }

  private static StoredRule stored(Row row) {
    RuleSpec spec = new RuleSpec(row.getString("name"), row.getString("environment"),
        Match.of(row.getString("action_match")), Match.of(row.getString("filter_match")),
        row.getInteger("frequency_minutes"), array(row.getValue("conditions")), array(row.getValue("filters")),
        array(row.getValue("actions")));
    return new StoredRule(row.getLong("id"), row.getLong("project_id"), spec, row.getString("status"),
        row.getOffsetDateTime("date_added"));
  }

  private static JsonArray array(Object value) {
    if (value instanceof JsonArray a) {
      return a;
    }
    return value == null ? new JsonArray() : new JsonArray(value.toString());
  }
}

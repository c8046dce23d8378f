package io.lookout.processors.postprocess;

import io.lookout.processors.postprocess.AlertRule.Action;
import io.lookout.processors.postprocess.AlertRule.Condition;
import io.lookout.processors.postprocess.AlertRule.EmailAction;
import io.lookout.processors.postprocess.AlertRule.EventFrequency;
import io.lookout.processors.postprocess.AlertRule.Filter;
import io.lookout.processors.postprocess.AlertRule.FirstSeen;
import io.lookout.processors.postprocess.AlertRule.Interval;
import io.lookout.processors.postprocess.AlertRule.LevelFilter;
import io.lookout.processors.postprocess.AlertRule.Match;
import io.lookout.processors.postprocess.AlertRule.Regression;
import io.lookout.processors.postprocess.AlertRule.TagFilter;
import io.lookout.processors.postprocess.AlertRule.WebhookAction;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks issue alert rules in Sentry's request shape ({@code POST|PUT
 * /api/0/projects/{org}/{project}/rules/}: {@code name, environment, actionMatch, filterMatch,
 * frequency, conditions, filters, actions}), and turns stored rule data into {@link AlertRule}s.
 * Each condition, filter and action is an object with Sentry's class path as {@code id} and its
 * settings; what is stored is exactly what was checked, without the {@code name} labels, which
 * {@link #label} derives.
 *
 * <p>Supported: conditions {@value #FIRST_SEEN}, {@value #REGRESSION}, {@value #EVENT_FREQUENCY}
 * ({@code value}, {@code interval}); filters {@value #LEVEL} ({@code match} eq/gte/lte,
 * {@code level} 10..50), {@value #TAGGED} ({@code key}, {@code match}, {@code value}); actions
 * {@value #NOTIFY_EVENT_SERVICE} with {@code service: "webhooks"} and the {@code url} to POST to
 * (Sentry keeps that URL in the project's webhooks plugin settings; Lookout has no plugins, so it
 * goes on the action), and {@value #NOTIFY_EMAIL} whose {@code targetIdentifier} is the address
 * (or comma-separated addresses) to mail (Lookout has no user accounts to resolve).
 */
public final class RuleParser {

  public static final String FIRST_SEEN = "sentry.rules.conditions.first_seen_event.FirstSeenEventCondition";
  public static final String REGRESSION = "sentry.rules.conditions.regression_event.RegressionEventCondition";
  public static final String EVENT_FREQUENCY = "sentry.rules.conditions.event_frequency.EventFrequencyCondition";
  public static final String LEVEL = "sentry.rules.filters.level.LevelFilter";
  public static final String TAGGED = "sentry.rules.filters.tagged_event.TaggedEventFilter";
  public static final String NOTIFY_EVENT_SERVICE = "sentry.rules.actions.notify_event_service.NotifyEventServiceAction";
  public static final String NOTIFY_EMAIL = "sentry.mail.actions.NotifyEmailAction";

  /** Sentry's bounds for {@code frequency} (minutes): 5 minutes to 30 days. */
  public static final int MIN_FREQUENCY = 5;
  public static final int MAX_FREQUENCY = 43_200;
  public static final int DEFAULT_FREQUENCY = 30;

  private static final Set<String> TAG_MATCHES = Set.of("eq", "ne", "sw", "nsw", "ew", "new", "co", "nc", "is", "ns",
      "in", "nin");
  private static final Map<String, String> TAG_MATCH_LABELS = Map.ofEntries(Map.entry("eq", "equals"),
      Map.entry("ne", "does not equal"), Map.entry("sw", "starts with"), Map.entry("nsw", "does not start with"),
      Map.entry("ew", "ends with"), Map.entry("new", "does not end with"), Map.entry("co", "contains"),
      Map.entry("nc", "does not contain"), Map.entry("is", "is set"), Map.entry("ns", "is not set"),
      Map.entry("in", "is in (comma separated)"), Map.entry("nin", "not in (comma separated)"));
  private static final Map<String, String> LEVEL_MATCH_LABELS = Map.of("eq", "equal to", "gte",
      "greater than or equal to", "lte", "less than or equal to");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s,]+@[^@\\s,]+");
  private static final Set<String> KEYS = Set.of("name", "environment", "actionMatch", "filterMatch", "frequency",
      "conditions", "filters", "actions", "owner", "projects");

  private RuleParser() {
  }

  /** A rule as checked from a request: what gets stored. */
  public record RuleSpec(String name, String environment, Match actionMatch, Match filterMatch, int frequency,
      JsonArray conditions, JsonArray filters, JsonArray actions) {
  }

  /** A request the rules API answers with a 400 and this message. */
  public static final class InvalidRuleException extends IllegalArgumentException {
    public InvalidRuleException(String message) {
      super(message);
    }
  }

  /** Checks a request body; every field is required as Sentry requires it, with Sentry's defaults otherwise. */
  public static RuleSpec parse(JsonObject body) {
    for (String key : body.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw invalid("Unknown field '" + key + "': a rule has " + String.join(", ", KEYS.stream().sorted().toList()));
      }
    }
    Object rawName = body.getValue("name");
    if (!(rawName instanceof String name) || name.isBlank()) {
      throw invalid("name: This field is required (a non-empty string).");
    }
    if (name.length() > 256) {
      throw invalid("name: Ensure this field has no more than 256 characters.");
    }
    Object rawEnv = body.getValue("environment");
    if (rawEnv != null && !(rawEnv instanceof String)) {
      throw invalid("environment: must be a string or null");
    }
    String environment = rawEnv == null || ((String) rawEnv).isEmpty() ? null : (String) rawEnv;
    Match actionMatch = match(body, "actionMatch", null);
    Match filterMatch = match(body, "filterMatch", Match.ALL);
    int frequency = DEFAULT_FREQUENCY;
    Object rawFrequency = body.getValue("frequency");
    if (rawFrequency != null) {
      Long f = wholeNumber(rawFrequency);
      if (f == null || f < MIN_FREQUENCY || f > MAX_FREQUENCY) {
        throw invalid("frequency: must be a whole number of minutes from " + MIN_FREQUENCY + " to " + MAX_FREQUENCY
            + ", got " + rawFrequency);
      }
      frequency = f.intValue();
    }
    JsonArray conditions = new JsonArray();
    for (JsonObject item : items(body, "conditions", false)) {
      conditions.add(normalizeCondition(item, conditions.size()));
    }
    JsonArray filters = new JsonArray();
    for (JsonObject item : items(body, "filters", false)) {
      filters.add(normalizeFilter(item, filters.size()));
    }
    List<JsonObject> rawActions = items(body, "actions", true);
    if (rawActions.isEmpty()) {
      throw invalid("actions: You must add an action for this alert to fire.");
    }
    JsonArray actions = new JsonArray();
    for (JsonObject item : rawActions) {
      actions.add(normalizeAction(item, actions.size()));
    }
    return new RuleSpec(name.strip(), environment, actionMatch, filterMatch, frequency, conditions, filters, actions);
  }

  /** A stored rule. */
  public static AlertRule toRule(long id, long projectId, RuleSpec spec) {
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < spec.conditions().size(); i++) {
      conditions.add(condition(spec.conditions().getJsonObject(i)));
    }
    List<Filter> filters = new ArrayList<>();
    for (int i = 0; i < spec.filters().size(); i++) {
      filters.add(filter(spec.filters().getJsonObject(i)));
    }
    List<Action> actions = new ArrayList<>();
    for (int i = 0; i < spec.actions().size(); i++) {
      actions.add(action(spec.actions().getJsonObject(i)));
    }
    return new AlertRule(id, projectId, spec.name(), spec.environment(), spec.actionMatch(), spec.filterMatch(),
        conditions, filters, actions, spec.frequency());
  }

  /** The request shape of a stored rule, for a PUT that changes only some fields. */
  public static JsonObject toRequest(RuleSpec spec) {
    return new JsonObject().put("name", spec.name()).put("environment", spec.environment())
        .put("actionMatch", spec.actionMatch().code()).put("filterMatch", spec.filterMatch().code())
        .put("frequency", spec.frequency()).put("conditions", spec.conditions().copy())
        .put("filters", spec.filters().copy()).put("actions", spec.actions().copy());
  }

  /** The human-readable {@code name} Sentry's serializer puts on each condition, filter and action. */
  public static String label(JsonObject item) {
    String id = item.getString("id", "");
    return switch (id) {
      case FIRST_SEEN -> "A new issue is created";
      case REGRESSION -> "The issue changes state from resolved to unresolved";
      case EVENT_FREQUENCY -> "The issue is seen more than " + item.getValue("value") + " times in "
          + Interval.of(item.getString("interval")).label();
      case LEVEL -> "The event's level is " + LEVEL_MATCH_LABELS.get(item.getString("match")) + " "
          + AlertRule.LEVELS.entrySet().stream().filter(e -> String.valueOf(e.getValue()).equals(item.getString("level")))
              .map(Map.Entry::getKey).findFirst().orElse(item.getString("level"));
      case TAGGED -> "The event's tags match " + item.getString("key") + " " + TAG_MATCH_LABELS.get(item.getString("match"))
          + (item.getString("value") == null ? "" : " " + item.getString("value"));
      case NOTIFY_EVENT_SERVICE -> "Send a notification via webhooks";
      case NOTIFY_EMAIL -> "Send a notification to " + item.getString("targetIdentifier");
      default -> id;
    };
  }

  // ------------------------------------------------------------------------------------------

  private static JsonObject normalizeCondition(JsonObject item, int index) {
    String where = "conditions[" + index + "]";
    String id = id(item, where);
    return switch (id) {
      case FIRST_SEEN, REGRESSION -> new JsonObject().put("id", id);
      case EVENT_FREQUENCY -> {
        Long value = wholeNumber(item.getValue("value"));
        if (value == null || value < 0) {
          throw invalid(where + ".value: must be a whole number of events, 0 or more, got " + item.getValue("value"));
        }
        Object rawInterval = item.getValue("interval");
        Interval interval = rawInterval instanceof String s ? Interval.of(s) : null;
        if (interval == null) {
          throw invalid(where + ".interval: must be one of " + Arrays.stream(Interval.values()).map(Interval::code)
              .toList() + ", got " + rawInterval);
        }
        Object comparison = item.getValue("comparisonType");
        if (comparison != null && !"count".equals(comparison)) {
          throw invalid(where + ".comparisonType: only \"count\" is supported, got " + comparison);
        }
        yield new JsonObject().put("id", id).put("value", value).put("interval", interval.code())
            .put("comparisonType", "count");
      }
      default -> throw invalid(where + ".id: unknown condition '" + id + "' (supported: " + FIRST_SEEN + ", "
          + REGRESSION + ", " + EVENT_FREQUENCY + ")");
    };
  }

  private static JsonObject normalizeFilter(JsonObject item, int index) {
    String where = "filters[" + index + "]";
    String id = id(item, where);
    return switch (id) {
      case LEVEL -> {
        Object match = item.getValue("match");
        if (!(match instanceof String m) || !LEVEL_MATCH_LABELS.containsKey(m)) {
          throw invalid(where + ".match: must be eq, gte or lte, got " + match);
        }
        Long level = wholeNumber(item.getValue("level"));
        if (level == null || !AlertRule.LEVELS.containsValue(level.intValue())) {
          throw invalid(where + ".level: must be one of 10 (debug), 20 (info), 30 (warning), 40 (error), 50 (fatal),"
              + " got " + item.getValue("level"));
        }
        yield new JsonObject().put("id", id).put("match", m).put("level", Long.toString(level));
      }
      case TAGGED -> {
        Object key = item.getValue("key");
        if (!(key instanceof String k) || k.isBlank()) {
          throw invalid(where + ".key: the tag's name is required");
        }
        Object match = item.getValue("match");
        if (!(match instanceof String m) || !TAG_MATCHES.contains(m)) {
          throw invalid(where + ".match: must be one of " + TAG_MATCHES.stream().sorted().toList() + ", got " + match);
        }
        Object value = item.getValue("value");
        boolean needsValue = !m.equals("is") && !m.equals("ns");
        if (needsValue && !(value instanceof String || value instanceof Number)) {
          throw invalid(where + ".value: required for match '" + m + "'");
        }
        JsonObject out = new JsonObject().put("id", id).put("key", k.strip()).put("match", m);
        if (needsValue) {
          out.put("value", String.valueOf(value));
        }
        yield out;
      }
      default -> throw invalid(where + ".id: unknown filter '" + id + "' (supported: " + LEVEL + ", " + TAGGED + ")");
    };
  }

  private static JsonObject normalizeAction(JsonObject item, int index) {
    String where = "actions[" + index + "]";
    String id = id(item, where);
    return switch (id) {
      case NOTIFY_EVENT_SERVICE -> {
        Object service = item.getValue("service");
        if (!"webhooks".equals(service)) {
          throw invalid(where + ".service: only \"webhooks\" is supported, got " + service);
        }
        Object url = item.getValue("url");
        if (!(url instanceof String u) || !httpUrl(u)) {
          throw invalid(where + ".url: the webhook's http:// or https:// URL is required, got " + url);
        }
        yield new JsonObject().put("id", id).put("service", "webhooks").put("url", u);
      }
      case NOTIFY_EMAIL -> {
        Object target = item.getValue("targetIdentifier");
        List<String> addresses = target instanceof String t ? addresses(t) : List.of();
        if (addresses.isEmpty() || !addresses.stream().allMatch(a -> EMAIL.matcher(a).matches())) {
          throw invalid(where + ".targetIdentifier: one or more email addresses (comma-separated) are required, got "
              + target);
        }
        Object type = item.getValue("targetType");
        yield new JsonObject().put("id", id).put("targetType", type instanceof String s ? s : "Member")
            .put("targetIdentifier", String.join(",", addresses));
      }
      default -> throw invalid(where + ".id: unknown action '" + id + "' (supported: " + NOTIFY_EVENT_SERVICE
          + " with service \"webhooks\", " + NOTIFY_EMAIL + ")");
    };
  }

  private static Condition condition(JsonObject item) {
    return switch (item.getString("id")) {
      case FIRST_SEEN -> new FirstSeen();
      case REGRESSION -> new Regression();
      case EVENT_FREQUENCY -> new EventFrequency(wholeNumber(item.getValue("value")),
          Interval.of(item.getString("interval")));
      default -> throw new IllegalArgumentException("unknown condition " + item.getString("id"));
    };
  }

  private static Filter filter(JsonObject item) {
    return switch (item.getString("id")) {
      case LEVEL -> new LevelFilter(item.getString("match"), wholeNumber(item.getValue("level")).intValue());
      case TAGGED -> new TagFilter(item.getString("key"), item.getString("match"), item.getString("value"));
      default -> throw new IllegalArgumentException("unknown filter " + item.getString("id"));
    };
  }

  private static Action action(JsonObject item) {
    return switch (item.getString("id")) {
      case NOTIFY_EVENT_SERVICE -> new WebhookAction(item.getString("url"));
      case NOTIFY_EMAIL -> new EmailAction(addresses(item.getString("targetIdentifier")));
      default -> throw new IllegalArgumentException("unknown action " + item.getString("id"));
    };
  }

  private static List<String> addresses(String raw) {
    return Arrays.stream(raw.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static boolean httpUrl(String raw) {
    try {
      URI uri = new URI(raw);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String id(JsonObject item, String where) {
    Object id = item.getValue("id");
    if (!(id instanceof String s) || s.isBlank()) {
      throw invalid(where + ".id: required (the condition, filter or action class)");
    }
    return s;
  }

  private static List<JsonObject> items(JsonObject body, String key, boolean required) {
    Object raw = body.getValue(key);
    if (raw == null) {
      if (required) {
        throw invalid(key + ": This field is required.");
      }
      return List.of();
    }
    if (!(raw instanceof JsonArray array)) {
      throw invalid(key + ": must be a list of objects");
    }
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject obj)) {
        throw invalid(key + "[" + i + "]: must be an object with an \"id\"");
      }
      out.add(obj);
    }
    return out;
  }

  private static Match match(JsonObject body, String key, Match def) {
    Object raw = body.getValue(key);
    if (raw == null) {
      if (def == null) {
        throw invalid(key + ": This field is required (all, any or none).");
      }
      return def;
    }
    Match match = raw instanceof String s ? Match.of(s) : null;
    if (match == null) {
      throw invalid(key + ": must be all, any or none, got " + raw);
    }
    return match;
  }

  /** A whole number from a JSON number or a numeric string (Sentry's forms post strings). */
  static Long wholeNumber(Object raw) {
    if (raw instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && !Double.isInfinite(d) ? n.longValue() : null;
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static InvalidRuleException invalid(String message) {
    return new InvalidRuleException(message);
  }
}

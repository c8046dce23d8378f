package io.lookout.processors.postprocess;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An issue alert rule of a project, in Sentry's rule data model ({@code sentry.models.Rule}): when
 * an error event arrives, the rule's conditions are combined by {@code actionMatch}, its filters by
 * {@code filterMatch}; if both pass, and the rule has not fired for the issue in the last
 * {@code frequencyMinutes}, its actions run. {@link RuleParser} reads and validates the JSON.
 *
 * @param environment only events of this environment trigger the rule; null for all
 */
public record AlertRule(long id, long projectId, String name, String environment, Match actionMatch,
    Match filterMatch, List<Condition> conditions, List<Filter> filters, List<Action> actions, int frequencyMinutes) {

  public AlertRule {
    conditions = List.copyOf(conditions);
    filters = List.copyOf(filters);
    actions = List.copyOf(actions);
  }

  /** How a list of results combines: Sentry's {@code all}, {@code any}, {@code none}. */
  public enum Match {
    ALL, ANY, NONE;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Match of(String code) {
      for (Match m : values()) {
        if (m.code().equals(code)) {
          return m;
        }
      }
      return null;
    }

    <T> boolean test(List<T> items, Predicate<T> passes) {
      return switch (this) {
        case ALL -> items.stream().allMatch(passes);
        case ANY -> items.stream().anyMatch(passes);
        case NONE -> items.stream().noneMatch(passes);
      };
    }
  }

  /** The windows of "seen more than N times in M", as Sentry's {@code EventFrequencyCondition} offers them. */
  public enum Interval {
    ONE_MINUTE("1m", "one minute", 1), FIVE_MINUTES("5m", "5 minutes", 5), FIFTEEN_MINUTES("15m", "15 minutes", 15),
    ONE_HOUR("1h", "one hour", 60), ONE_DAY("1d", "one day", 1440), ONE_WEEK("1w", "one week", 10080),
    THIRTY_DAYS("30d", "30 days", 43200);

    private final String code;
    private final String label;
    private final int minutes;

    Interval(String code, String label, int minutes) {
      this.code = code;
      this.label = label;
      this.minutes = minutes;
    }

    public String code() {
      return code;
    }

    public String label() {
      return label;
    }

    public int minutes() {
      return minutes;
    }

    public static Interval of(String code) {
      for (Interval i : values()) {
        if (i.code.equals(code)) {
          return i;
        }
      }
      return null;
    }
  }

  /** Something that happened to the issue. */
  public sealed interface Condition permits FirstSeen, Regression, EventFrequency {
  }

  /** {@code FirstSeenEventCondition}: "A new issue is created". */
  public record FirstSeen() implements Condition {
  }

  /** {@code RegressionEventCondition}: "The issue changes state from resolved to unresolved". */
  public record Regression() implements Condition {
  }

  /** {@code EventFrequencyCondition}: "The issue is seen more than {value} times in {interval}". */
  public record EventFrequency(long value, Interval interval) implements Condition {
  }

  /** Something about the event. */
  public sealed interface Filter permits LevelFilter, TagFilter {
  }

  /** {@code LevelFilter}: the event's level (10 debug .. 50 fatal) compared with {@code level}. */
  public record LevelFilter(String match, int level) implements Filter {
  }

  /** {@code TaggedEventFilter}: the event's tag {@code key} matched against {@code value}. */
  public record TagFilter(String key, String match, String value) implements Filter {
  }

  /** What a firing rule does. */
  public sealed interface Action permits WebhookAction, EmailAction {
  }

  /** {@code NotifyEventServiceAction} with service {@code webhooks}: POST the legacy plugin payload to {@code url}. */
  public record WebhookAction(String url) implements Action {
  }

  /** {@code NotifyEmailAction}: an email to each address. */
  public record EmailAction(List<String> addresses) implements Action {
    public EmailAction {
      addresses = List.copyOf(addresses);
    }
  }

  /** Sentry's numeric log levels, as the level filter stores them. */
  public static final Map<String, Integer> LEVELS = Map.of("debug", 10, "info", 20, "warning", 30, "error", 40,
      "fatal", 50);

  /** The frequency windows this rule's conditions need counted. */
  public List<Interval> intervals() {
    return conditions.stream().filter(c -> c instanceof EventFrequency).map(c -> ((EventFrequency) c).interval())
        .distinct().toList();
  }

  /**
   * Whether {@code job} triggers this rule (conditions and filters; the rate limit is checked
   * when firing).
   *
   * @param counts how often the job's issue was seen in each of {@link #intervals()}, this event included
   */
  public boolean matches(PostProcessJob job, Map<Interval, Long> counts) {
    if (environment != null && !environment.equals(job.environment())) {
      return false;
    }
    boolean conditionsPass = actionMatch.test(conditions, c -> {
      if (c instanceof EventFrequency f) {
        return counts.getOrDefault(f.interval(), 0L) > f.value();
      }
      return c instanceof FirstSeen ? job.isNew() : job.isRegression();
    });
    return conditionsPass && filterMatch.test(filters, f -> f instanceof LevelFilter l ? levelPasses(l, job.level())
        : tagPasses((TagFilter) f, job));
  }

  static boolean levelPasses(LevelFilter filter, String level) {
    Integer actual = LEVELS.get(level == null ? "error" : level.toLowerCase(Locale.ROOT));
    if (actual == null) {
      return false;
    }
    return switch (filter.match()) {
      case "eq" -> actual == filter.level();
      case "gte" -> actual >= filter.level();
      case "lte" -> actual <= filter.level();
      default -> false;
    };
  }

  /** Sentry's {@code match_values}: keys and values compared case-insensitively. */
  static boolean tagPasses(TagFilter filter, PostProcessJob job) {
    String key = filter.key().toLowerCase(Locale.ROOT);
    List<String> values = job.tags().stream().filter(t -> t.getKey().toLowerCase(Locale.ROOT).equals(key))
        .map(t -> t.getValue().toLowerCase(Locale.ROOT)).toList();
    String value = filter.value() == null ? "" : filter.value().toLowerCase(Locale.ROOT);
    return switch (filter.match()) {
      case "eq" -> values.contains(value);
      case "ne" -> !values.contains(value);
      case "sw" -> values.stream().anyMatch(v -> v.startsWith(value));
      case "nsw" -> values.stream().noneMatch(v -> v.startsWith(value));
      case "ew" -> values.stream().anyMatch(v -> v.endsWith(value));
      case "new" -> values.stream().noneMatch(v -> v.endsWith(value));
      case "co" -> values.stream().anyMatch(v -> v.contains(value));
      case "nc" -> values.stream().noneMatch(v -> v.contains(value));
      case "is" -> !values.isEmpty();
      case "ns" -> values.isEmpty();
      case "in" -> values.stream().anyMatch(v -> List.of(value.split("\\s*,\\s*")).contains(v));
      case "nin" -> values.stream().noneMatch(v -> List.of(value.split("\\s*,\\s*")).contains(v));
      default -> false;
    };
  }
}

package io.lookout.processors.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the issue list is filtered and sorted by, from Sentry's parameters: {@code query} in Sentry's
 * issue search syntax ({@code is:unresolved level:error some text}), the plain {@code status=} and
 * {@code level=} parameters, and {@code sort}.
 *
 * <p>Supported search keys: {@code is:} with {@code unresolved}, {@code resolved}, {@code ignored}
 * (also {@code archived} and {@code muted}, Sentry's other names for it), and {@code level:} with a
 * level or a list ({@code level:[error,fatal]}). Several values of one key widen the filter (OR);
 * the {@code status}/{@code level} parameters narrow it further (AND). Words without a key match
 * the title, culprit or message, case-insensitively. Any other key is a 400, so a filter the API does
 * not apply is never silently ignored. Without {@code query} and {@code status} the list shows
 * unresolved issues, as Sentry's does; an empty {@code query} shows every status.
 *
 * @param statuses the group statuses to list, never empty unless nothing can match
 * @param levels the levels to list; empty = every level
 * @param text words to look for, or null
 */
public record IssueSearch(Set<Status> statuses, Set<String> levels, String text, Sort sort) {

  /** A group status as the API and the {@code groups.status} column name it. */
  public enum Status {
    UNRESOLVED, RESOLVED, IGNORED;

    public String sql() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Sentry's issue sorts: {@code date} (last seen), {@code new} (first seen), {@code freq} (events). */
  public enum Sort {
    DATE("last_seen"), NEW("first_seen"), FREQ("times_seen");

    private final String column;

    Sort(String column) {
      this.column = column;
    }

    public String column() {
      return column;
    }

    public boolean isTime() {
      return this != FREQ;
    }
  }

  static final Set<String> LEVELS = Set.of("debug", "info", "warning", "error", "fatal", "sample");

  public static IssueSearch parse(String query, String statusParam, String levelParam, String sortParam) {
    Set<Status> statuses = null;
    Set<String> levels = null;
    List<String> words = new ArrayList<>();
    String q = query == null ? (statusParam == null ? "is:unresolved" : "") : query;
    for (String token : tokens(q)) {
      int colon = token.indexOf(':');
      String key = colon > 0 ? token.substring(0, colon).toLowerCase(Locale.ROOT) : null;
      if (key == null || token.startsWith("\"")) {
        words.add(unquote(token));
        continue;
      }
      String value = unquote(token.substring(colon + 1));
      switch (key) {
        case "is" -> {
          statuses = statuses == null ? EnumSet.noneOf(Status.class) : statuses;
          statuses.add(status(value, "is:" + value));
        }
        case "level" -> {
          levels = levels == null ? new LinkedHashSet<>() : levels;
          levels.addAll(levels(value));
        }
        default -> throw ApiError.badRequest("Invalid search query: unsupported key '" + key
            + "' (supported: is:unresolved|resolved|ignored, level:LEVEL, free text)");
      }
    }
    if (statusParam != null && !statusParam.isEmpty()) {
      Status s = status(statusParam, "status=" + statusParam);
      statuses = statuses == null || statuses.contains(s) ? EnumSet.of(s) : EnumSet.noneOf(Status.class);
    }
    if (levelParam != null && !levelParam.isEmpty()) {
      Set<String> wanted = levels(levelParam);
      if (levels != null) {
        wanted.retainAll(levels);
      }
      levels = wanted;
      if (levels.isEmpty()) {
        statuses = EnumSet.noneOf(Status.class);
      }
    }
    return new IssueSearch(statuses == null ? EnumSet.allOf(Status.class) : statuses,
        levels == null ? Set.of() : levels, words.isEmpty() ? null : String.join(" ", words), sort(sortParam));
  }

  /** True when no issue can match (contradicting filters): the list is empty without a query. */
  public boolean matchesNothing() {
    return statuses.isEmpty();
  }

  private static Status status(String value, String what) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "unresolved" -> Status.UNRESOLVED;
      case "resolved" -> Status.RESOLVED;
      case "ignored", "archived", "muted" -> Status.IGNORED;
      default -> throw ApiError.badRequest("Invalid status in '" + what
          + "': use unresolved, resolved or ignored");
    };
  }

  private static Set<String> levels(String value) {
    String list = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
    Set<String> out = new LinkedHashSet<>();
    for (String part : list.split(",")) {
      String level = part.strip().toLowerCase(Locale.ROOT);
      if (!LEVELS.contains(level)) {
        throw ApiError.badRequest("Invalid level '" + part.strip() + "': use one of debug, info, warning, error, fatal");
      }
      out.add(level);
    }
    return out;
  }

  private static Sort sort(String value) {
    if (value == null || value.isEmpty()) {
      return Sort.DATE;
    }
    return switch (value) {
      case "date" -> Sort.DATE;
      case "new" -> Sort.NEW;
      case "freq" -> Sort.FREQ;
      default -> throw ApiError.badRequest("Invalid sort '" + value + "': use date, new or freq");
    };
  }

  /** Splits on white space outside double quotes. */
  static List<String> tokens(String query) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        current.append(c);
      } else if (Character.isWhitespace(c) && !quoted) {
        if (!current.isEmpty()) {
          out.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(c);
      }
    }
    if (!current.isEmpty()) {
      out.add(current.toString());
    }
    return out;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}

package io.lookout.gateway.filter;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of case-insensitive {@link Glob} patterns, compiled once when the config is read (Relay's
 * {@code GlobPatterns}). A pattern that does not compile is kept in {@link #patterns()} but never
 * matches, as in Relay.
 */
public final class GlobPatterns {

  private static final GlobPatterns EMPTY = new GlobPatterns(List.of());

  private final List<String> patterns;
  private final List<Glob> compiled;

  private GlobPatterns(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    List<Glob> globs = new ArrayList<>(patterns.size());
    for (String pattern : this.patterns) {
      try {
        globs.add(Glob.compile(pattern));
      } catch (IllegalArgumentException e) {
        // skipped, as Relay's filter_map over Pattern::build does
      }
    }
    this.compiled = List.copyOf(globs);
  }

  public static GlobPatterns of(List<String> patterns) {
    return patterns.isEmpty() ? EMPTY : new GlobPatterns(patterns);
  }

  public static GlobPatterns empty() {
    return EMPTY;
  }

  /** The patterns as configured, invalid ones included. */
  public List<String> patterns() {
    return patterns;
  }

  /** No patterns configured (a list of only invalid patterns is not empty, as in Relay). */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /** Whether any pattern matches the whole message; an empty or {@code null} message never does. */
  public boolean isMatch(String message) {
    if (message == null || message.isEmpty() || compiled.isEmpty()) {
      return false;
    }
    String lowered = Glob.lower(message);
    for (Glob glob : compiled) {
      if (glob.matches(lowered)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GlobPatterns other && patterns.equals(other.patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return patterns.toString();
  }
}

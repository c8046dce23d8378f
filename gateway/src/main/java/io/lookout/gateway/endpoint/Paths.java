package io.lookout.gateway.endpoint;

import java.util.ArrayList;
import java.util.List;

/** Splitting request paths: Relay's routes accept them with and without the trailing slash. */
public final class Paths {

  private Paths() {
  }

  /** {@code /api/42/envelope/} → {@code [api, 42, envelope]}. */
  public static List<String> segments(String path) {
    List<String> out = new ArrayList<>(6);
    int start = 0;
    int n = path.length();
    for (int i = 0; i <= n; i++) {
      if (i == n || path.charAt(i) == '/') {
        if (i > start) {
          out.add(path.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** The project id of a path segment, or null when it is not a positive number. */
  public static Long projectId(String segment) {
    if (segment.isEmpty() || segment.length() > 18) {
      return null;
    }
    for (int i = 0; i < segment.length(); i++) {
      if (!Character.isDigit(segment.charAt(i))) {
        return null;
      }
    }
    long id = Long.parseLong(segment);
    return id > 0 ? id : null;
  }
}

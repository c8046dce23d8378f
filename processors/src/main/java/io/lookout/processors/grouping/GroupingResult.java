package io.lookout.processors.grouping;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What grouping decided about one event.
 *
 * @param hashes md5 hex strings (32 lower-case characters), distinct, never empty; the primary
 *     hash first (the app variant when the stack has in-app frames), then the others (the
 *     system variant), as Sentry's {@code CalculatedHashes.hashes}
 * @param title the issue title, e.g. {@code "IllegalStateException: boom"}
 * @param culprit where it happened, e.g. {@code "com.example.Foo in bar"}; may be empty
 * @param type Sentry's event type: {@code error}, {@code default}, {@code csp}, {@code hpkp},
 *     {@code expectct}, {@code expectstaple}, {@code transaction}
 * @param metadata Sentry's event/group metadata for the type (see {@link Grouper})
 * @param location Sentry's {@code location} (crash file for errors, blocked URI for CSP), or null
 */
public record GroupingResult(
    List<String> hashes,
    String title,
    String culprit,
    String type,
    JsonObject metadata,
    String location) {

  public GroupingResult {
    hashes = List.copyOf(hashes);
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("at least one hash is required");
    }
  }

  public String primaryHash() {
    return hashes.get(0);
  }
}

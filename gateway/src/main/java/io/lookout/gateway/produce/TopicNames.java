package io.lookout.gateway.produce;

import java.util.Map;
import java.util.Objects;

/**
 * Maps Sentry's logical topic names ({@link io.lookout.storage.kafka.Topics}) to the topics
 * actually written. Production uses {@link #identity()}; tests give each run its own topics with
 * {@link #prefixed(String)} or {@link #of(Map)} so that they never write to the shared ones.
 */
@FunctionalInterface
public interface TopicNames {

  /** The topic to write for the logical topic {@code logical}. */
  String name(String logical);

  /** Sentry's names unchanged. */
  static TopicNames identity() {
    return logical -> logical;
  }

  /** {@code prefix + logical}, e.g. {@code it_1a2b-ingest-events}. */
  static TopicNames prefixed(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return logical -> prefix + logical;
  }

  /** The mapped name where {@code names} has one, else the logical name. */
  static TopicNames of(Map<String, String> names) {
    Map<String, String> copy = Map.copyOf(names);
    return logical -> copy.getOrDefault(logical, logical);
  }
}

package io.lookout.storage.kafka;

import java.util.List;
import java.util.Map;

/** Sentry's topic names, the contract between the gateway, the processors and Sentry's own parts. */
public final class Topics {

  public static final String INGEST_EVENTS = "ingest-events";
  public static final String INGEST_TRANSACTIONS = "ingest-transactions";
  public static final String INGEST_ATTACHMENTS = "ingest-attachments";
  public static final String INGEST_MONITORS = "ingest-monitors";
  public static final String INGEST_FEEDBACK_EVENTS = "ingest-feedback-events";
  public static final String INGEST_SESSIONS = "ingest-sessions";
  public static final String INGEST_SPANS = "ingest-spans";
  public static final String INGEST_REPLAY_RECORDINGS = "ingest-replay-recordings";
  public static final String SNUBA_ITEMS = "snuba-items";
  public static final String PROFILES = "profiles";
  public static final String OUTCOMES = "outcomes";
  public static final String EVENTS = "events";
  public static final String TRANSACTIONS = "transactions";
  public static final String SNUBA_COMMIT_LOG = "snuba-commit-log";

  /** Every topic Lookout reads or writes; conf/storage.json gives each its partition count. */
  public static final List<String> ALL = List.of(
      INGEST_EVENTS, INGEST_TRANSACTIONS, INGEST_ATTACHMENTS, INGEST_MONITORS, INGEST_FEEDBACK_EVENTS,
      INGEST_SESSIONS, INGEST_SPANS, INGEST_REPLAY_RECORDINGS, SNUBA_ITEMS, PROFILES, OUTCOMES, EVENTS,
      TRANSACTIONS, SNUBA_COMMIT_LOG);

  /**
   * Partition counts when conf names none: the high-volume topics get more, the low-volume ones a
   * single partition (ordering per monitor, one commit log).
   */
  public static final Map<String, Integer> DEFAULT_PARTITIONS = Map.of(
      INGEST_EVENTS, 4, INGEST_TRANSACTIONS, 4, EVENTS, 4, TRANSACTIONS, 4,
      INGEST_MONITORS, 1, INGEST_FEEDBACK_EVENTS, 1, INGEST_REPLAY_RECORDINGS, 1, PROFILES, 1,
      SNUBA_COMMIT_LOG, 1);

  private Topics() {
  }
}

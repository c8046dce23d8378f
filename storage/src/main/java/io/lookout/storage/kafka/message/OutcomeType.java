package io.lookout.storage.kafka.message;

import java.util.Optional;

/**
 * What happened to an item, as the numeric {@code outcome} of an {@link Outcome}
 * ({@code OutcomeId} in {@code relay-server/src/services/outcome.rs}; the names are Relay's metric
 * tags). Relay forwards codes it does not know, so {@link Outcome} keeps the raw number.
 */
public enum OutcomeType {
  /** Stored. Emitted by the step that stores the item, not at the edge. */
  ACCEPTED(0, "accepted"),
  /** Dropped by an inbound filter or a sampling rule; the reason names the filter. */
  FILTERED(1, "filtered"),
  /** Dropped by a quota; the reason is the quota's reason code, if it has one. */
  RATE_LIMITED(2, "rate_limited"),
  /** Dropped as invalid; the reason is a discard reason such as {@code too_large:event}. */
  INVALID(3, "invalid"),
  /** Reserved by Relay, never emitted by it. */
  ABUSE(4, "abuse"),
  /** Dropped by the SDK before sending, reported in a client report. */
  CLIENT_DISCARD(5, "client_discard"),
  /** A metric over its cardinality limit. */
  CARDINALITY_LIMITED(6, "cardinality_limited");

  private static final OutcomeType[] BY_CODE = values();

  private final int code;
  private final String apiName;

  OutcomeType(int code, String apiName) {
    this.code = code;
    this.apiName = apiName;
  }

  /** The number on the wire. */
  public int code() {
    return code;
  }

  /** Relay's lowercase name. */
  public String apiName() {
    return apiName;
  }

  public static Optional<OutcomeType> fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
  }
}

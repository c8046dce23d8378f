package io.lookout.storage.kafka.message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of some quantity of one category of data: Relay's {@code TrackRawOutcome}, the JSON
 * on the {@code outcomes} topic that Snuba's outcomes consumer writes to {@code outcomes_raw}.
 * Numbers stay numbers ({@link #outcome}, {@link #category}) so codes this build does not know
 * still pass through, as they do in Relay; {@link #outcomeType()} and {@link #dataCategory()} give
 * the typed view.
 *
 * @param timestamp when it happened, truncated to the microsecond the wire carries
 * @param orgId the organization, or null (Relay leaves out an organization id of 0)
 * @param projectId the project
 * @param keyId the DSN key's id, or null
 * @param outcome an {@link OutcomeType} code
 * @param reason why, for anything but accepted: a filter name, quota reason or discard reason
 * @param eventId the event, in Relay's 32-hex-digit form, or null
 * @param remoteAddr the client IP, or null
 * @param source which Relay (or Lookout gateway) emitted it, from its config; null if unset
 * @param category a {@link DataCategory} code, or null for an unknown category
 * @param quantity how many items, or bytes for attachments and log bytes; null if unknown
 */
public record Outcome(
    Instant timestamp,
    Long orgId,
    long projectId,
    Long keyId,
    int outcome,
    String reason,
    String eventId,
    String remoteAddr,
    String source,
    Integer category,
    Long quantity) {

  private static final long U32_MAX = 0xFFFF_FFFFL;

  public Outcome {
    timestamp = Objects.requireNonNull(timestamp, "timestamp").truncatedTo(ChronoUnit.MICROS);
    EventMessage.requireNonNegative("project_id", projectId);
    if (outcome < 0 || outcome > 0xFF) {
      throw new IllegalArgumentException("outcome must be within 0..255, got " + outcome);
    }
    if (category != null && (category < 0 || category > 0xFF)) {
      throw new IllegalArgumentException("category must be within 0..255, got " + category);
    }
    if (quantity != null && (quantity < 0 || quantity > U32_MAX)) {
      throw new IllegalArgumentException("quantity must be within 0..2^32-1, got " + quantity);
    }
    eventId = eventId == null ? null : EventIds.normalize(eventId);
  }

  /**
   * An outcome of {@code quantity} items of {@code category} for a project, without reason,
   * event, address or source; add those with the {@code with*} methods.
   */
  public static Outcome of(Instant timestamp, Long orgId, long projectId, Long keyId,
      OutcomeType type, DataCategory category, long quantity) {
    return new Outcome(timestamp, orgId, projectId, keyId, type.code(), null, null, null, null,
        category.code(), quantity);
  }

  public Outcome withReason(String newReason) {
    return new Outcome(timestamp, orgId, projectId, keyId, outcome, newReason, eventId,
        remoteAddr, source, category, quantity);
  }

  public Outcome withEventId(String newEventId) {
    return new Outcome(timestamp, orgId, projectId, keyId, outcome, reason, newEventId,
        remoteAddr, source, category, quantity);
  }

  public Outcome withRemoteAddr(String newRemoteAddr) {
    return new Outcome(timestamp, orgId, projectId, keyId, outcome, reason, eventId,
        newRemoteAddr, source, category, quantity);
  }

  public Outcome withSource(String newSource) {
    return new Outcome(timestamp, orgId, projectId, keyId, outcome, reason, eventId, remoteAddr,
        newSource, category, quantity);
  }

  /** The typed outcome; empty for a code this build does not know. */
  public Optional<OutcomeType> outcomeType() {
    return OutcomeType.fromCode(outcome);
  }

  /** The typed category; empty when there is none or this build does not know the code. */
  public Optional<DataCategory> dataCategory() {
    return category == null ? Optional.empty() : DataCategory.fromCode(category);
  }
}

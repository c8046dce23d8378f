package io.lookout.storage.kafka.message;

import java.util.Objects;
import java.util.UUID;

/**
 * One session update, or one bucket of an aggregate, on {@code ingest-sessions}: the JSON of
 * Relay's former {@code SessionKafkaMessage}, which Snuba's sessions consumer read. Current Relay
 * turns sessions into metrics instead and no longer writes this topic; Lookout keeps this shape
 * for its own sessions pipeline because it is the last one Sentry's parts agreed on.
 *
 * @param sessionId the session; the nil UUID for rows exploded from an aggregate
 * @param distinctId the user, as a UUID (Relay derives a v5 UUID from any other string); nil when
 *     unknown
 * @param quantity how many sessions this row stands for (1 for an update; the count of a bucket
 *     for an aggregate)
 * @param seq the update's sequence number, 0 for the initial update
 * @param received when the update happened, unix seconds with a fraction
 * @param started when the session started, unix seconds with a fraction
 * @param duration seconds, or null
 * @param status {@code ok}, {@code exited}, {@code crashed}, {@code abnormal} or {@code errored}
 * @param errors how many errors the session saw (at least 1 for a crashed session)
 * @param release the release, required for sessions
 * @param sdk the client string, or null
 */
public record SessionMessage(
    long orgId,
    long projectId,
    UUID sessionId,
    UUID distinctId,
    long quantity,
    long seq,
    double received,
    double started,
    Double duration,
    String status,
    int errors,
    String release,
    String environment,
    String sdk,
    int retentionDays) {

  /** The nil UUID, which stands for "no session id" or "no user". */
  public static final UUID NIL = new UUID(0, 0);

  public SessionMessage {
    EventMessage.requireNonNegative("org_id", orgId);
    EventMessage.requireNonNegative("project_id", projectId);
    Objects.requireNonNull(sessionId, "session_id");
    Objects.requireNonNull(distinctId, "distinct_id");
    if (quantity < 0 || quantity > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("quantity must be within 0..2^32-1, got " + quantity);
    }
    EventMessage.requireNonNegative("seq", seq);
    Objects.requireNonNull(status, "status");
    if (errors < 0 || errors > 0xFFFF) {
      throw new IllegalArgumentException("errors must be within 0..65535, got " + errors);
    }
    Objects.requireNonNull(release, "release");
    CheckInMessage.requireRetention(retentionDays);
  }
}

package io.lookout.storage.nodestore;

import java.time.Instant;
import java.util.Objects;

/**
 * One event payload as the nodestore keeps it.
 *
 * @param id {@link Nodestore#nodeId(long, String)} of the event
 * @param timestamp decides the daily partition (UTC) and so how long the row is kept; stored with
 *     microsecond precision, like every Postgres timestamp
 * @param json the event JSON, uncompressed (the nodestore compresses it); a record compares arrays by
 *     reference, so compare payloads with {@code Arrays.equals}
 */
public record Node(String id, Instant timestamp, byte[] json) {

  public Node {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(json, "json");
    if (id.length() != 32) {
      throw new IllegalArgumentException("node id must be 32 hex characters, got '" + id + "'");
    }
  }

  /** The node of event {@code eventId} (32 hex characters, hyphens allowed) in project {@code projectId}. */
  public static Node of(long projectId, String eventId, Instant timestamp, byte[] json) {
    return new Node(Nodestore.nodeId(projectId, eventId), timestamp, json);
  }
}

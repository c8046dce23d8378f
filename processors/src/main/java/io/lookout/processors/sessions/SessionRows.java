package io.lookout.processors.sessions;

import io.lookout.storage.kafka.message.InvalidMessageException;
import io.lookout.storage.kafka.message.SessionCodec;
import io.lookout.storage.kafka.message.SessionMessage;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * An {@code ingest-sessions} message (what the gateway's {@code Sessions} writes: an update, or one
 * status count of an aggregate bucket) as a row of ClickHouse {@code sessions}, as Snuba's sessions
 * processor makes it: the nil user becomes {@code ''} (no user), a missing environment {@code ''},
 * an unknown duration 4294967295, a crashed or abnormal session has at least one error, times are
 * whole seconds. A status the table does not know makes the message invalid.
 */
public final class SessionRows {

  /** The table the rows go to. */
  public static final String TABLE = "sessions";

  /** The {@code status} values of the table's Enum8. */
  static final Set<String> STATUSES = Set.of("ok", "exited", "crashed", "abnormal", "errored");

  /** Snuba's marker of an unknown duration. */
  static final long UNKNOWN_DURATION = 0xFFFF_FFFFL;

  private SessionRows() {
  }

  /**
   * @throws InvalidMessageException if the JSON is not a session message or has an unknown status
   */
  public static JsonObject row(byte[] json) {
    return row(SessionCodec.decode(json));
  }

  public static JsonObject row(SessionMessage s) {
    if (!STATUSES.contains(s.status())) {
      throw new InvalidMessageException("session message: unknown status '" + s.status() + "'");
    }
    int errors = s.errors();
    if (s.status().equals("crashed") || s.status().equals("abnormal")) {
      errors = Math.max(errors, 1);
    }
    return new JsonObject()
        .put("session_id", s.sessionId().toString())
        .put("distinct_id", SessionMessage.NIL.equals(s.distinctId()) ? "" : s.distinctId().toString())
        .put("seq", s.seq())
        .put("org_id", s.orgId())
        .put("project_id", s.projectId())
        .put("release", s.release())
        .put("environment", s.environment() == null ? "" : s.environment())
        .put("status", s.status())
        .put("errors", errors)
        .put("duration", duration(s.duration()))
        .put("quantity", s.quantity())
        .put("started", seconds(s.started()))
        .put("received", seconds(s.received()))
        .put("retention_days", s.retentionDays());
  }

  /** Seconds, rounded, within UInt32 below the "unknown" marker; null, negative or NaN is unknown. */
  static long duration(Double seconds) {
    if (seconds == null || seconds.isNaN() || seconds < 0) {
      return UNKNOWN_DURATION;
    }
    return Math.min(UNKNOWN_DURATION - 1, Math.round(seconds));
  }

  /** Unix seconds as a DateTime value: whole seconds, clamped to what DateTime holds. */
  static long seconds(double unix) {
    if (Double.isNaN(unix) || unix < 0) {
      return 0;
    }
    return Math.min(UNKNOWN_DURATION, (long) Math.floor(unix));
  }
}

package io.lookout.storage.kafka.message;

import io.lookout.storage.kafka.Topics;
import java.util.Map;
import java.util.UUID;

/**
 * The JSON of a {@link SessionMessage} on {@code ingest-sessions}, as Relay's
 * {@code serde_json::to_vec(&SessionKafkaMessage)} wrote it: fields in the order {@code org_id,
 * project_id, session_id, distinct_id, quantity, seq, received, started, duration, status,
 * errors, release, environment, sdk, retention_days}, every one present ({@code null} when
 * unknown), UUIDs hyphenated, times as plain float seconds. Relay sent these without a key.
 */
public final class SessionCodec {

  /** The topic these go to. */
  public static final String TOPIC = Topics.INGEST_SESSIONS;

  private static final String WHAT = "session message";

  private SessionCodec() {
  }

  public static byte[] encode(SessionMessage s) {
    return JsonSupport.write(384, g -> {
      g.writeStartObject();
      g.writeNumberField("org_id", s.orgId());
      g.writeNumberField("project_id", s.projectId());
      g.writeStringField("session_id", s.sessionId().toString());
      g.writeStringField("distinct_id", s.distinctId().toString());
      g.writeNumberField("quantity", s.quantity());
      g.writeNumberField("seq", s.seq());
      JsonSupport.writePlainFloatField(g, "received", s.received());
      JsonSupport.writePlainFloatField(g, "started", s.started());
      if (s.duration() == null) {
        g.writeNullField("duration");
      } else {
        JsonSupport.writePlainFloatField(g, "duration", s.duration());
      }
      g.writeStringField("status", s.status());
      g.writeNumberField("errors", s.errors());
      g.writeStringField("release", s.release());
      JsonSupport.writeNullableString(g, "environment", s.environment());
      JsonSupport.writeNullableString(g, "sdk", s.sdk());
      g.writeNumberField("retention_days", s.retentionDays());
      g.writeEndObject();
    });
  }

  /**
   * @throws InvalidMessageException if the bytes are not a JSON object with the fields above
   *     ({@code quantity} may be missing, as in Relay versions before it existed, and counts 1)
   */
  public static SessionMessage decode(byte[] json) {
    Map<String, Object> map = JsonSupport.readObject(json, WHAT);
    Fields f = new Fields(map, WHAT);
    try {
      Long quantity = f.optionalLong("quantity");
      return new SessionMessage(f.requiredLong("org_id"), f.requiredLong("project_id"),
          uuid(f, "session_id"), uuid(f, "distinct_id"), quantity == null ? 1 : quantity,
          f.requiredLong("seq"), f.requiredDouble("received"), f.requiredDouble("started"),
          f.optionalDouble("duration"), f.requiredString("status"), f.requiredInt("errors"),
          f.requiredString("release"), f.optionalString("environment"),
          f.optionalString("sdk"), f.requiredInt("retention_days"));
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(WHAT + ": " + e.getMessage(), e);
    }
  }

  private static UUID uuid(Fields f, String key) {
    String value = f.requiredString(key);
    try {
      return value.length() == 32
          ? UUID.fromString(value.replaceFirst(
              "(\\p{XDigit}{8})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{4})(\\p{XDigit}{12})",
              "$1-$2-$3-$4-$5"))
          : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw f.invalid(key, "is not a UUID");
    }
  }
}

package io.lookout.storage.kafka.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.lookout.storage.kafka.Topics;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The JSON of an {@link Outcome} on the {@code outcomes} topic, as Relay's
 * {@code serde_json::to_string(&TrackRawOutcome)} writes it: compact, fields in the order
 * {@code timestamp, org_id, project_id, key_id, outcome, reason, event_id, remote_addr, source,
 * category, quantity}, and every optional field left out when it has no value (Relay's
 * {@code skip_serializing_if = "Option::is_none"}), e.g.
 *
 * <pre>{"timestamp":"2024-05-02T14:03:27.123456Z","org_id":1,"project_id":42,"key_id":123,
 * "outcome":2,"reason":"project_quota","event_id":"9ec79c33ec9942ab8353589fcb2e04dc",
 * "category":1,"quantity":1}</pre>
 *
 * <p>Decoding also accepts the explicit {@code null}s and nanosecond timestamps other producers
 * write (Snuba's own fixtures have both).
 */
public final class OutcomeCodec {

  /** The topic these go to. */
  public static final String TOPIC = Topics.OUTCOMES;

  private static final String WHAT = "outcome";

  private OutcomeCodec() {
  }

  public static byte[] encode(Outcome o) {
    return JsonSupport.write(256, g -> write(g, o));
  }

  /**
   * The Kafka key Relay uses: the event id's 16 bytes, or a random id's when there is no event,
   * which spreads outcomes over the partitions.
   */
  public static byte[] key(Outcome o) {
    return EventIds.toBytes(o.eventId() != null ? o.eventId() : EventIds.random());
  }

  /**
   * @throws InvalidMessageException if the bytes are not a JSON object, or lack a
   *     {@code timestamp}, {@code project_id} or {@code outcome}, or hold a field of the wrong type
   */
  public static Outcome decode(byte[] json) {
    Map<String, Object> map = JsonSupport.readObject(json, WHAT);
    Fields f = new Fields(map, WHAT);
    String timestamp = f.requiredString("timestamp");
    Instant instant;
    try {
      instant = Timestamps.parse(timestamp);
    } catch (DateTimeParseException e) {
      throw f.invalid("timestamp", "is not an RFC 3339 timestamp");
    }
    try {
      return new Outcome(instant, f.optionalLong("org_id"), f.requiredLong("project_id"),
          f.optionalLong("key_id"), f.requiredInt("outcome"), f.optionalString("reason"),
          f.optionalEventId("event_id"), f.optionalString("remote_addr"),
          f.optionalString("source"), f.optionalInt("category"), f.optionalLong("quantity"));
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(WHAT + ": " + e.getMessage(), e);
    }
  }

  static void write(JsonGenerator g, Outcome o) throws java.io.IOException {
    g.writeStartObject();
    g.writeStringField("timestamp", Timestamps.formatMicros(o.timestamp()));
    if (o.orgId() != null) {
      g.writeNumberField("org_id", o.orgId());
    }
    g.writeNumberField("project_id", o.projectId());
    if (o.keyId() != null) {
      g.writeNumberField("key_id", o.keyId());
    }
    g.writeNumberField("outcome", o.outcome());
    if (o.reason() != null) {
      g.writeStringField("reason", o.reason());
    }
    if (o.eventId() != null) {
      g.writeStringField("event_id", o.eventId());
    }
    if (o.remoteAddr() != null) {
      g.writeStringField("remote_addr", o.remoteAddr());
    }
    if (o.source() != null) {
      g.writeStringField("source", o.source());
    }
    if (o.category() != null) {
      g.writeNumberField("category", o.category());
    }
    if (o.quantity() != null) {
      g.writeNumberField("quantity", o.quantity());
    }
    g.writeEndObject();
  }
}

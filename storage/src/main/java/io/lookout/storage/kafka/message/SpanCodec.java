package io.lookout.storage.kafka.message;

import io.lookout.storage.kafka.Topics;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of a {@link SpanMessage} on {@code ingest-spans}: {@code organization_id, project_id,
 * key_id?, event_id?, received, retention_days, downsampled_retention_days} (the two optional ones
 * left out when absent, as Relay's {@code SpanMeta} does), then the span's fields. A span field
 * with the name of a meta field is dropped: the meta value wins, and the object has no duplicate
 * keys.
 */
public final class SpanCodec {

  /** The topic these go to. */
  public static final String TOPIC = Topics.INGEST_SPANS;

  private static final String WHAT = "span message";
  private static final Set<String> META = Set.of("organization_id", "project_id", "key_id",
      "event_id", "received", "retention_days", "downsampled_retention_days");

  private SpanCodec() {
  }

  public static byte[] encode(SpanMessage s) {
    return JsonSupport.write(256 + s.span().size() * 64, g -> {
      g.writeStartObject();
      g.writeNumberField("organization_id", s.organizationId());
      g.writeNumberField("project_id", s.projectId());
      if (s.keyId() != null) {
        g.writeNumberField("key_id", s.keyId());
      }
      if (s.eventId() != null) {
        g.writeStringField("event_id", s.eventId());
      }
      JsonSupport.writePlainFloatField(g, "received", s.received());
      g.writeNumberField("retention_days", s.retentionDays());
      g.writeNumberField("downsampled_retention_days", s.downsampledRetentionDays());
      for (Map.Entry<String, Object> field : s.span()) {
        if (!META.contains(field.getKey())) {
          g.writeFieldName(field.getKey());
          JsonSupport.writeValue(g, field.getValue());
        }
      }
      g.writeEndObject();
    });
  }

  /**
   * @throws InvalidMessageException if the bytes are not a JSON object with
   *     {@code organization_id}, {@code project_id}, {@code received} and {@code retention_days}
   *     ({@code downsampled_retention_days} defaults to {@code retention_days}, as before Relay
   *     sent it)
   */
  public static SpanMessage decode(byte[] json) {
    Map<String, Object> map = JsonSupport.readObject(json, WHAT);
    Fields f = new Fields(map, WHAT);
    Map<String, Object> span = new LinkedHashMap<>(map);
    span.keySet().removeAll(META);
    try {
      int retentionDays = f.requiredInt("retention_days");
      Integer downsampled = f.optionalInt("downsampled_retention_days");
      return new SpanMessage(f.requiredLong("organization_id"), f.requiredLong("project_id"),
          f.optionalLong("key_id"), f.optionalEventId("event_id"), f.requiredDouble("received"),
          retentionDays, downsampled == null ? retentionDays : downsampled, new JsonObject(span));
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException(WHAT + ": " + e.getMessage(), e);
    }
  }
}

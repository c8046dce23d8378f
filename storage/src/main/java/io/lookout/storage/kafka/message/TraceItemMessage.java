package io.lookout.storage.kafka.message;

import io.lookout.storage.kafka.Topics;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A trace item (log, span, metric...) on {@code snuba-items}: Relay writes the protobuf encoding
 * of {@code sentry_protos.snuba.v1.TraceItem} as the value, unchanged by any envelope of its own,
 * with the Kafka headers {@code project_id} and {@code item_type} (the numeric
 * {@code TraceItemType}) and no key. There is nothing to encode here: the payload is the value;
 * this record only carries it with what goes into the headers.
 *
 * @param itemType the {@code TraceItemType} number of the item in {@code payload}
 * @param payload the protobuf bytes
 */
public record TraceItemMessage(long projectId, int itemType, byte[] payload) {

  /** The topic these go to. */
  public static final String TOPIC = Topics.SNUBA_ITEMS;

  public TraceItemMessage {
    EventMessage.requireNonNegative("project_id", projectId);
    EventMessage.requireNonNegative("item_type", itemType);
    Objects.requireNonNull(payload, "payload");
  }

  public Map<String, String> kafkaHeaders() {
    return Map.of("project_id", Long.toString(projectId), "item_type",
        Integer.toString(itemType));
  }

  /**
   * The message of a record on {@code snuba-items}.
   *
   * @throws InvalidMessageException if a header is missing or not a number
   */
  public static TraceItemMessage fromRecord(byte[] value, Map<String, String> headers) {
    if (value == null) {
      throw new InvalidMessageException("trace item: no value");
    }
    try {
      return new TraceItemMessage(Long.parseLong(header(headers, "project_id")),
          Integer.parseInt(header(headers, "item_type")), value);
    } catch (IllegalArgumentException e) {
      throw new InvalidMessageException("trace item: " + e.getMessage(), e);
    }
  }

  private static String header(Map<String, String> headers, String name) {
    String value = headers.get(name);
    if (value == null) {
      throw new InvalidMessageException("trace item: missing header '" + name + "'");
    }
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TraceItemMessage m
        && projectId == m.projectId
        && itemType == m.itemType
        && Arrays.equals(payload, m.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(projectId, itemType, Arrays.hashCode(payload));
  }

  @Override
  public String toString() {
    return "TraceItemMessage[projectId=" + projectId + ", itemType=" + itemType
        + ", payload=bytes[" + payload.length + "]]";
  }
}

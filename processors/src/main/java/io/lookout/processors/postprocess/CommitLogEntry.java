package io.lookout.processors.postprocess;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/**
 * One record of Snuba's commit log ({@code snuba-commit-log}): a consumer group committed
 * {@code offset} (the next offset it will read) on a partition of a topic. Key
 * {@code "{topic}:{partition}:{group}"}, value {@code {"offset": N, "orig_message_ts": seconds}}.
 * The group is the last part and may itself hold ':' (Kafka topic names cannot).
 *
 * @param origMessageTs the timestamp of the committed message, in unix seconds; null when absent
 */
public record CommitLogEntry(String topic, int partition, String group, long offset, Double origMessageTs) {

  /** @throws IllegalArgumentException when the key or value is not in the commit-log format */
  public static CommitLogEntry decode(byte[] key, byte[] value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("commit log record without key or value");
    }
    String k = new String(key, StandardCharsets.UTF_8);
    String[] parts = k.split(":", 3);
    if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException("commit log key '" + k + "' is not {topic}:{partition}:{group}");
    }
    int partition;
    try {
      partition = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("commit log key '" + k + "' has no partition number");
    }
    JsonObject json;
    try {
      json = new JsonObject(new String(value, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("commit log value for '" + k + "' is not a JSON object");
    }
    if (!(json.getValue("offset") instanceof Number offset) || offset.doubleValue() != Math.rint(offset.doubleValue())
        || offset.longValue() < 0) {
      throw new IllegalArgumentException("commit log value for '" + k + "' has no valid offset: " + json.encode());
    }
    Object ts = json.getValue("orig_message_ts");
    return new CommitLogEntry(parts[0], partition, parts[2], offset.longValue(),
        ts instanceof Number n ? n.doubleValue() : null);
  }

  public byte[] key() {
    return (topic + ":" + partition + ":" + group).getBytes(StandardCharsets.UTF_8);
  }

  public byte[] value() {
    JsonObject json = new JsonObject().put("offset", offset);
    if (origMessageTs != null) {
      json.put("orig_message_ts", origMessageTs);
    }
    return json.encode().getBytes(StandardCharsets.UTF_8);
  }
}

package io.lookout.gateway.produce;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One Kafka record ready to send: the topic's real name, the key (null lets the producer pick the
 * partition), the value and the headers, as Relay's {@code relay-kafka} sends them. Byte arrays
 * are not copied: treat them as immutable once made.
 *
 * @param headers in name order (Relay keeps them in a {@code BTreeMap})
 */
public record ProducedRecord(String topic, byte[] key, byte[] value, Map<String, String> headers) {

  public ProducedRecord {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(value, "value");
    headers = headers == null || headers.isEmpty()
        ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(headers));
  }

  public ProducedRecord(String topic, byte[] key, byte[] value) {
    this(topic, key, value, Map.of());
  }

  /** Bytes this record puts on the wire before compression, roughly: key, value and headers. */
  public long sizeBytes() {
    long size = value.length + (key == null ? 0 : key.length);
    for (Map.Entry<String, String> h : headers.entrySet()) {
      size += h.getKey().length() + h.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    return size;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProducedRecord r
        && topic.equals(r.topic)
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value)
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, Arrays.hashCode(key), Arrays.hashCode(value), headers);
  }

  @Override
  public String toString() {
    return "ProducedRecord[topic=" + topic + ", key="
        + (key == null ? "null" : "bytes[" + key.length + "]") + ", value=bytes[" + value.length
        + "], headers=" + headers + "]";
  }
}

package io.lookout.processors.analytics;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Records of {@code snuba-commit-log}, in the format of Arroyo's {@code CommitCodec} (which Snuba
 * writes and Sentry's synchronized post-process forwarder reads):
 *
 * <ul>
 *   <li>key: {@code {topic}:{partition}:{group}}, UTF-8;</li>
 *   <li>value: {@code {"offset": N, "orig_message_ts": S}}, where {@code N} is the committed offset
 *       (the next one the group will read: every message below it is in ClickHouse) and {@code S} the
 *       Kafka timestamp of the last message committed, in unix seconds as a float;</li>
 *   <li>legacy value: the offset alone as a decimal string (no timestamp).</li>
 * </ul>
 *
 * <p>A reader follows one consumer group: it keeps, per (topic, partition), the highest offset seen
 * for {@code group} and processes a message of that partition only below it.
 */
public final class CommitLog {

  private CommitLog() {
  }

  /**
   * One commit of the analytics consumer.
   *
   * @param offset the committed offset: messages below it are written
   * @param origMessageTs the last committed message's Kafka timestamp in unix seconds; null for a
   *     legacy record
   */
  public record Commit(String topic, int partition, String group, long offset, Double origMessageTs) {
  }

  public static byte[] key(String topic, int partition, String group) {
    return (topic + ":" + partition + ":" + group).getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] value(long offset, double origMessageTs) {
    String ts = BigDecimal.valueOf(origMessageTs).toPlainString();
    return ("{\"offset\": " + offset + ", \"orig_message_ts\": " + (ts.indexOf('.') < 0 ? ts + ".0" : ts) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  public static ProducerRecord<byte[], byte[]> record(String commitLogTopic, Commit commit) {
    return new ProducerRecord<>(commitLogTopic, key(commit.topic(), commit.partition(), commit.group()),
        value(commit.offset(), commit.origMessageTs() == null ? 0.0 : commit.origMessageTs()));
  }

  public static Commit decode(ConsumerRecord<byte[], byte[]> record) {
    return decode(record.key(), record.value());
  }

  /** @throws IllegalArgumentException when the key or the value is not a commit */
  public static Commit decode(byte[] key, byte[] value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("a commit-log record needs a key and a value");
    }
    String k = new String(key, StandardCharsets.UTF_8);
    int first = k.indexOf(':');
    int second = first < 0 ? -1 : k.indexOf(':', first + 1);
    if (first <= 0 || second < 0 || second == k.length() - 1) {
      throw new IllegalArgumentException("commit-log key is not topic:partition:group: '" + k + "'");
    }
    int partition;
    try {
      partition = Integer.parseInt(k.substring(first + 1, second));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("commit-log key has no partition number: '" + k + "'");
    }
    String topic = k.substring(0, first);
    String group = k.substring(second + 1);
    String v = new String(value, StandardCharsets.UTF_8).strip();
    if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
      return new Commit(topic, partition, group, Long.parseLong(v), null);
    }
    try {
      JsonObject json = new JsonObject(v);
      if (!(json.getValue("offset") instanceof Number offset) || !(json.getValue("orig_message_ts") instanceof Number ts)) {
        throw new IllegalArgumentException("commit-log value needs numbers offset and orig_message_ts: " + v);
      }
      return new Commit(topic, partition, group, offset.longValue(), ts.doubleValue());
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("commit-log value is not JSON: " + v, e);
    }
  }
}

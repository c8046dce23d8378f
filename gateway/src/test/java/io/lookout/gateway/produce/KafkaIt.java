package io.lookout.gateway.produce;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the Kafka integration tests share: the stack's broker (conf + env overrides), a set of
 * topics of their own (Sentry's names behind a unique prefix) and a plain consumer to read back.
 */
public final class KafkaIt {

  /** Sentry's self-hosted broker limit, so that a full 1 MiB attachment chunk fits. */
  public static final String MAX_MESSAGE_BYTES = "50000000";

  private KafkaIt() {
  }

  public static KafkaConfig kafka() {
    return StorageConfig.load().kafka();
  }

  /** A prefix no other test run uses, e.g. {@code it_1a2b3c4d5e6f-}. */
  public static String uniquePrefix() {
    return "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
        .toLowerCase(Locale.ROOT) + "-";
  }

  /**
   * Creates {@code prefix + name} for each of Sentry's topics (two partitions each, so that
   * partitioning by key is exercised) and lets them take 50 MB records.
   */
  public static List<String> createTopics(KafkaConfig kafka, String prefix) throws Exception {
    Map<String, KafkaConfig.TopicConfig> topics = new LinkedHashMap<>();
    for (String name : Topics.ALL) {
      topics.put(prefix + name, new KafkaConfig.TopicConfig(2, -1));
    }
    TopicProvisioner.provisionBlocking(kafka, topics);
    try (Admin admin = admin(kafka)) {
      Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
      for (String topic : topics.keySet()) {
        changes.put(new ConfigResource(ConfigResource.Type.TOPIC, topic), List.of(
            new AlterConfigOp(new ConfigEntry("max.message.bytes", MAX_MESSAGE_BYTES),
                AlterConfigOp.OpType.SET)));
      }
      admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
    }
    return new ArrayList<>(topics.keySet());
  }

  public static void deleteTopics(KafkaConfig kafka, Collection<String> topics) throws Exception {
    try (Admin admin = admin(kafka)) {
      admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }

  private static Admin admin(KafkaConfig kafka) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return Admin.create(props);
  }

  /**
   * Reads {@code topic} from the beginning until {@code expected} records have arrived (or the
   * timeout passed), in partition then offset order.
   */
  public static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaConfig kafka, String topic,
      int expected, Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, MAX_MESSAGE_BYTES);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    records.sort((a, b) -> a.partition() != b.partition()
        ? Integer.compare(a.partition(), b.partition()) : Long.compare(a.offset(), b.offset()));
    return records;
  }

  public static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
    }
    return headers;
  }

  /** Waits for {@code future} from a test thread (never an event loop). */
  public static <T> T await(Future<T> future, Duration timeout) throws Exception {
    return future.toCompletionStage().toCompletableFuture()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}

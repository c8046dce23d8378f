package io.lookout.processors.postprocess;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Prefixed topics for one test class, a producer, and the clean-up. */
final class KafkaTestSupport implements AutoCloseable {

  final StorageConfig storage;
  final String prefix;
  private final Collection<String> topics;
  private final KafkaProducer<byte[], byte[]> producer;

  KafkaTestSupport(StorageConfig storage, String prefix, Collection<String> names) throws Exception {
    this.storage = storage;
    this.prefix = prefix;
    Map<String, KafkaConfig.TopicConfig> topics = new LinkedHashMap<>();
    for (String name : names) {
      topics.put(prefix + name, new KafkaConfig.TopicConfig(1, -1));
    }
    this.topics = topics.keySet();
    TopicProvisioner.provisionBlocking(storage.kafka(), topics);
    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    props.put("acks", "all");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Sends and returns the record's offset. */
  long send(String name, byte[] key, byte[] value) throws Exception {
    RecordMetadata meta = producer.send(new ProducerRecord<>(prefix + name, key, value)).get(10, TimeUnit.SECONDS);
    return meta.offset();
  }

  /** What the analytics consumer does after committing: publish its commit to the commit log. */
  void commit(String topicName, int partition, String group, long nextOffset) throws Exception {
    CommitLogEntry entry = new CommitLogEntry(prefix + topicName, partition, group, nextOffset,
        System.currentTimeMillis() / 1000.0);
    send("snuba-commit-log", entry.key(), entry.value());
  }

  @Override
  public void close() throws Exception {
    producer.close();
    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
    }
  }
}

package io.lookout.storage.kafka;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker's topics match conf: creates missing topics and raises partition counts that are
 * below the configured ones (Kafka cannot lower them; a higher count on the broker is left alone
 * and reported). Idempotent, so {@code bin/lookout stack up} runs it every time.
 */
public final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  /** What one run changed. */
  public record Result(List<String> created, List<String> grown, List<String> unchanged) {
  }

  private TopicProvisioner() {
  }

  /** Runs {@link #provisionBlocking} on a worker thread. */
  public static Future<Result> provision(Vertx vertx, KafkaConfig config, Map<String, KafkaConfig.TopicConfig> topics) {
    return vertx.executeBlocking(() -> provisionBlocking(config, topics), false);
  }

  /** Blocking: call it from a worker thread or a CLI, never from an event loop. */
  public static Result provisionBlocking(KafkaConfig config, Map<String, KafkaConfig.TopicConfig> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.adminTimeoutMs());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) config.adminTimeoutMs());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "lookout-topic-provisioner");
    long timeout = config.adminTimeoutMs();
    try (Admin admin = Admin.create(props)) {
      Set<String> existing = admin.listTopics().names().get(timeout, TimeUnit.MILLISECONDS);
      List<NewTopic> toCreate = new ArrayList<>();
      List<String> present = new ArrayList<>();
      for (Map.Entry<String, KafkaConfig.TopicConfig> e : topics.entrySet()) {
        if (existing.contains(e.getKey())) {
          present.add(e.getKey());
        } else {
          toCreate.add(newTopic(e.getKey(), e.getValue(), config.replicationFactor()));
        }
      }
      List<String> created = new ArrayList<>();
      if (!toCreate.isEmpty()) {
        var results = admin.createTopics(toCreate).values();
        for (Map.Entry<String, ? extends org.apache.kafka.common.KafkaFuture<Void>> r : results.entrySet()) {
          try {
            r.getValue().get(timeout, TimeUnit.MILLISECONDS);
            created.add(r.getKey());
          } catch (ExecutionException ex) {
            if (!(ex.getCause() instanceof TopicExistsException)) {
              throw ex;
            }
            present.add(r.getKey()); // created concurrently by another provisioner
          }
        }
      }
      List<String> grown = new ArrayList<>();
      List<String> unchanged = new ArrayList<>();
      if (!present.isEmpty()) {
        Map<String, TopicDescription> described =
            admin.describeTopics(present).allTopicNames().get(timeout, TimeUnit.MILLISECONDS);
        Map<String, NewPartitions> increases = new HashMap<>();
        for (String name : present) {
          int have = described.get(name).partitions().size();
          int want = topics.get(name).partitions();
          if (have < want) {
            increases.put(name, NewPartitions.increaseTo(want));
          } else {
            if (have > want) {
              LOG.warn("topic {} has {} partitions, conf asks for {}; Kafka cannot lower it, left as is",
                  name, have, want);
            }
            unchanged.add(name);
          }
        }
        if (!increases.isEmpty()) {
          admin.createPartitions(increases).all().get(timeout, TimeUnit.MILLISECONDS);
          grown.addAll(increases.keySet());
        }
      }
      return new Result(created, grown, unchanged);
    }
  }

  private static NewTopic newTopic(String name, KafkaConfig.TopicConfig topic, short replication) {
    NewTopic newTopic = new NewTopic(name, topic.partitions(), replication);
    if (topic.retentionMs() > 0) {
      newTopic.configs(Map.of("retention.ms", Long.toString(topic.retentionMs())));
    }
    return newTopic;
  }
}

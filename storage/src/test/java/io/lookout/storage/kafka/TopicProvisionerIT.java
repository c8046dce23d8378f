package io.lookout.storage.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.StorageIt;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class TopicProvisionerIT {

  @Test
  void createsMissingTopicsGrowsPartitionsAndIsIdempotent() throws Exception {
    KafkaConfig kafka = StorageIt.config().kafka();
    String a = StorageIt.uniqueName("it-topic-a");
    String b = StorageIt.uniqueName("it-topic-b");

    TopicProvisioner.Result first = TopicProvisioner.provisionBlocking(kafka, Map.of(
        a, new KafkaConfig.TopicConfig(2, -1), b, new KafkaConfig.TopicConfig(1, 3_600_000)));
    assertThat(first.created()).containsExactlyInAnyOrder(a, b);

    TopicProvisioner.Result second = TopicProvisioner.provisionBlocking(kafka, Map.of(
        a, new KafkaConfig.TopicConfig(2, -1), b, new KafkaConfig.TopicConfig(3, 3_600_000)));
    assertThat(second.created()).isEmpty();
    assertThat(second.grown()).containsExactly(b);
    assertThat(second.unchanged()).containsExactly(a);

    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      var described = admin.describeTopics(java.util.List.of(a, b)).allTopicNames().get(10, TimeUnit.SECONDS);
      assertThat(described.get(a).partitions()).hasSize(2);
      assertThat(described.get(b).partitions()).hasSize(3);
      admin.deleteTopics(java.util.List.of(a, b)).all().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyConfiguredTopicExistsAfterStackUp() throws Exception {
    KafkaConfig kafka = StorageIt.config().kafka();
    TopicProvisioner.Result result = TopicProvisioner.provisionBlocking(kafka, kafka.topics());
    assertThat(result.created().size() + result.grown().size() + result.unchanged().size())
        .isEqualTo(kafka.topics().size());
    assertThat(kafka.topics().keySet()).containsAll(Topics.ALL);
  }
}

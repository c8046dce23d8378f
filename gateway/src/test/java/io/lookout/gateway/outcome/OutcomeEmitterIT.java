package io.lookout.gateway.outcome;

import io.lookout.gateway.project.Scoping;
import static io.lookout.gateway.produce.KafkaIt.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.produce.KafkaIt;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.produce.RecordSender;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.batch.BatchMetrics;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.EventIds;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.lookout.storage.kafka.message.OutcomeType;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class OutcomeEmitterIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final Scoping SCOPING = new Scoping(3, 42, 7L);

  static KafkaConfig kafka;
  static String prefix;
  static List<String> topics;

  @BeforeAll
  static void createTopics() throws Exception {
    kafka = KafkaIt.kafka();
    prefix = KafkaIt.uniquePrefix();
    topics = KafkaIt.createTopics(kafka, prefix);
  }

  @AfterAll
  static void deleteTopics() throws Exception {
    KafkaIt.deleteTopics(kafka, topics);
  }

  /** An emitter made on an event-loop context of its own, as a verticle would make it. */
  static OutcomeEmitter emitter(Vertx vertx, RecordSender sender, OutcomeConfig config,
      MeterRegistry registry, String name) throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<OutcomeEmitter> made = new CompletableFuture<>();
    context.runOnContext(v -> made.complete(OutcomeEmitter.create(vertx, sender, config,
        TopicNames.prefixed(prefix), registry, name)));
    return made.get(10, TimeUnit.SECONDS);
  }

  static Outcome outcome(int i) {
    return Outcomes.of(SCOPING, Instant.parse("2024-05-02T14:03:27.123456Z"),
        i % 2 == 0 ? EventIds.random() : null, null)
        .outcome(OutcomeType.RATE_LIMITED, "key_quota", DataCategory.ERROR, i + 1);
  }

  @Test
  void outcomesAreBatchedToTheOutcomesTopicWithRelaysKeyAndSource(Vertx vertx) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    RecordSender sender = await(RecordSender.create(vertx, kafka, ProducerConfig.defaults(),
        registry), TIMEOUT);
    OutcomeConfig config = new OutcomeConfig("lookout-gateway-it",
        new BatchConfig(100, 1024 * 1024, 200, 2, 10_000));
    OutcomeEmitter emitter = emitter(vertx, sender, config, registry, "outcomes-it");

    int count = 250;
    for (int i = 0; i < count; i++) {
      emitter.emit(outcome(i));
    }
    await(emitter.stop(), TIMEOUT);

    List<ConsumerRecord<byte[], byte[]>> records =
        KafkaIt.readAll(kafka, prefix + Topics.OUTCOMES, count, TIMEOUT);
    assertThat(records).hasSize(count);
    Set<Long> quantities = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      Outcome outcome = OutcomeCodec.decode(record.value());
      quantities.add(outcome.quantity());
      assertThat(outcome.source()).isEqualTo("lookout-gateway-it");
      assertThat(outcome.outcomeType()).contains(OutcomeType.RATE_LIMITED);
      assertThat(outcome.reason()).isEqualTo("key_quota");
      assertThat(outcome.orgId()).isEqualTo(3L);
      assertThat(record.key()).hasSize(16);
      if (outcome.eventId() != null) {
        assertThat(record.key()).isEqualTo(EventIds.toBytes(outcome.eventId()));
      }
    }
    assertThat(quantities).hasSize(count);
    assertThat(registry.get(OutcomeMetrics.PRODUCED).counter().count()).isEqualTo(count);
    // 250 outcomes in batches of at most 100
    assertThat(registry.get(BatchMetrics.SIZE).tag(BatchMetrics.TAG_BATCHER, "outcomes-it")
        .summary().count()).isGreaterThanOrEqualTo(3);
    assertThat(registry.get(BatchMetrics.SIZE).tag(BatchMetrics.TAG_BATCHER, "outcomes-it")
        .summary().max()).isLessThanOrEqualTo(100);
    await(sender.close(), TIMEOUT);
  }

  @Test
  void whenFullOutcomesAreDroppedAndCountedNeverThrown(Vertx vertx) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    KafkaConfig dead = new KafkaConfig("127.0.0.1:1", 9093, (short) 1, 1000, Map.of());
    RecordSender sender = await(RecordSender.create(vertx, dead,
        ProducerConfig.defaults().withTimeouts(2000, 1000, 500), registry), TIMEOUT);
    OutcomeConfig config = new OutcomeConfig(null, new BatchConfig(5, 1024 * 1024, 50, 1, 10));
    OutcomeEmitter emitter = emitter(vertx, sender, config, registry, "outcomes-full");

    for (int i = 0; i < 30; i++) {
      emitter.emit(outcome(i));
    }
    await(emitter.flush(), TIMEOUT);
    await(emitter.stop(), TIMEOUT);
    emitter.emit(outcome(99));
    await(emitter.flush(), TIMEOUT);

    double full = registry.get(OutcomeMetrics.DROPPED).tag(OutcomeMetrics.TAG_REASON, "full")
        .counter().count();
    double failed = registry.get(OutcomeMetrics.DROPPED).tag(OutcomeMetrics.TAG_REASON, "failed")
        .counter().count();
    double stopped = registry.get(OutcomeMetrics.DROPPED).tag(OutcomeMetrics.TAG_REASON, "stopped")
        .counter().count();
    assertThat(full).isEqualTo(20);
    assertThat(failed).isEqualTo(10);
    assertThat(stopped).isEqualTo(1);
    assertThat(registry.get(OutcomeMetrics.PRODUCED).counter().count()).isZero();
    assertThat(emitter.pending()).isZero();
    await(sender.close(), TIMEOUT);
  }
}

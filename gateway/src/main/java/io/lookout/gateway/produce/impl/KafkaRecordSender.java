package io.lookout.gateway.produce.impl;

import io.lookout.gateway.produce.ProduceFailedException;
import io.lookout.gateway.produce.ProduceMetrics;
import io.lookout.gateway.produce.ProducedRecord;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.produce.RecordSender;
import io.lookout.storage.kafka.KafkaConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RecordSender} on a vertx-kafka-client {@link KafkaProducer}.
 *
 * <p>vertx-kafka-client 5.0.7 ({@code KafkaWriteStreamImpl}) runs every {@code Producer.send},
 * {@code partitionsFor}, {@code flush} and {@code close} on one worker context of its own, in
 * submission order, and completes the returned future on the caller's context from the Kafka
 * client's callback. So the event loop only builds the record; waiting for metadata or buffer
 * space (bounded by {@code max.block.ms}) happens on that worker.
 */
public final class KafkaRecordSender implements RecordSender {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaRecordSender.class);

  private final KafkaProducer<byte[], byte[]> producer;
  private final ProducerConfig config;
  private final MeterRegistry registry;
  private final Map<String, Counter> failedByTopic = new ConcurrentHashMap<>();

  private KafkaRecordSender(KafkaProducer<byte[], byte[]> producer, ProducerConfig config,
      MeterRegistry registry) {
    this.producer = producer;
    this.config = config;
    this.registry = registry;
    // The failure reaches the record's future; without a handler vert.x would also log every
    // failed record as an unhandled exception.
    producer.exceptionHandler(e -> LOG.debug("kafka record failed: {}", e.toString()));
  }

  public static Future<RecordSender> create(Vertx vertx, KafkaConfig kafka, ProducerConfig config,
      MeterRegistry registry) {
    Map<String, String> properties = config.toProducerProperties(kafka);
    return vertx.executeBlocking(() -> {
      KafkaProducer<byte[], byte[]> producer = KafkaProducer.create(vertx, properties);
      return new KafkaRecordSender(producer, config, registry);
    }, false);
  }

  @Override
  public List<Future<Void>> sendEach(List<ProducedRecord> records) {
    List<Future<Void>> acks = new ArrayList<>(records.size());
    for (ProducedRecord r : records) {
      KafkaProducerRecord<byte[], byte[]> record =
          KafkaProducerRecord.create(r.topic(), r.key(), r.value());
      for (Map.Entry<String, String> header : r.headers().entrySet()) {
        record.addHeader(header.getKey(), header.getValue());
      }
      acks.add(producer.send(record).transform(ar -> {
        if (ar.succeeded()) {
          return Future.<Void>succeededFuture();
        }
        failed(r.topic()).increment();
        return Future.failedFuture(new ProduceFailedException(r.topic(), ar.cause()));
      }));
    }
    return acks;
  }

  @Override
  public Future<Void> warmUp(Collection<String> topics) {
    List<Future<?>> lookups = new ArrayList<>(topics.size());
    for (String topic : topics) {
      lookups.add(producer.partitionsFor(topic).onFailure(e ->
          LOG.warn("no metadata for topic {} yet: {}", topic, e.toString())));
    }
    return Future.all(lookups).mapEmpty();
  }

  @Override
  public Future<Void> flush() {
    return producer.flush();
  }

  @Override
  public Future<Void> close() {
    return producer.flush()
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("flushing the kafka producer before close failed", ar.cause());
          }
          return producer.close(config.closeTimeoutMs());
        });
  }

  private Counter failed(String topic) {
    return failedByTopic.computeIfAbsent(topic, t -> Counter.builder(ProduceMetrics.FAILED)
        .description("Kafka records that were not acknowledged")
        .tag(ProduceMetrics.TAG_TOPIC, t)
        .register(registry));
  }
}

package io.lookout.processors.kafka;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A Kafka producer for the processors' outputs (eventstream, dead letters): a whole list of records
 * goes out with one hop to a worker thread, and the future completes once Kafka acknowledged every
 * one of them (acks=all), or fails with the first error.
 */
public final class BatchProducer {

  private final Vertx vertx;
  private final KafkaProducer<byte[], byte[]> producer;

  public BatchProducer(Vertx vertx, Properties properties) {
    this.vertx = vertx;
    Properties props = new Properties();
    props.putAll(properties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public Future<Void> send(List<ProducerRecord<byte[], byte[]>> records) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Void> acked = Promise.promise();
    AtomicInteger pending = new AtomicInteger(records.size());
    AtomicReference<Exception> firstError = new AtomicReference<>();
    vertx.executeBlocking(() -> {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record, (metadata, err) -> {
          if (err != null) {
            firstError.compareAndSet(null, err);
          }
          if (pending.decrementAndGet() == 0) {
            Exception failure = firstError.get();
            if (failure == null) {
              acked.tryComplete();
            } else {
              acked.tryFail(failure);
            }
          }
        });
      }
      return null;
    }, false).onFailure(acked::tryFail);
    return acked.future();
  }

  public Future<Void> close() {
    return vertx.executeBlocking(() -> {
      producer.close(Duration.ofSeconds(10));
      return null;
    }, false);
  }
}

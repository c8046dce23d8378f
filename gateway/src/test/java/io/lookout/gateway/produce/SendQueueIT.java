package io.lookout.gateway.produce;

import static io.lookout.gateway.produce.KafkaIt.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.kafka.KafkaConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Kafka sender's queue: bounded, refusing at once when full, and refusing after close. A
 * broker that does not answer keeps the sender thread waiting {@code max_block_ms} per group.
 */
@ExtendWith(VertxExtension.class)
class SendQueueIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final KafkaConfig DEAD = new KafkaConfig("127.0.0.1:1", 9093, (short) 1, 1000, Map.of());
  static final List<ProducedRecord> RECORDS = List.of(new ProducedRecord("lookout-send-queue-it",
      null, "x".getBytes(StandardCharsets.UTF_8)));

  @Test
  void aFullQueueFailsTheSendAtOnceAndTheQueuedOnesFailWhenTheirWaitEnds(Vertx vertx) throws Exception {
    ProducerConfig config = ProducerConfig.fromJson(new JsonObject().put("send_queue_size", 1)
        .put("max_block_ms", 500).put("request_timeout_ms", 1000).put("delivery_timeout_ms", 2000));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RecordSender sender = await(RecordSender.create(vertx, DEAD, config, registry), TIMEOUT);
    // the thread takes the first group and waits for metadata; one more fits the queue; then full
    List<Delivery> deliveries = new ArrayList<>();
    Delivery refused = null;
    for (int i = 0; i < 4 && refused == null; i++) {
      Delivery d = sender.sendAll(RECORDS);
      // a refused delivery is decided in the call: its failure is already on its way
      if (d.acked().toCompletionStage().toCompletableFuture().handle((ok, e) -> e)
          .completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).get() != null) {
        refused = d;
      } else {
        deliveries.add(d);
      }
    }
    assertThat(refused).as("a send refused because the queue was full").isNotNull();
    assertThat(refused.acked().cause()).isInstanceOf(ProduceFailedException.class)
        .hasRootCauseMessage("the kafka send queue is full (1 groups waiting)");
    assertThat(await(refused.settled(), TIMEOUT)).isNull();
    for (Delivery d : deliveries) {
      await(d.settled(), TIMEOUT);
      assertThat(d.acked().cause()).isInstanceOf(ProduceFailedException.class);
    }
    assertThat(registry.get(ProduceMetrics.SEND_QUEUE).gauge().value()).isZero();
    await(sender.close(), TIMEOUT);
  }

  @Test
  void afterCloseASendFailsAndNothingHangs(Vertx vertx) throws Exception {
    ProducerConfig config = ProducerConfig.fromJson(new JsonObject().put("max_block_ms", 200)
        .put("close_timeout_ms", 1000));
    RecordSender sender = await(RecordSender.create(vertx, DEAD, config, new SimpleMeterRegistry()),
        TIMEOUT);
    await(sender.close(), TIMEOUT);
    Future<Void> late = sender.send(RECORDS);
    Throwable cause = late.toCompletionStage().toCompletableFuture().handle((ok, e) -> e)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(cause).isInstanceOf(ProduceFailedException.class)
        .hasRootCauseMessage("the kafka sender is closed");
    assertThat(sender.flush().toCompletionStage().toCompletableFuture().handle((ok, e) -> e)
        .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).hasMessage("the kafka sender is closed");
  }
}

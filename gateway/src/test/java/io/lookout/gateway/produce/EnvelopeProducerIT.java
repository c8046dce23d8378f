package io.lookout.gateway.produce;

import static io.lookout.gateway.produce.KafkaIt.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.project.Scoping;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.CheckInMessage;
import io.lookout.storage.kafka.message.EventIds;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.lookout.storage.kafka.message.SpanCodec;
import io.lookout.storage.kafka.message.TraceItemMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class EnvelopeProducerIT {

  static final Duration TIMEOUT = Duration.ofSeconds(30);
  static final String EVENT_ID = "1f0b5d7c6a9e4b2d8c3f4a5b6c7d8e9f";
  static final ProduceScope SCOPE = ProduceScope.of(new Scoping(3, 42, 7L), "198.51.100.4",
      Instant.now()).withClient("sentry.java/8.63.0");

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

  static byte[] content(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (i * 17 + 3);
    }
    return b;
  }

  @Test
  void sendCompletesAfterTheAcksAndEveryRecordReadsBackAsRelayWroteIt(Vertx vertx)
      throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    EnvelopeProducer producer = await(EnvelopeProducer.create(vertx, kafka,
        ProducerConfig.defaults(), registry), TIMEOUT);
    await(producer.sender().warmUp(topics), TIMEOUT);
    KafkaRouting routing = KafkaRouting.create(TopicNames.prefixed(prefix));
    byte[] attachment = content(2 * 1024 * 1024 + 512 * 1024);
    String span = "{\"trace_id\":\"5b8efff798038103d269b633813fc60c\",\"span_id\":\"eee19b7ec3c1b174\","
        + "\"start_timestamp\":1714658607.5,\"end_timestamp\":1714658608.0,\"name\":\"GET /\"}";
    RoutedEnvelope routed = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", "{\"message\":\"it works\"}")
        .item("{\"type\":\"attachment\",\"filename\":\"big.bin\"", attachment)
        .item("{\"type\":\"check_in\"}", "{\"monitor_slug\":\"nightly\",\"status\":\"ok\"}")
        .item("{\"type\":\"span\",\"item_count\":2,"
            + "\"content_type\":\"application/vnd.sentry.items.span.v2+json\"}",
            "{\"items\":[" + span + "," + span + "]}")
        .item("{\"type\":\"log\",\"item_count\":1,"
            + "\"content_type\":\"application/vnd.sentry.items.log+json\"}",
            "{\"items\":[{\"timestamp\":1714658607.5,\"trace_id\":\"5b8efff798038103d269b633813fc60c\","
                + "\"level\":\"warn\",\"body\":\"disk almost full\"}]}")
        .parse(), SCOPE);
    assertThat(routed.records()).hasSize(8);

    await(producer.send(routed.records()), TIMEOUT);
    assertThat(producer.bufferedEnvelopes()).isZero();

    // ingest-attachments: three chunks, then the event, in order on one partition
    List<ConsumerRecord<byte[], byte[]>> attachments =
        KafkaIt.readAll(kafka, prefix + Topics.INGEST_ATTACHMENTS, 4, TIMEOUT);
    assertThat(attachments).hasSize(4);
    assertThat(attachments).extracting(ConsumerRecord::partition).containsOnly(
        attachments.get(0).partition());
    assertThat(attachments).allSatisfy(r -> assertThat(r.key()).isEqualTo(EventIds.toBytes(EVENT_ID)));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      IngestMessage message = IngestCodec.decode(attachments.get(i).value());
      assertThat(message).isInstanceOf(AttachmentChunkMessage.class);
      assertThat(((AttachmentChunkMessage) message).chunkIndex()).isEqualTo(i);
      joined.writeBytes(((AttachmentChunkMessage) message).payload());
    }
    assertThat(joined.toByteArray()).isEqualTo(attachment);
    EventMessage event = (EventMessage) IngestCodec.decode(attachments.get(3).value());
    assertThat(event.eventId()).isEqualTo(EVENT_ID);
    assertThat(event.remoteAddr()).isEqualTo("198.51.100.4");
    assertThat(event.attachments()).singleElement().satisfies(a -> {
      assertThat(a.chunks()).isEqualTo(3);
      assertThat(a.name()).isEqualTo("big.bin");
      assertThat(a.size()).isEqualTo(attachment.length);
    });

    List<ConsumerRecord<byte[], byte[]>> monitors =
        KafkaIt.readAll(kafka, prefix + Topics.INGEST_MONITORS, 1, TIMEOUT);
    assertThat(monitors).singleElement().satisfies(r -> {
      CheckInMessage checkIn = (CheckInMessage) IngestCodec.decode(r.value());
      assertThat(checkIn.sdk()).isEqualTo("sentry.java/8.63.0");
      assertThat(r.key()).isEqualTo(KafkaRouting.checkInRoutingHint(
          Buffer.buffer("{\"monitor_slug\":\"nightly\"}"), 42));
    });

    List<ConsumerRecord<byte[], byte[]>> spans =
        KafkaIt.readAll(kafka, prefix + Topics.INGEST_SPANS, 2, TIMEOUT);
    assertThat(spans).hasSize(2).allSatisfy(r -> {
      assertThat(KafkaIt.headers(r)).containsEntry("project_id", "42");
      assertThat(SpanCodec.decode(r.value()).span().getString("name")).isEqualTo("GET /");
    });

    List<ConsumerRecord<byte[], byte[]>> items =
        KafkaIt.readAll(kafka, prefix + Topics.SNUBA_ITEMS, 1, TIMEOUT);
    assertThat(items).singleElement().satisfies(r -> {
      TraceItemMessage item = TraceItemMessage.fromRecord(r.value(), KafkaIt.headers(r));
      assertThat(item.itemType()).isEqualTo(3);
      assertThat(Protobuf.attributes(Protobuf.read(item.payload())))
          .containsEntry("sentry.body", "disk almost full");
    });

    assertThat(registry.get(ProduceMetrics.LATENCY).tag(ProduceMetrics.TAG_RESULT, "ok").timer()
        .count()).isEqualTo(1);
    await(producer.close(), TIMEOUT);
  }

  @Test
  void aFullBufferRefusesAtOnceAndADeadBrokerFailsTheOthersWithoutBlockingTheEventLoop(
      Vertx vertx) throws Exception {
    KafkaConfig dead = new KafkaConfig("127.0.0.1:1", 9093, (short) 1, 1000, Map.of());
    ProducerConfig config = ProducerConfig.defaults().withEnvelopeBufferSize(2)
        .withTimeouts(3000, 2000, 1000);
    MeterRegistry registry = new SimpleMeterRegistry();
    EnvelopeProducer producer = await(EnvelopeProducer.create(vertx, dead, config, registry),
        TIMEOUT);
    KafkaRouting routing = KafkaRouting.create(TopicNames.prefixed(prefix));
    List<ProducedRecord> records = routing.route(Envelopes.withEventId(EVENT_ID)
        .item("{\"type\":\"event\"}", "{\"message\":\"lost\"}").parse(), SCOPE).records();

    Context context = vertx.getOrCreateContext();
    AtomicLong maxLatenessMs = new AtomicLong();
    CompletableFuture<List<Future<Void>>> sends = new CompletableFuture<>();
    CompletableFuture<Long> thirdFailedWithinMs = new CompletableFuture<>();
    context.runOnContext(v -> {
      // an event-loop timer every 10 ms: if anything blocked this loop, it would run late
      long period = 10;
      long[] expected = {System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(period)};
      vertx.setPeriodic(period, id -> {
        long now = System.nanoTime();
        maxLatenessMs.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(now - expected[0]),
            Math::max);
        expected[0] = now + TimeUnit.MILLISECONDS.toNanos(period);
      });
      long start = System.nanoTime();
      List<Future<Void>> futures = new ArrayList<>();
      futures.add(producer.send(records));
      futures.add(producer.send(records));
      Future<Void> third = producer.send(records);
      if (third.failed()) {
        thirdFailedWithinMs.complete(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      } else {
        thirdFailedWithinMs.completeExceptionally(new AssertionError("third send not refused"));
      }
      futures.add(third);
      sends.complete(futures);
    });

    List<Future<Void>> futures = sends.get(10, TimeUnit.SECONDS);
    assertThat(thirdFailedWithinMs.get(10, TimeUnit.SECONDS)).isLessThan(50);
    assertThat(futures.get(2).cause()).isInstanceOf(BufferFullException.class)
        .hasMessage("envelope buffer capacity exceeded");
    long start = System.nanoTime();
    for (int i = 0; i < 2; i++) {
      Throwable cause = futures.get(i).toCompletionStage().toCompletableFuture()
          .handle((ok, e) -> e).get(15, TimeUnit.SECONDS);
      assertThat(cause).isInstanceOf(ProduceFailedException.class);
      assertThat(((ProduceFailedException) cause).topic()).isEqualTo(prefix + Topics.INGEST_EVENTS);
    }
    // each waits max_block_ms for metadata that never comes, one after the other
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    // a failed envelope answers at its first failed record but holds its slot until every record
    // of it has completed, which can be a moment later
    long slotDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (producer.bufferedEnvelopes() > 0 && System.nanoTime() < slotDeadline) {
      Thread.onSpinWait();
    }
    assertThat(producer.bufferedEnvelopes()).isZero();
    assertThat(maxLatenessMs.get()).as("event loop lateness in ms").isLessThan(200);

    assertThat(registry.get(ProduceMetrics.REJECTED).counter().count()).isEqualTo(1);
    assertThat(registry.get(ProduceMetrics.FAILED)
        .tag(ProduceMetrics.TAG_TOPIC, prefix + Topics.INGEST_EVENTS).counter().count())
        .isEqualTo(2);
    assertThat(registry.get(ProduceMetrics.BUFFERED_ENVELOPES).gauge().value()).isZero();
    assertThat(registry.get(ProduceMetrics.LATENCY).tag(ProduceMetrics.TAG_RESULT, "failed")
        .timer().count()).isEqualTo(2);

    // a free slot again: a fourth envelope is taken (and fails like the others)
    Promise<Throwable> fourth = Promise.promise();
    context.runOnContext(v -> producer.send(records).onComplete(ar -> fourth.complete(ar.cause())));
    assertThat(await(fourth.future(), TIMEOUT)).isInstanceOf(ProduceFailedException.class);
    await(producer.close(), TIMEOUT);
  }

  @Test
  void closeWaitsForTheEnvelopesInFlightThenRefusesNewOnes(Vertx vertx) throws Exception {
    EnvelopeProducer producer = await(EnvelopeProducer.create(vertx, kafka,
        ProducerConfig.defaults(), new SimpleMeterRegistry()), TIMEOUT);
    List<ProducedRecord> records = KafkaRouting.create(TopicNames.prefixed(prefix))
        .route(Envelopes.withEventId(EventIds.random())
            .item("{\"type\":\"event\"}", "{\"message\":\"last one\"}").parse(), SCOPE)
        .records();

    Future<Void> sent = producer.send(records);
    Future<Void> closed = producer.close();
    await(closed, TIMEOUT);
    assertThat(sent.succeeded()).isTrue();
    assertThat(producer.send(records).cause()).isInstanceOf(IllegalStateException.class);
    assertThat(producer.close()).isSameAs(closed);
  }
}

package io.lookout.processors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.processors.config.ProcessorsConfig;
import io.lookout.processors.config.WorkersConfig;
import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.tasks.TaskBody;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.AttachmentDescriptor;
import io.lookout.storage.kafka.message.ClockPulseMessage;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The processors end to end on the real services: Relay-shaped messages (payloads serialized by the
 * real Java SDK) go onto prefixed {@code ingest-*} topics, a processors instance runs with one
 * transport, and the test reads back Postgres, the nodestore and the output topics. Subclasses pick
 * the transport.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PipelineItBase {

  private Vertx vertx;
  private Pool pool;
  private String schema;
  private String prefix;
  private ProcessorsMain processors;
  private KafkaProducer<byte[], byte[]> producer;
  private StorageConfig storage;
  protected long projectId;

  /** {@code inline} or {@code broker}, and the broker's transport. */
  abstract JsonObject pipelineOverrides();

  @BeforeAll
  void start() throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    schema = "it_pipe_" + id;
    prefix = "it-" + id + "-";
    StorageConfig base = StorageConfig.load();
    storage = new StorageConfig(base.stateDir(), base.postgres().withSchema(schema),
        base.redis().withKeyPrefix("it:" + id + ":"), base.rabbitmq(), base.clickhouse(), base.kafka(),
        base.nodestore());
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, storage.postgres());
    PostgresMigrator.migrate(pool, schema).await(60, TimeUnit.SECONDS);

    Map<String, KafkaConfig.TopicConfig> topics = new LinkedHashMap<>();
    for (String topic : List.of(Topics.INGEST_EVENTS, Topics.INGEST_ATTACHMENTS, Topics.INGEST_TRANSACTIONS,
        Topics.INGEST_FEEDBACK_EVENTS, Topics.EVENTS, Topics.TRANSACTIONS, Topics.OUTCOMES)) {
      topics.put(prefix + topic, new KafkaConfig.TopicConfig(2, -1));
    }
    TopicProvisioner.provisionBlocking(storage.kafka(), topics);

    JsonObject json = new JsonObject()
        .put("admin", new JsonObject().put("port", 0))
        .put("pipeline", pipelineOverrides().getJsonObject("pipeline"))
        .put("broker", pipelineOverrides().getJsonObject("broker", new JsonObject()))
        .put("consumers", new JsonObject().put("group", "it-" + id).put("poll_timeout_ms", 50))
        .put("workers", new JsonObject().put("save_batch", new JsonObject().put("max_age_ms", 20)));
    ProcessorsConfig config = ProcessorsConfig.fromJson(json);
    UnaryOperator<String> names = name -> prefix + name;
    ProcessorsMain.Plan plan = ProcessorsMain.Plan.parse(new String[0], config);
    plan = new ProcessorsMain.Plan(plan.consumers(), plan.queues(), plan.concurrency(), false);
    processors = ProcessorsMain.start(vertx, config, storage, plan, names).await(120, TimeUnit.SECONDS);

    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    props.put("acks", "all");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Each test has a project of its own, so counts do not mix. */
  @BeforeEach
  void project() throws Exception {
    projectId = new ProjectAdmin(pool).createProject("acme", "p" + eventId().substring(0, 8), null, null)
        .await(10, TimeUnit.SECONDS).projectId();
  }

  @AfterAll
  void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (processors != null) {
      processors.stop().await(60, TimeUnit.SECONDS);
    }
    pool.query("DROP SCHEMA " + schema + " CASCADE").execute().await(30, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  static String eventId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  void send(String topic, IngestMessage message) throws Exception {
    sendRaw(topic, message.kafkaKey(), IngestCodec.encode(message));
  }

  void sendRaw(String topic, byte[] key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(prefix + topic, key, value)).get(10, TimeUnit.SECONDS);
  }

  EventMessage event(String eventId, String json) {
    return new EventMessage(json.getBytes(StandardCharsets.UTF_8), Instant.now().getEpochSecond(), eventId,
        projectId, "10.1.2.3", List.of());
  }

  long count(String sql) throws Exception {
    return pool.query(sql).execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  /** Polls {@code value} until it equals {@code expected} or 60 s pass; returns the last value. */
  static <T> T await(Supplier<T> value, T expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    T last = value.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = value.get();
    }
    return last;
  }

  Supplier<Long> counting(String sql) {
    return () -> {
      try {
        return count(sql);
      } catch (Exception e) {
        return -1L;
      }
    };
  }

  /** Every record on a prefixed topic, read from the start until {@code expected} are there or 30 s pass. */
  List<ConsumerRecord<byte[], byte[]>> readTopic(String topic, int expected) {
    return readTopic(topic, r -> true, expected);
  }

  /** The records on a prefixed topic that {@code wanted} keeps, read until {@code expected} are there or 30 s pass. */
  List<ConsumerRecord<byte[], byte[]>> readTopic(String topic,
      java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> wanted, int expected) {
    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    props.put("group.id", "it-reader-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(prefix + topic));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (records.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (wanted.test(r)) {
            records.add(r);
          }
        }
      }
    }
    return records;
  }

  void throwFrom(int function) {
    switch (function % 5) {
      case 0 -> failInCheckout();
      case 1 -> failInPayment();
      case 2 -> failInStock();
      case 3 -> failInSearch();
      default -> failInShipping();
    }
  }

  void failInCheckout() {
    throw new IllegalStateException("order " + System.nanoTime() + " is locked");
  }

  void failInPayment() {
    throw new IllegalArgumentException("card " + System.nanoTime() + " declined");
  }

  void failInStock() {
    throw new IllegalStateException("sku " + System.nanoTime() + " sold out");
  }

  void failInSearch() {
    throw new UnsupportedOperationException("query " + System.nanoTime());
  }

  void failInShipping() {
    throw new ArithmeticException("rate " + System.nanoTime());
  }

  String errorJson(String eventId, int function) {
    try {
      throwFrom(function);
      throw new AssertionError("unreachable");
    } catch (RuntimeException e) {
      return SdkEvents.error(eventId, e);
    }
  }

  @Test
  void everyEventIsStoredOnceAndGroupedByBug() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String id = eventId();
      ids.add(id);
      send(Topics.INGEST_EVENTS, event(id, errorJson(id, i)));
    }
    // an SDK retry: the same event ids again, as new Kafka messages
    for (int i = 0; i < 10; i++) {
      send(Topics.INGEST_EVENTS, event(ids.get(i), errorJson(ids.get(i), i)));
    }
    String mine = " FROM groups WHERE project_id = " + projectId;
    long total = await(counting("SELECT coalesce(sum(times_seen), 0)" + mine), 100L);
    assertThat(total).isEqualTo(100);
    assertThat(count("SELECT count(*)" + mine)).isEqualTo(5);
    assertThat(count("SELECT count(*)" + mine + " AND times_seen = 20")).isEqualTo(5);
    assertThat(count("SELECT count(*) FROM nodestore_node")).isGreaterThanOrEqualTo(100);
    JsonObject issue = new JsonObject(pool.query("SELECT row_to_json(g) FROM groups g WHERE culprit LIKE '%failInCheckout%'"
        + " AND project_id = " + projectId)
        .execute().await(10, TimeUnit.SECONDS).iterator().next().getValue(0).toString());
    assertThat(issue.getString("title")).startsWith("IllegalStateException: order ");
    assertThat(issue.getString("culprit")).contains("PipelineItBase in failInCheckout");

    // the topic also holds the other tests' events: count this project's
    java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> mineOnly =
        r -> EventStreamCodec.decode(r.value()) instanceof EventStreamInsert i && i.event().projectId() == projectId;
    List<ConsumerRecord<byte[], byte[]>> stream = readTopic(Topics.EVENTS, mineOnly, 100);
    List<EventStreamInsert> inserts = stream.stream().map(r -> (EventStreamInsert) EventStreamCodec.decode(r.value()))
        .toList();
    assertThat(inserts).hasSizeGreaterThanOrEqualTo(100);
    assertThat(inserts.stream().filter(i -> i.state().isNew())).hasSize(5);
    JsonObject stored = inserts.get(0).event().data();
    assertThat(stored.encode()).doesNotContain("hunter2");
    assertThat(stored.getJsonObject("user").getString("ip_address")).isEqualTo("10.1.2.3");
  }

  @Test
  void badMessagesAreDeadLetteredAndThePipelineKeepsGoing() throws Exception {
    sendRaw(Topics.INGEST_EVENTS, null, "not msgpack at all".getBytes(StandardCharsets.UTF_8));
    send(Topics.INGEST_EVENTS, new ClockPulseMessage());
    String badJson = eventId();
    send(Topics.INGEST_EVENTS, event(badJson, "{not json"));
    String orphan = eventId();
    send(Topics.INGEST_EVENTS, new EventMessage(errorJson(orphan, 0).getBytes(StandardCharsets.UTF_8),
        Instant.now().getEpochSecond(), orphan, 987654321L, null, List.of()));
    String good = eventId();
    send(Topics.INGEST_EVENTS, event(good, SdkEvents.message(good, "after the bad ones")));

    String mine = " FROM groups WHERE title = 'after the bad ones' AND project_id = " + projectId;
    await(counting("SELECT count(*)" + mine), 1L);
    assertThat(count("SELECT count(*)" + mine)).isEqualTo(1);
    List<ConsumerRecord<byte[], byte[]>> dead = readTopic(Topics.INGEST_EVENTS + "-dlq", deadLettersExpected());
    Map<String, Integer> reasons = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      reasons.merge(new String(r.headers().lastHeader("error").value(), StandardCharsets.UTF_8).split(":")[0], 1, Integer::sum);
    }
    assertThat(dead).as("dead letters %s", reasons).hasSizeGreaterThanOrEqualTo(deadLettersExpected());
  }

  /**
   * A task delivered a second time (the consumer read its Kafka message again after a rebalance or a
   * crash) finds its processing-store entry dropped by the task that saved the event: it is acked,
   * not retried into the dead-letter queue. A task for an event that was never saved still is.
   */
  @Test
  void aSecondTaskForASavedEventIsAckedAndOneForAnUnsavedEventIsDeadLettered() throws Exception {
    assumeTrue("broker".equals(pipelineOverrides().getJsonObject("pipeline").getString("transport")));
    String saved = eventId();
    send(Topics.INGEST_EVENTS, event(saved, errorJson(saved, 1)));
    String mine = "SELECT coalesce(sum(times_seen), 0) FROM groups WHERE project_id = " + projectId;
    assertThat(await(counting(mine), 1L)).isEqualTo(1L);
    TaskBroker broker = processors.services().broker().await(10, TimeUnit.SECONDS);
    double duplicates = meterTotal("lookout.tasks.duplicates");
    double dead = meterTotal("broker.tasks.dead_lettered");
    String unsaved = eventId();
    long now = Instant.now().getEpochSecond();
    for (String queue : List.of(WorkersConfig.PROCESS_EVENT, WorkersConfig.SAVE_EVENT)) {
      String stage = queue.equals(WorkersConfig.PROCESS_EVENT) ? "e" : "p";
      for (String id : List.of(saved, unsaved)) {
        broker.publish(queue, new TaskBody(ProcessingStore.eventKey(stage, projectId, id), projectId, id, now).toBuffer())
            .await(10, TimeUnit.SECONDS);
      }
    }
    assertThat(await(() -> meterTotal("lookout.tasks.duplicates") - duplicates, 2.0)).isEqualTo(2.0);
    assertThat(await(() -> meterTotal("broker.tasks.dead_lettered") - dead, 2.0)).isEqualTo(2.0);
    assertThat(count(mine)).isEqualTo(1L);
  }

  private double meterTotal(String name) {
    return processors.services().registry().find(name).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** Garbage, a wrong message type and a missing project are dead-lettered by the consumer. */
  int deadLettersExpected() {
    return 3;
  }

  @Test
  void attachmentsFeedbackAndTransactionsAreStored() throws Exception {
    String errorId = eventId();
    byte[] part1 = "first half, ".getBytes(StandardCharsets.UTF_8);
    byte[] part2 = "second half".getBytes(StandardCharsets.UTF_8);
    send(Topics.INGEST_ATTACHMENTS, new AttachmentChunkMessage(part1, errorId, projectId, "att-1", 0));
    send(Topics.INGEST_ATTACHMENTS, new AttachmentChunkMessage(part2, errorId, projectId, "att-1", 1));
    AttachmentDescriptor file = AttachmentDescriptor.chunked("att-1", "app.log", false, "text/plain",
        "event.attachment", part1.length + part2.length, 2);
    send(Topics.INGEST_ATTACHMENTS, new EventMessage(errorJson(errorId, 2).getBytes(StandardCharsets.UTF_8),
        Instant.now().getEpochSecond(), errorId, projectId, null, List.of(file)));

    String feedbackId = eventId();
    JsonObject feedback = new JsonObject().put("event_id", feedbackId).put("type", "feedback").put("platform", "java")
        .put("timestamp", Instant.now().getEpochSecond())
        .put("contexts", new JsonObject().put("feedback", new JsonObject().put("message", "the button is broken")
            .put("contact_email", "jane@example.com").put("name", "Jane").put("associated_event_id", errorId)));
    send(Topics.INGEST_FEEDBACK_EVENTS, event(feedbackId, feedback.encode()));

    String txId = eventId();
    double now = Instant.now().toEpochMilli() / 1000.0;
    JsonObject transaction = new JsonObject().put("event_id", txId).put("type", "transaction").put("platform", "java")
        .put("transaction", "GET /orders").put("start_timestamp", now - 0.25).put("timestamp", now)
        .put("contexts", new JsonObject().put("trace", new JsonObject().put("trace_id", eventId())
            .put("span_id", eventId().substring(0, 16)).put("op", "http.server")));
    send(Topics.INGEST_TRANSACTIONS, event(txId, transaction.encode()));

    await(counting("SELECT count(*) FROM event_attachments WHERE event_id = '" + errorId + "'"), 1L);
    assertThat(new String(pool.query("SELECT b.data FROM event_attachments a JOIN file_blobs b ON b.id = a.blob_id "
        + "WHERE a.event_id = '" + errorId + "'").execute().await(10, TimeUnit.SECONDS).iterator().next()
        .getBuffer(0).getBytes(), StandardCharsets.UTF_8)).isEqualTo("first half, second half");
    assertThat(count("SELECT count(*) FROM event_attachments WHERE event_id = '" + errorId
        + "' AND group_id IS NOT NULL")).isEqualTo(1);
    await(counting("SELECT count(*) FROM user_reports WHERE comments = 'the button is broken'"), 1L);
    assertThat(count("SELECT count(*) FROM user_reports WHERE event_id = '" + errorId + "'")).isEqualTo(1);
    List<ConsumerRecord<byte[], byte[]>> transactions = readTopic(Topics.TRANSACTIONS, 1);
    assertThat(transactions).hasSizeGreaterThanOrEqualTo(1);
    EventStreamInsert tx = (EventStreamInsert) EventStreamCodec.decode(transactions.get(0).value());
    assertThat(tx.event().eventId()).isEqualTo(txId);
    assertThat(tx.event().groupId()).isNull();
  }
}

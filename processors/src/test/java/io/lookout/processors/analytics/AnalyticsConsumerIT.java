package io.lookout.processors.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.SdkEvents;
import io.lookout.processors.config.EventStreamConfig;
import io.lookout.processors.grouping.Grouper;
import io.lookout.processors.grouping.GroupingConfig;
import io.lookout.processors.grouping.GroupingResult;
import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.normalize.EventNormalizer;
import io.lookout.processors.normalize.NormalizeConfig;
import io.lookout.processors.process.EventProcessor;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.project.ProjectInfo;
import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.lookout.storage.kafka.message.EventStreamOperation;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The analytics consumers on the real Kafka and ClickHouse (18.16 here): eventstream inserts built
 * the way the save stage builds them (Java SDK payloads, normalized and grouped by the real code,
 * encoded with {@link EventStreamCodec}) go onto prefixed {@code events}/{@code transactions}, the
 * verticles run in their own group, and the test reads ClickHouse (own database), the consumer
 * group's offsets and the prefixed {@code snuba-commit-log}. Each test has its own projects and group.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsConsumerIT {

  private static final AtomicLong PROJECTS = new AtomicLong(System.nanoTime() % 1_000_000_000L);

  private final EventProcessor processor = new EventProcessor(new EventNormalizer(NormalizeConfig.defaults()));
  private final Grouper grouper = new Grouper(GroupingConfig.defaults());

  private Vertx vertx;
  private StorageConfig storage;
  private ClickHouseConfig clickhouseConfig;
  private ClickHouseWriter clickhouse;
  private AnalyticsQueries queries;
  private BatchProducer commitLogProducer;
  private KafkaProducer<byte[], byte[]> producer;
  private Admin admin;
  private String prefix;
  private Instant classStart;
  private UnaryOperator<String> names;
  private final List<String> deployments = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    classStart = Instant.now();
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    prefix = "it-an-" + id + "-";
    names = name -> prefix + name;
    storage = StorageConfig.load();
    vertx = Vertx.vertx();
    clickhouseConfig = storage.clickhouse().withDatabase("it_an_" + id);
    ClickHouseMigrator.create(vertx, clickhouseConfig).migrate().await(60, TimeUnit.SECONDS);
    clickhouse = ClickHouseWriter.create(vertx, clickhouseConfig);
    queries = new AnalyticsQueries(clickhouse);

    Map<String, KafkaConfig.TopicConfig> topics = new LinkedHashMap<>();
    topics.put(prefix + Topics.EVENTS, new KafkaConfig.TopicConfig(2, -1));
    topics.put(prefix + Topics.TRANSACTIONS, new KafkaConfig.TopicConfig(2, -1));
    topics.put(prefix + Topics.SNUBA_COMMIT_LOG, new KafkaConfig.TopicConfig(1, -1));
    TopicProvisioner.provisionBlocking(storage.kafka(), topics);

    String bootstrap = storage.kafka().bootstrapServers();
    commitLogProducer = new BatchProducer(vertx, EventStreamConfig.fromJson(new JsonObject())
        .properties(bootstrap, "it-analytics-commit-log"));
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("acks", "all");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    Properties adminProps = new Properties();
    adminProps.put("bootstrap.servers", bootstrap);
    admin = Admin.create(adminProps);
  }

  @AfterEach
  void undeploy() throws Exception {
    for (String deployment : deployments) {
      vertx.undeploy(deployment).await(60, TimeUnit.SECONDS);
    }
    deployments.clear();
  }

  @AfterAll
  void stop() throws Exception {
    if (producer != null) {
      producer.close();
    }
    if (commitLogProducer != null) {
      commitLogProducer.close().await(30, TimeUnit.SECONDS);
    }
    if (admin != null) {
      admin.deleteTopics(List.of(prefix + Topics.EVENTS, prefix + Topics.TRANSACTIONS,
          prefix + Topics.SNUBA_COMMIT_LOG)).all().get(30, TimeUnit.SECONDS);
      admin.close();
    }
    if (clickhouse != null) {
      clickhouse.close().await(30, TimeUnit.SECONDS);
      ClickHouseWriter system = ClickHouseWriter.create(vertx, clickhouseConfig.withDatabase("system"));
      system.execute("DROP DATABASE IF EXISTS " + clickhouseConfig.database()).await(60, TimeUnit.SECONDS);
      system.close().await(30, TimeUnit.SECONDS);
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  void errorsAndTransactionsBecomeRowsWithTheirGroupAndColumns() throws Exception {
    long project = PROJECTS.incrementAndGet();
    String group = "it-an-cols-" + project;
    SimpleMeterRegistry registry = deploy(group, 100);

    Saved checkout1 = error(project, 77, failure("order 1 is locked"));
    Saved checkout2 = error(project, 77, failure("order 2 is locked"));
    Saved other = error(project, 78, new ArithmeticException("rate 0"));
    for (Saved s : List.of(checkout1, checkout2, other)) {
      send(Topics.EVENTS, s.insert());
    }
    String txId = eventId();
    String traceId = eventId();
    send(Topics.TRANSACTIONS, transaction(project, txId, traceId));
    // a replacement and a transaction on the errors topic make no error row
    sendRaw(Topics.EVENTS, EventStreamCodec.encode(new EventStreamOperation(2, "start_delete_groups",
        new JsonObject().put("project_id", project).put("group_ids", new JsonArray().add(77)))));

    assertThat(await(() -> count(() -> queries.countErrors(project)), 3L)).isEqualTo(3L);
    assertThat(await(() -> count(() -> queries.countTransactions(project)), 1L)).isEqualTo(1L);

    JsonObject row = queries.errorRow(project, checkout1.eventId()).await(30, TimeUnit.SECONDS);
    assertThat(row).isNotNull();
    assertThat(row.getLong("group_id")).isEqualTo(77L);
    assertThat(row.getString("primary_hash")).isEqualTo(checkout1.grouping().primaryHash());
    assertThat(row.getString("title")).isEqualTo(checkout1.grouping().title()).startsWith("IllegalStateException");
    assertThat(row.getString("culprit")).isEqualTo(checkout1.grouping().culprit()).contains("failure");
    assertThat(row.getString("platform")).isEqualTo("java");
    assertThat(row.getString("level")).isEqualTo("error");
    assertThat(row.getString("environment")).isEqualTo("production");
    assertThat(row.getString("release")).isEqualTo("shop@1.2.3");
    assertThat(row.getString("type")).isEqualTo("error");
    assertThat(row.getString("user_id")).isEqualTo("42");
    assertThat(row.getString("ip_address_v4")).isEqualTo("10.1.2.3");
    assertThat(row.getString("user")).isEqualTo("id:42");
    assertThat(row.getString("sdk_name")).isEqualTo("sentry.java");
    assertThat(row.getInteger("retention_days")).isEqualTo(90);
    assertThat(row.getLong("timestamp_s")).isEqualTo(checkout1.timestamp().getEpochSecond());
    Map<String, String> tags = zip(row.getJsonArray("tags.key"), row.getJsonArray("tags.value"));
    assertThat(tags).containsEntry("feature", "checkout").containsEntry("region", "eu")
        .containsEntry("level", "error").containsEntry("sentry:release", "shop@1.2.3");
    assertThat(row.getJsonArray("tags.key").getList()).isSorted();
    Map<String, String> contexts = zip(row.getJsonArray("contexts.key"), row.getJsonArray("contexts.value"));
    assertThat(contexts).containsEntry("runtime.name", "Java").containsEntry("os.version", "6.1")
        .doesNotContainKey("runtime.type");
    assertThat(row.getJsonArray("exception_stacks.type").getList()).containsExactly("IllegalStateException");
    assertThat(row.getJsonArray("exception_stacks.value").getList()).containsExactly("order 1 is locked");
    List<Object> functions = row.getJsonArray("exception_frames.function").getList();
    assertThat(functions).contains("failure");
    int failureFrame = functions.indexOf("failure");
    assertThat(row.getJsonArray("exception_frames.module").getString(failureFrame))
        .isEqualTo(AnalyticsConsumerIT.class.getName());
    assertThat(row.getJsonArray("exception_frames.in_app").getValue(failureFrame)).isIn(1, 1L);
    assertThat(row.getJsonArray("exception_frames.lineno").getValue(failureFrame)).isNotNull();
    assertThat(row.getJsonArray("exception_frames.stack_level").size()).isEqualTo(functions.size());

    JsonObject otherRow = queries.errorRow(project, other.eventId()).await(30, TimeUnit.SECONDS);
    assertThat(otherRow.getLong("group_id")).isEqualTo(78L);
    assertThat(otherRow.getJsonArray("exception_stacks.type").getList()).containsExactly("ArithmeticException");

    JsonObject tx = queries.transactionRow(project, txId).await(30, TimeUnit.SECONDS);
    assertThat(tx).isNotNull();
    assertThat(tx.getString("transaction_name")).isEqualTo("GET /orders");
    assertThat(tx.getString("transaction_op")).isEqualTo("http.server");
    assertThat(tx.getString("transaction_status")).isEqualTo("ok");
    assertThat(tx.getString("trace_id").replace("-", "")).isEqualTo(traceId);
    assertThat(tx.getString("span_id")).hasSize(16);
    assertThat(tx.getLong("duration")).isEqualTo(250L);
    assertThat(tx.getString("release")).isEqualTo("shop@1.2.3");
    assertThat(tx.getString("environment")).isEqualTo("production");
    assertThat(zip(tx.getJsonArray("contexts.key"), tx.getJsonArray("contexts.value")))
        .containsEntry("trace.op", "http.server").doesNotContainKey("trace.trace_id");

    assertThat(await(() -> counter(registry, "other_operation"), 1.0)).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void aReplayFromTheBeginningDoesNotShowEventsTwice() throws Exception {
    long project = PROJECTS.incrementAndGet();
    String group = "it-an-replay-" + project;
    deploy(group, 100);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Saved s = error(project, 1000 + i % 4, failure("order " + i + " is locked"));
      ids.add(s.eventId());
      send(Topics.EVENTS, s.insert());
    }
    assertThat(await(() -> count(() -> queries.countErrors(project)), 40L)).isEqualTo(40L);
    awaitCommittedToEnd(group, Topics.EVENTS);
    undeploy();

    // as after a crash between insert and commit: the same batches again, in the same group
    Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
    for (TopicPartition tp : partitions(Topics.EVENTS)) {
      beginning.put(tp, new OffsetAndMetadata(0));
    }
    admin.alterConsumerGroupOffsets(group, beginning).all().get(30, TimeUnit.SECONDS);
    SimpleMeterRegistry again = deploy(group, 100);
    assertThat(await(() -> counter(again, "row"), 40.0)).isGreaterThanOrEqualTo(40.0);
    awaitCommittedToEnd(group, Topics.EVENTS);

    assertThat(queries.countErrors(project).await(30, TimeUnit.SECONDS)).isEqualTo(40L);
    for (String id : ids.subList(0, 3)) {
      assertThat(queries.errorRow(project, id).await(30, TimeUnit.SECONDS)).isNotNull();
    }
    long stored = clickhouse.query("SELECT count() AS c FROM errors WHERE project_id = " + project)
        .await(30, TimeUnit.SECONDS).get(0).getLong("c");
    // both copies stay stored until a merge collapses them; the query side never shows them twice
    assertThat(stored).isBetween(40L, 80L);
  }

  @Test
  void commitLogHoldsTheCommittedOffsetOfEveryPartitionUnderTheGroupsKey() throws Exception {
    long project = PROJECTS.incrementAndGet();
    String group = "it-an-log-" + project;
    // a partition's last message may be another test's: all of this class's run
    long before = classStart.minusSeconds(5).toEpochMilli();
    deploy(group, 100);
    for (int i = 0; i < 10; i++) {
      send(Topics.EVENTS, error(project, 2000, failure("order " + i + " is locked")).insert());
    }
    assertThat(await(() -> count(() -> queries.countErrors(project)), 10L)).isEqualTo(10L);
    Map<TopicPartition, Long> ends = awaitCommittedToEnd(group, Topics.EVENTS);

    Map<String, CommitLog.Commit> latest = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String eventsTopic = prefix + Topics.EVENTS;
    while (System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> r : readTopic(Topics.SNUBA_COMMIT_LOG)) {
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (key.endsWith(":" + group)) {
          latest.put(key, CommitLog.decode(r));
        }
      }
      boolean complete = ends.entrySet().stream().filter(e -> e.getValue() > 0).allMatch(e -> {
        CommitLog.Commit c = latest.get(eventsTopic + ":" + e.getKey().partition() + ":" + group);
        return c != null && c.offset() == e.getValue();
      });
      if (complete) {
        break;
      }
      Thread.sleep(200);
    }
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      if (end.getValue() == 0) {
        continue;
      }
      CommitLog.Commit commit = latest.get(eventsTopic + ":" + end.getKey().partition() + ":" + group);
      assertThat(commit).as("commit of partition %s", end.getKey()).isNotNull();
      assertThat(commit.topic()).isEqualTo(eventsTopic);
      assertThat(commit.group()).isEqualTo(group);
      assertThat(commit.offset()).isEqualTo(end.getValue());
      assertThat(commit.origMessageTs() * 1000).isGreaterThan(before)
          .isLessThan(Instant.now().plusSeconds(60).toEpochMilli());
    }
  }

  @Test
  void undecodableMessagesAreSkippedCountedAndCommitted() throws Exception {
    long project = PROJECTS.incrementAndGet();
    String group = "it-an-bad-" + project;
    SimpleMeterRegistry registry = deploy(group, 100);
    String uniqueTag = "bad-" + project;
    // all on partition 0, in order, before and after a good event
    sendRaw(Topics.EVENTS, 0, "not json at all".getBytes(StandardCharsets.UTF_8));
    sendRaw(Topics.EVENTS, 0, "[2, \"insert\", {\"event_id\": \"nope\"}, {}]".getBytes(StandardCharsets.UTF_8));
    Saved old = error(project, 3000, failure("old protocol " + uniqueTag));
    byte[] v1 = new String(EventStreamCodec.encode(old.insert()), StandardCharsets.UTF_8)
        .replaceFirst("^\\[2,", "[1,").getBytes(StandardCharsets.UTF_8);
    sendRaw(Topics.EVENTS, 0, v1);
    Saved good = error(project, 3001, failure("after the bad ones"));
    producer.send(record(Topics.EVENTS, 0, good.insert())).get(10, TimeUnit.SECONDS);

    assertThat(await(() -> count(() -> queries.countErrors(project)), 1L)).isEqualTo(1L);
    assertThat(queries.errorRow(project, good.eventId()).await(30, TimeUnit.SECONDS).getLong("group_id"))
        .isEqualTo(3001L);
    assertThat(queries.errorRow(project, old.eventId()).await(30, TimeUnit.SECONDS)).isNull();
    assertThat(counter(registry, "invalid")).isGreaterThanOrEqualTo(2.0);
    assertThat(counter(registry, "other_version")).isGreaterThanOrEqualTo(1.0);
    Map<TopicPartition, Long> committed = awaitCommittedToEnd(group, Topics.EVENTS);
    assertThat(committed.get(new TopicPartition(prefix + Topics.EVENTS, 0))).isGreaterThanOrEqualTo(4L);
  }

  // ------------------------------------------------------------------------------------ helpers

  private SimpleMeterRegistry deploy(String group, long maxBatchTimeMs) throws Exception {
    AnalyticsConfig config = AnalyticsConfig.fromJson(new JsonObject().put("group", group)
        .put("max_batch_time_ms", maxBatchTimeMs).put("poll_timeout_ms", 50).put("retry_delay_ms", 200));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    for (String topic : AnalyticsConfig.TOPICS) {
      deployments.add(vertx.deployVerticle(new AnalyticsConsumerVerticle(config, topic, 0,
          storage.kafka().bootstrapServers(), clickhouse, commitLogProducer, names, registry))
          .await(30, TimeUnit.SECONDS));
    }
    return registry;
  }

  private static double counter(SimpleMeterRegistry registry, String result) {
    return registry.find(AnalyticsMetrics.MESSAGES).tag("result", result).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  record Saved(String eventId, Instant timestamp, GroupingResult grouping, EventStreamInsert insert) {
  }

  /** An error event as the save stage publishes it: SDK payload, normalized, grouped, in group {@code groupId}. */
  private Saved error(long project, long groupId, Throwable error) {
    String eventId = eventId();
    // the SDK's client adds its name and version when it sends the event
    JsonObject payload = new JsonObject(SdkEvents.error(eventId, error))
        .put("sdk", new JsonObject().put("name", "sentry.java").put("version", "8.63.0"))
        .put("contexts", new JsonObject()
            .put("runtime", new JsonObject().put("name", "Java").put("version", "17.0.15"))
            .put("os", new JsonObject().put("name", "Linux").put("version", "6.1")));
    EventMessage message = new EventMessage(payload.encode().getBytes(StandardCharsets.UTF_8),
        Instant.now().getEpochSecond(), eventId, project, "10.1.2.3", List.of());
    ProcessedEvent processed = processor.process(message, new ProjectInfo(project, 1, "p" + project, true,
        new JsonObject()));
    JsonObject event = processed.event();
    GroupingResult grouping = grouper.group(event);
    event.put("group_id", groupId).put("hashes", new JsonArray(grouping.hashes())).put("title", grouping.title())
        .put("culprit", grouping.culprit()).put("location", grouping.location())
        .put("metadata", grouping.metadata()).put("type", grouping.type());
    EventStreamInsert insert = new EventStreamInsert(new EventStreamInsert.Event(eventId, project, 1L, groupId,
        List.of(groupId), grouping.title(), event.getString("platform"), processed.timestamp(), event,
        grouping.primaryHash(), 90, null, null),
        new EventStreamInsert.State(false, false, false, EventStreamInsert.QUEUE_POST_PROCESS_ERRORS, false, null));
    return new Saved(eventId, processed.timestamp(), grouping, insert);
  }

  private EventStreamInsert transaction(long project, String txId, String traceId) {
    double now = Instant.now().toEpochMilli() / 1000.0;
    JsonObject payload = new JsonObject().put("event_id", txId).put("type", "transaction").put("platform", "java")
        .put("transaction", "GET /orders").put("start_timestamp", now - 0.25).put("timestamp", now)
        .put("release", "shop@1.2.3").put("environment", "production")
        .put("sdk", new JsonObject().put("name", "sentry.java").put("version", "8.63.0"))
        .put("contexts", new JsonObject().put("trace", new JsonObject().put("trace_id", traceId)
            .put("span_id", eventId().substring(0, 16)).put("op", "http.server").put("status", "ok")));
    EventMessage message = new EventMessage(payload.encode().getBytes(StandardCharsets.UTF_8),
        Instant.now().getEpochSecond(), txId, project, null, List.of());
    ProcessedEvent processed = processor.process(message, new ProjectInfo(project, 1, "p" + project, true,
        new JsonObject()));
    return new EventStreamInsert(new EventStreamInsert.Event(txId, project, 1L, null, List.of(), "GET /orders",
        "java", processed.timestamp(), processed.event(), null, 90, null, null),
        new EventStreamInsert.State(false, false, false, EventStreamInsert.QUEUE_POST_PROCESS_TRANSACTIONS, false,
            null));
  }

  private Throwable failure(String message) {
    try {
      throw new IllegalStateException(message);
    } catch (IllegalStateException e) {
      return e;
    }
  }

  static String eventId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private void send(String topic, EventStreamInsert insert) throws Exception {
    producer.send(record(topic, null, insert)).get(10, TimeUnit.SECONDS);
  }

  private ProducerRecord<byte[], byte[]> record(String topic, Integer partition, EventStreamInsert insert) {
    ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(prefix + topic, partition,
        EventStreamCodec.key(insert.event().projectId()), EventStreamCodec.encode(insert));
    for (Map.Entry<String, String> h : EventStreamCodec.headers(insert, Instant.now().getEpochSecond()).entrySet()) {
      record.headers().add(new RecordHeader(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8)));
    }
    return record;
  }

  private void sendRaw(String topic, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(prefix + topic, value)).get(10, TimeUnit.SECONDS);
  }

  private void sendRaw(String topic, int partition, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(prefix + topic, partition, null, value)).get(10, TimeUnit.SECONDS);
  }

  private List<TopicPartition> partitions(String topic) {
    return List.of(new TopicPartition(prefix + topic, 0), new TopicPartition(prefix + topic, 1));
  }

  /** Waits until the group has committed every partition of {@code topic} to its end; returns the ends. */
  private Map<TopicPartition, Long> awaitCommittedToEnd(String group, String topic) throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicPartition tp : partitions(topic)) {
      latest.put(tp, OffsetSpec.latest());
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
    Supplier<Boolean> reached = () -> {
      try {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        return ends.entrySet().stream().allMatch(e -> e.getValue() == 0
            || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue()));
      } catch (Exception e) {
        return false;
      }
    };
    assertThat(await(reached, true)).as("group %s committed %s to its end %s", group, topic, ends).isTrue();
    return ends;
  }

  private List<ConsumerRecord<byte[], byte[]>> readTopic(String topic) {
    Properties props = new Properties();
    props.put("bootstrap.servers", storage.kafka().bootstrapServers());
    props.put("group.id", "it-reader-" + UUID.randomUUID());
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = List.of(new TopicPartition(prefix + topic, 0));
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      long end = consumer.endOffsets(tps).get(tps.get(0));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (consumer.position(tps.get(0)) < end && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private static Map<String, String> zip(JsonArray keys, JsonArray values) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      out.put(keys.getString(i), String.valueOf(values.getValue(i)));
    }
    return out;
  }

  private static long count(Supplier<io.vertx.core.Future<Long>> query) {
    try {
      return query.get().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      return -1L;
    }
  }

  /** Polls {@code value} until it is at least / equals {@code expected} or 60 s pass; returns the last value. */
  private static <T> T await(Supplier<T> value, T expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    T last = value.get();
    while (!reached(last, expected) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      last = value.get();
    }
    return last;
  }

  private static boolean reached(Object last, Object expected) {
    if (last instanceof Double d && expected instanceof Double e) {
      return d >= e;
    }
    return expected.equals(last);
  }
}

package io.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.kafka.Topics;
import io.lookout.storage.nodestore.Nodestore;
import io.vertx.sqlclient.Row;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash safety: the processors run as an OS process of their own and are {@code kill -9}ed twice
 * while a steady stream of events goes through the gateway: once in the middle of the stream, and
 * once while the restarted process works through the backlog that piled up while none ran. After a
 * last restart, every event that got a 200 is stored exactly once: one nodestore row each, each
 * counted once in its issue's {@code times_seen}, one issue per bug, no duplicate group hashes.
 * For the default transport (RabbitMQ between the stages) and for {@code inline}.
 */
class CrashSafetyIT {

  private static final Logger LOG = LoggerFactory.getLogger(CrashSafetyIT.class);
  private static final int ISSUES = 30;
  private static final int PER_SECOND = 250;
  private static final int SECONDS = 10;
  private static final int MAX_IN_FLIGHT = 32;
  /** Events the restarted process must have saved before the second kill, so that it dies mid-backlog. */
  private static final int PROGRESS_BEFORE_SECOND_KILL = 100;

  /**
   * With {@code broker}, {@code times_seen} is only checked not to lose events: a replayed event can be
   * counted twice (see {@code brokerTransportCountsEachReplayedEventOnce}).
   */
  @ParameterizedTest(name = "pipeline.transport={0}")
  @ValueSource(strings = {"broker", "inline"})
  void everyAcceptedEventIsStoredExactlyOnceAcrossKills(String transport) throws Exception {
    killTwiceAndCheck(transport, true);
  }

  private static void killTwiceAndCheck(String transport, boolean exactCounts) throws Exception {
    try (E2eStack stack = E2eStack.create()) {
      stack.startGateway();
      Map<String, String> env = environment(stack, transport);
      Path log = Path.of("target", "e2e-logs", "processors-" + transport + "-" + stack.id + ".log");
      LOG.info("processors output: {}", log.toAbsolutePath());
      ProcessorsProcess processors = ProcessorsProcess.start(env, log).awaitRunning();
      EventStream stream = new EventStream(stack, PER_SECOND, SECONDS, ISSUES, MAX_IN_FLIGHT);
      Thread sender = new Thread(stream, "e2e-stream");
      try {
        sender.start();

        // round 1: kill -9 in the middle of the steady stream, restart at once
        awaitCondition("half the stream sent", () -> stream.sent() >= stream.total() / 2 || stream.done());
        long storedAtFirstKill = stored(stack);
        processors.kill();
        LOG.info("killed processors mid-stream: {} sent, {} accepted, {} stored", stream.sent(),
            stream.accepted.size(), storedAtFirstKill);
        processors = ProcessorsProcess.start(env, log).awaitRunning();

        // round 2: kill -9 once the new process is busy with the backlog of the time none ran
        long before = stored(stack);
        awaitCondition("the restarted processors saving", () -> stored(stack) >= before + PROGRESS_BEFORE_SECOND_KILL);
        long storedAtSecondKill = stored(stack);
        long backlog = stream.accepted.size() - storedAtSecondKill;
        processors.kill();
        LOG.info("killed processors in the backlog: {} accepted, {} stored", stream.accepted.size(),
            storedAtSecondKill);
        assertThat(backlog).as("events accepted but not yet stored at the second kill").isPositive();
        processors = ProcessorsProcess.start(env, log).awaitRunning();

        sender.join(TimeUnit.SECONDS.toMillis(SECONDS * 6L));
        assertThat(stream.done()).as("the stream finished").isTrue();
        LOG.info("stream done: statuses {}, accepted {}", stream.statuses, stream.accepted.size());
        assertThat(stream.accepted).as("events the gateway accepted").hasSizeGreaterThan(stream.total() / 2);

        long expected = stream.accepted.size() + storedOf(stack, stream.refused);
        // on timeout the assertions below say what is missing
        poll(() -> stored(stack) >= expected && timesSeen(stack) >= expected && caughtUp(stack));
        assertStoredExactlyOnce(stack, stream, expected, exactCounts);
      } finally {
        sender.interrupt();
        processors.stop();
      }
    }
  }

  private static void assertStoredExactlyOnce(E2eStack stack, EventStream stream, long expected, boolean exactCounts)
      throws Exception {
    String[] acceptedNodes = stream.accepted.stream().map(id -> Nodestore.nodeId(stack.projectId(), id))
        .toArray(String[]::new);
    assertThat(stack.count("SELECT count(*) FROM nodestore_node WHERE id = ANY($1)", (Object) acceptedNodes))
        .as("accepted events with a nodestore row").isEqualTo(stream.accepted.size());
    assertThat(stored(stack)).as("nodestore rows").isEqualTo(expected);
    assertThat(stack.count("SELECT count(DISTINCT id) FROM nodestore_node")).as("distinct nodestore ids")
        .isEqualTo(expected);
    if (exactCounts) {
      assertThat(timesSeen(stack)).as("sum(times_seen)").isEqualTo(expected);
    } else {
      assertThat(timesSeen(stack)).as("sum(times_seen)").isGreaterThanOrEqualTo(expected);
    }

    long project = stack.projectId();
    assertThat(stack.count("SELECT count(*) FROM groups WHERE project_id = $1", project)).as("issues")
        .isEqualTo(ISSUES);
    assertThat(stack.count("SELECT count(DISTINCT metadata->>'type') FROM groups WHERE project_id = $1", project))
        .as("issues with distinct exception types").isEqualTo(ISSUES);
    assertThat(stack.count("SELECT count(*) FROM (SELECT hash FROM group_hashes WHERE project_id = $1"
        + " GROUP BY hash HAVING count(*) > 1) d", project)).as("hashes with more than one row").isZero();
    assertThat(stack.count("SELECT count(DISTINCT group_id) FROM group_hashes WHERE project_id = $1", project))
        .as("issues that own a hash").isEqualTo(ISSUES);
    assertThat(stack.count("SELECT count(DISTINCT short_id) FROM groups WHERE project_id = $1", project))
        .as("distinct short ids").isEqualTo(ISSUES);

    Map<String, Long> seenByType = new HashMap<>();
    for (Row row : stack.pool.preparedQuery("SELECT metadata->>'type', times_seen FROM groups WHERE project_id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(project)).await(30, TimeUnit.SECONDS)) {
      seenByType.put(row.getString(0), row.getLong(1));
    }
    for (int issue = 0; issue < ISSUES; issue++) {
      long accepted = stream.acceptedPerIssue.get(issue);
      Long seen = seenByType.get("Step" + issue + "Exception");
      assertThat(seen).as("times_seen of issue %d", issue).isNotNull();
      if (stream.refused.isEmpty() && exactCounts) {
        assertThat(seen).as("times_seen of issue %d", issue).isEqualTo(accepted);
      } else {
        assertThat(seen).as("times_seen of issue %d", issue).isGreaterThanOrEqualTo(accepted);
      }
    }
  }

  /** The processors' configuration: the repository's conf/ plus the operator's environment overrides. */
  private static Map<String, String> environment(E2eStack stack, String transport) {
    Map<String, String> env = new HashMap<>();
    env.put("LOOKOUT_STORAGE__POSTGRES__SCHEMA", stack.schema);
    env.put("LOOKOUT_STORAGE__REDIS__KEY_PREFIX", stack.redisPrefix);
    env.put("LOOKOUT_PROCESSORS__PIPELINE__TRANSPORT", transport);
    env.put("LOOKOUT_PROCESSORS__PIPELINE__TOPIC_PREFIX", stack.topicPrefix);
    env.put("LOOKOUT_PROCESSORS__CONSUMERS__GROUP", stack.consumerGroup);
    // the group hands a killed member's partitions over once its session times out: keep it short
    env.put("LOOKOUT_PROCESSORS__CONSUMERS__SESSION_TIMEOUT_MS", "6000");
    env.put("LOOKOUT_PROCESSORS__BROKER__TRANSPORT", "rabbitmq");
    env.put("LOOKOUT_PROCESSORS__BROKER__QUEUE_PREFIX", stack.queuePrefix);
    // small polls and save batches: the backlog of the restart takes dozens of transactions, so the
    // second kill (polled every 200 ms) lands in the middle of it however fast the processors are
    env.put("LOOKOUT_PROCESSORS__CONSUMERS__MAX_POLL_RECORDS", "25");
    env.put("LOOKOUT_PROCESSORS__WORKERS__SAVE_BATCH__MAX_ITEMS", "25");
    env.put("LOOKOUT_PROCESSORS__ADMIN__PORT", "0");
    env.put("LOOKOUT_PROCESSORS__API__PORT", "0");
    env.put("LOOKOUT_LOG_LEVEL", "INFO");
    return env;
  }

  private static long stored(E2eStack stack) {
    try {
      return stack.count("SELECT count(*) FROM nodestore_node");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static long timesSeen(E2eStack stack) {
    try {
      return stack.count("SELECT coalesce(sum(times_seen), 0) FROM groups WHERE project_id = $1", stack.projectId());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** How many of {@code eventIds} (refused by the gateway, but maybe produced) were stored anyway. */
  private static long storedOf(E2eStack stack, java.util.Set<String> eventIds) throws Exception {
    if (eventIds.isEmpty()) {
      return 0;
    }
    String[] nodes = eventIds.stream().map(id -> Nodestore.nodeId(stack.projectId(), id)).toArray(String[]::new);
    return stack.count("SELECT count(*) FROM nodestore_node WHERE id = ANY($1)", (Object) nodes);
  }

  /** Whether the consumer group has committed every record of ingest-events. */
  private static boolean caughtUp(E2eStack stack) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.storage.kafka().bootstrapServers());
    try (Admin admin = Admin.create(props)) {
      String topic = stack.topicPrefix + Topics.INGEST_EVENTS;
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(stack.consumerGroup + "-" + Topics.INGEST_EVENTS)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
          .get(30, TimeUnit.SECONDS);
      for (TopicPartition p : partitions) {
        long end = ends.get(p).offset();
        OffsetAndMetadata done = committed.get(p);
        if (end > 0 && (done == null || done.offset() < end)) {
          return false;
        }
      }
      return true;
    } catch (Exception e) {
      LOG.debug("lag check failed: {}", e.toString());
      return false;
    }
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    if (!poll(condition)) {
      throw new AssertionError("not within " + ApiClient.DEADLINE + ": " + what);
    }
  }

  /** Polls {@code condition} until it holds (true) or the deadline passes (false). */
  private static boolean poll(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + ApiClient.DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    return true;
  }
}

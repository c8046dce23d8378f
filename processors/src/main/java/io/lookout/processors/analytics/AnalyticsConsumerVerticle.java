package io.lookout.processors.analytics;

import io.lookout.processors.ingest.KafkaBatchConsumer;
import io.lookout.processors.kafka.BatchProducer;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Clock;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * One analytics consumer instance (Snuba's errors or transactions consumer): reads the eventstream on
 * {@code events} or {@code transactions}, writes ClickHouse {@code errors} or {@code transactions}
 * in batches ({@link AnalyticsStep}), commits a batch's offsets once its insert succeeded, then
 * publishes them to {@code snuba-commit-log} ({@link CommitLogPublisher}). Deploy several per topic
 * for more parallelism (up to its partition count), in one process or many.
 *
 * <p>Replays are harmless: a batch inserted but not committed before a crash is inserted again, and
 * the tables are {@code ReplacingMergeTree}s keyed by the event id, read with {@code FINAL}
 * ({@link AnalyticsQueries}).
 */
public final class AnalyticsConsumerVerticle extends VerticleBase {

  private final AnalyticsConfig config;
  private final String topic;
  private final int index;
  private final String bootstrapServers;
  private final ClickHouseWriter writer;
  private final BatchProducer producer;
  private final UnaryOperator<String> topics;
  private final MeterRegistry registry;
  private AnalyticsStep step;
  private CommitLogPublisher publisher;
  private KafkaBatchConsumer consumer;

  /**
   * @param topic {@link Topics#EVENTS} or {@link Topics#TRANSACTIONS} (Sentry's names; {@code topics}
   *     maps them, and {@link Topics#SNUBA_COMMIT_LOG}, to the ones used)
   * @param index this instance's number among the topic's instances (names its Kafka client)
   * @param producer the producer of the commit log (acks=all); not closed by this verticle
   * @param writer the ClickHouse writer; not closed by this verticle
   */
  public AnalyticsConsumerVerticle(AnalyticsConfig config, String topic, int index, String bootstrapServers,
      ClickHouseWriter writer, BatchProducer producer, UnaryOperator<String> topics, MeterRegistry registry) {
    if (!AnalyticsConfig.TOPICS.contains(topic)) {
      throw new IllegalArgumentException("no analytics consumer for topic " + topic + " (known: "
          + AnalyticsConfig.TOPICS + ")");
    }
    this.config = config;
    this.topic = topic;
    this.index = index;
    this.bootstrapServers = bootstrapServers;
    this.writer = writer;
    this.producer = producer;
    this.topics = topics;
    this.registry = registry;
  }

  /** The mapper for a topic: {@code events} to {@code errors}, {@code transactions} to {@code transactions}. */
  public static RowMapper mapperFor(String topic, AnalyticsConfig config) {
    return Topics.TRANSACTIONS.equals(topic)
        ? new TransactionRowMapper(config.retentionDays(), config.discardOldEvents())
        : new ErrorRowMapper(config.retentionDays(), config.discardOldEvents());
  }

  @Override
  public Future<?> start() {
    String actual = topics.apply(topic);
    step = new AnalyticsStep(vertx, actual, mapperFor(topic, config), writer, config, Clock.systemUTC(), registry);
    publisher = new CommitLogPublisher(vertx, producer, topics.apply(Topics.SNUBA_COMMIT_LOG), config.group(),
        config.retryDelayMs(), actual, registry);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", config.group());
    props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
    props.put("session.timeout.ms", Integer.toString(config.sessionTimeoutMs()));
    props.put("heartbeat.interval.ms", Integer.toString(Math.max(1000, config.sessionTimeoutMs() / 3)));
    props.put("max.poll.interval.ms", Integer.toString(config.maxPollIntervalMs()));
    props.put("fetch.max.wait.ms", Long.toString(Math.min(500, config.pollTimeoutMs())));
    consumer = new KafkaBatchConsumer("analytics-" + topic + "-" + index, context, actual, props, records -> {
      publisher.track(records);
      return step.handle(records);
    }, config.maxBatchesInFlight(), config.pollTimeoutMs(), config.retryDelayMs(), registry);
    consumer.onCommitted(offsets -> context.runOnContext(v -> publisher.committed(offsets)));
    consumer.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    // insert what is buffered now, so the consumer's last commit covers it
    step.flushForStop();
    Promise<Void> done = Promise.promise();
    consumer.stop().onComplete(ar -> context.runOnContext(v -> {
      step.stop();
      publisher.flush().onComplete(x -> done.complete());
    }));
    return done.future();
  }
}

package io.lookout.processors.clickhouse;

import io.lookout.processors.ingest.KafkaBatchConsumer;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.KafkaConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * One consumer instance that writes a topic's messages as rows into a ClickHouse table: a
 * {@link KafkaBatchConsumer} in the configured group feeding a {@link RowBatchStep} on this
 * verticle's event loop. Deploy several (up to the topic's partition count) for parallelism.
 *
 * <p>Subclasses name the topic, the table and how a message becomes a row.
 */
public class RowConsumerVerticle extends VerticleBase {

  private final RowConsumerConfig config;
  private final KafkaConfig kafka;
  private final ClickHouseWriter clickhouse;
  private final String topic;
  private final String table;
  private final RowDecoder decoder;
  private final MeterRegistry registry;
  private final String name;
  private RowBatchStep step;
  private KafkaBatchConsumer consumer;

  /**
   * @param topic Sentry's topic name; {@code topics} maps it to the one consumed (tests prefix it)
   * @param index this instance's number in the process: it makes the metric names unique
   */
  protected RowConsumerVerticle(RowConsumerConfig config, KafkaConfig kafka, ClickHouseWriter clickhouse,
      UnaryOperator<String> topics, MeterRegistry registry, int index, String topic, String table,
      RowDecoder decoder) {
    this.config = config;
    this.kafka = kafka;
    this.clickhouse = clickhouse;
    this.topic = topics.apply(topic);
    this.table = table;
    this.decoder = decoder;
    this.registry = registry;
    this.name = config.section() + "-" + index;
  }

  @Override
  public Future<?> start() {
    step = new RowBatchStep(name, topic, decoder, config.batch(),
        RowBatchStep.inserter(name, table, clickhouse, registry), vertx, registry);
    Properties props = new Properties();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("group.id", config.group());
    props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
    props.put("session.timeout.ms", Integer.toString(config.sessionTimeoutMs()));
    props.put("heartbeat.interval.ms", Integer.toString(Math.max(1000, config.sessionTimeoutMs() / 3)));
    props.put("max.poll.interval.ms", Integer.toString(config.maxPollIntervalMs()));
    props.put("fetch.max.wait.ms", Long.toString(Math.min(500, config.pollTimeoutMs())));
    consumer = new KafkaBatchConsumer(name, context, topic, props, step::handle, config.maxBatchesInFlight(),
        config.pollTimeoutMs(), config.retryDelayMs(), registry);
    consumer.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (consumer == null) {
      return Future.succeededFuture();
    }
    // the consumer waits for its polls in flight: insert what is held now rather than at batch age
    Future<Void> stopped = consumer.stop();
    step.flush();
    return stopped.eventually(step::stop);
  }

  /** The topic consumed (after mapping). */
  public String topic() {
    return topic;
  }

  /** The table written. */
  public String table() {
    return table;
  }
}

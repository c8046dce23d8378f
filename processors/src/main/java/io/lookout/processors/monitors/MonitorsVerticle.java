package io.lookout.processors.monitors;

import io.lookout.processors.ingest.KafkaBatchConsumer;
import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.processors.save.ItemSaver;
import io.lookout.storage.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cron monitors in one verticle: a consumer of {@code ingest-monitors} running {@link CheckInStep}
 * on this verticle's event loop (offsets committed after each batch's transaction), and a periodic
 * {@link MonitorScheduler#sweep} every {@code sweep_interval_ms}. Sweeps never overlap within a
 * verticle, and the scheduler's row locks make several processes (or instances) safe together.
 */
public final class MonitorsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorsVerticle.class);

  private final MonitorsConfig config;
  private final Pool pool;
  private final ProjectRegistry projects;
  private final ItemSaver saver;
  private final BatchProducer producer;
  private final String bootstrapServers;
  private final UnaryOperator<String> topics;
  private final MeterRegistry registry;
  private KafkaBatchConsumer consumer;
  private MonitorScheduler scheduler;
  private long timer = -1;
  private boolean sweeping;

  /**
   * @param topics maps Sentry's topic names to the ones used (identity in production)
   */
  public MonitorsVerticle(MonitorsConfig config, Pool pool, ProjectRegistry projects, ItemSaver saver,
      BatchProducer producer, String bootstrapServers, UnaryOperator<String> topics, MeterRegistry registry) {
    this.config = config;
    this.pool = pool;
    this.projects = projects;
    this.saver = saver;
    this.producer = producer;
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    String topic = topics.apply(Topics.INGEST_MONITORS);
    CheckInStep step = new CheckInStep(pool, projects, producer, topic + config.deadLetterSuffix(), registry);
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", config.group());
    props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
    props.put("session.timeout.ms", Integer.toString(config.sessionTimeoutMs()));
    props.put("heartbeat.interval.ms", Integer.toString(Math.max(1000, config.sessionTimeoutMs() / 3)));
    props.put("fetch.max.wait.ms", Long.toString(Math.min(500, config.pollTimeoutMs())));
    consumer = new KafkaBatchConsumer("monitors-" + deploymentID(), context, topic, props, step::handle,
        config.maxBatchesInFlight(), config.pollTimeoutMs(), config.retryDelayMs(), registry);
    consumer.start();
    scheduler = new MonitorScheduler(pool, saver, config.sweepBatchSize(), config.issueBatchSize(), registry);
    timer = vertx.setPeriodic(config.sweepIntervalMs(), id -> tick());
    return Future.succeededFuture();
  }

  private void tick() {
    if (sweeping) {
      return;
    }
    sweeping = true;
    scheduler.sweep(Instant.now()).onComplete(ar -> {
      sweeping = false;
      if (ar.failed()) {
        LOG.error("monitor sweep failed (the next one retries)", ar.cause());
      } else if (ar.result().timeouts() + ar.result().missed() + ar.result().issueEvents() > 0) {
        LOG.info("monitor sweep: {}", ar.result());
      }
    });
  }

  /** The scheduler this verticle runs (null before start). */
  public MonitorScheduler scheduler() {
    return scheduler;
  }

  @Override
  public Future<?> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return consumer == null ? Future.succeededFuture() : consumer.stop();
  }
}

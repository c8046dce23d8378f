package io.lookout.processors;

import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.config.ProcessorsConfig;
import io.lookout.processors.grouping.Grouper;
import io.lookout.processors.ingest.Dedup;
import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.kafka.BatchProducer;
import io.lookout.processors.normalize.EventNormalizer;
import io.lookout.processors.process.EventProcessor;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.processors.save.EventSaver;
import io.lookout.processors.save.SavePipeline;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.function.UnaryOperator;

/**
 * Everything the processors' verticles share in one process: connections (Postgres, Redis, Kafka
 * producer, broker) and the stateless steps. All of it is safe to use from several event loops.
 */
public final class ProcessorsServices {

  private final Vertx vertx;
  private final ProcessorsConfig config;
  private final StorageConfig storage;
  private final UnaryOperator<String> topics;
  private final MeterRegistry registry;
  private final Pool pool;
  private final RedisConnector redis;
  private final Nodestore nodestore;
  private final BatchProducer producer;
  private final ProjectRegistry projects;
  private final ProcessingStore store;
  private final Dedup dedup;
  private final EventProcessor processor;
  private final SavePipeline save;
  private final EventSaver saver;
  private TaskBroker broker;
  private ClickHouseWriter clickhouse;

  /**
   * @param topics maps Sentry's topic names to the ones used (identity in production; tests prefix
   *     them)
   */
  public ProcessorsServices(Vertx vertx, ProcessorsConfig config, StorageConfig storage,
      UnaryOperator<String> topics, MeterRegistry registry) {
    this.vertx = vertx;
    this.config = config;
    this.storage = storage;
    this.topics = topics;
    this.registry = registry;
    this.pool = PgPools.create(vertx, storage.postgres());
    this.redis = RedisConnector.create(vertx, storage.redis());
    this.nodestore = Nodestore.create(vertx, pool, storage.nodestore());
    this.producer = new BatchProducer(vertx,
        config.producer().properties(storage.kafka().bootstrapServers(), "lookout-processors"));
    this.projects = new ProjectRegistry(pool, config.pipeline().projectCacheTtlMs(),
        config.pipeline().projectCacheSize());
    this.store = new ProcessingStore(redis, config.pipeline().processingStoreTtlS());
    this.dedup = new Dedup(redis, config.pipeline().dedupTtlS());
    this.processor = new EventProcessor(new EventNormalizer(config.normalize()));
    this.saver = new EventSaver(pool, nodestore, config.workers().knownNamesCacheSize(), registry);
    this.save = new SavePipeline(saver, new Grouper(config.grouping()), store, producer,
        topics.apply(Topics.EVENTS), topics.apply(Topics.TRANSACTIONS), topics.apply(Topics.OUTCOMES),
        config.pipeline().retentionDays(), registry);
  }

  /** Connects the broker; needed by the workers, and by the consumers unless the transport is inline. */
  public Future<TaskBroker> broker() {
    if (broker != null) {
      return Future.succeededFuture(broker);
    }
    TaskBroker created = TaskBroker.create(vertx, config.broker(), storage, registry);
    return created.start().map(v -> {
      broker = created;
      return created;
    });
  }

  /** The ClickHouse writer, created on first use (only cleanup and the analytics side need it). */
  public synchronized ClickHouseWriter clickhouse() {
    if (clickhouse == null) {
      clickhouse = ClickHouseWriter.create(vertx, storage.clickhouse());
    }
    return clickhouse;
  }

  public Future<Void> close() {
    Future<Void> b = broker == null ? Future.succeededFuture() : broker.close();
    return b.eventually(producer::close).eventually(redis::close)
        .eventually(() -> clickhouse == null ? Future.succeededFuture() : clickhouse.close())
        .eventually(pool::close);
  }

  public RedisConnector redis() {
    return redis;
  }

  public EventSaver saver() {
    return saver;
  }

  public Vertx vertx() {
    return vertx;
  }

  public ProcessorsConfig config() {
    return config;
  }

  public StorageConfig storage() {
    return storage;
  }

  public String topic(String name) {
    return topics.apply(name);
  }

  public MeterRegistry registry() {
    return registry;
  }

  public Pool pool() {
    return pool;
  }

  public Nodestore nodestore() {
    return nodestore;
  }

  public BatchProducer producer() {
    return producer;
  }

  public ProjectRegistry projects() {
    return projects;
  }

  public ProcessingStore store() {
    return store;
  }

  public Dedup dedup() {
    return dedup;
  }

  public EventProcessor processor() {
    return processor;
  }

  public SavePipeline save() {
    return save;
  }
}

package io.lookout.processors.ingest;

import io.lookout.processors.ProcessorsServices;
import io.lookout.processors.config.ConsumerConfig;
import io.lookout.processors.tasks.BrokerHandoff;
import io.lookout.storage.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Properties;

/**
 * One ingest consumer instance: a Kafka consumer in the shared group on one {@code ingest-*} topic,
 * running {@link IngestStep} on this verticle's event loop. Deploy several for more parallelism
 * (up to the topic's partition count), in one process or many.
 */
public final class IngestConsumerVerticle extends VerticleBase {

  private final ProcessorsServices services;
  private final String topic;
  private final int index;
  private KafkaBatchConsumer consumer;

  /** @param topic Sentry's topic name (e.g. {@code ingest-events}); the services map it */
  public IngestConsumerVerticle(ProcessorsServices services, String topic, int index) {
    this.services = services;
    this.topic = topic;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    ConsumerConfig config = services.config().consumers();
    Future<IngestStep.EventHandoff> handoff = services.config().pipeline().inline()
        ? Future.succeededFuture(new InlineHandoff(services.processor(), services.save()))
        : services.broker().map(broker -> new BrokerHandoff(services.store(), broker, services.save()));
    return handoff.map(h -> {
      String actual = services.topic(topic);
      IngestStep step = new IngestStep(actual, actual + config.deadLetterSuffix(), services.dedup(),
          services.store(), services.projects(), services.producer(), h, services.registry());
      Properties props = new Properties();
      props.put("bootstrap.servers", services.storage().kafka().bootstrapServers());
      // one group per topic: a consumer of one topic joining or dying does not stop the others
      props.put("group.id", config.group() + "-" + topic);
      props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
      props.put("session.timeout.ms", Integer.toString(config.sessionTimeoutMs()));
      props.put("heartbeat.interval.ms", Integer.toString(Math.max(1000, config.sessionTimeoutMs() / 3)));
      props.put("max.poll.interval.ms", Integer.toString(config.maxPollIntervalMs()));
      props.put("fetch.max.wait.ms", Long.toString(Math.min(500, config.pollTimeoutMs())));
      // attachment chunks are stored by the batch that carries them and read by the batch of their
      // event, often the next one: on ingest-attachments batches run one at a time, in order
      int inFlight = topic.equals(Topics.INGEST_ATTACHMENTS) ? 1 : config.maxBatchesInFlight();
      consumer = new KafkaBatchConsumer(topic + "-" + index, context, actual, props, step::handle,
          inFlight, config.pollTimeoutMs(), config.retryDelayMs(), services.registry());
      consumer.start();
      return null;
    });
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.stop();
  }
}

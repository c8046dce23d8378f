package io.lookout.processors.postprocess;

import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskQueues;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.lookout.storage.kafka.message.EventStreamMessage;
import io.lookout.storage.kafka.message.InvalidMessageException;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentry's post-process forwarder for errors: a {@link SynchronizedConsumer} on {@code events}
 * that follows the analytics consumer's commits in the commit log, so an event is post-processed
 * only once it is queryable. Each batch's inserts become {@code post_process_errors} tasks on the
 * broker (one publish per batch), or, with the inline transport, are post-processed right here;
 * the offsets are committed after that succeeded. Other eventstream operations, transactions,
 * events without an issue and {@code skip_consume} inserts are passed over.
 */
public final class PostProcessForwarderVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PostProcessForwarderVerticle.class);

  private final PostProcessing services;
  private final boolean inline;
  private final String bootstrapServers;
  private final UnaryOperator<String> topics;
  private final Supplier<Future<TaskBroker>> broker;
  private final int index;
  private SynchronizedConsumer consumer;
  private AlertNotifier notifier;
  private Counter skipped;

  /**
   * @param inline post-process in this verticle instead of publishing tasks ({@code pipeline.transport = inline})
   * @param topics maps Sentry's topic names to the ones used (the topic prefix)
   * @param broker connects the task broker (not called when inline)
   */
  public PostProcessForwarderVerticle(PostProcessing services, boolean inline, String bootstrapServers,
      UnaryOperator<String> topics, Supplier<Future<TaskBroker>> broker, int index) {
    this.services = services;
    this.inline = inline;
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.broker = broker;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    PostProcessConfig config = services.config();
    skipped = Counter.builder("lookout.postprocess.forwarder.skipped")
        .description("eventstream messages that could not be read and were passed over").register(services.registry());
    Future<SynchronizedConsumer.BatchHandler> handler;
    if (inline) {
      notifier = services.notifier(vertx);
      PostProcessor processor = services.processor(notifier);
      handler = Future.succeededFuture(records -> processor.process(jobs(records)));
    } else {
      handler = broker.get().map(b -> records -> {
        List<Buffer> bodies = new ArrayList<>();
        for (PostProcessJob job : jobs(records)) {
          bodies.add(job.toBuffer());
        }
        return bodies.isEmpty() ? Future.succeededFuture() : b.publish(TaskQueues.POST_PROCESS_ERRORS, bodies);
      });
    }
    return handler.map(h -> {
      String events = topics.apply(Topics.EVENTS);
      Properties props = new Properties();
      props.put("bootstrap.servers", bootstrapServers);
      props.put("group.id", config.group());
      props.put("max.poll.records", Integer.toString(config.maxPollRecords()));
      props.put("session.timeout.ms", Integer.toString(config.sessionTimeoutMs()));
      props.put("heartbeat.interval.ms", Integer.toString(Math.max(1000, config.sessionTimeoutMs() / 3)));
      props.put("fetch.max.wait.ms", Long.toString(Math.min(500, config.pollTimeoutMs())));
      consumer = new SynchronizedConsumer("post-process-forwarder-" + index, context, events,
          Set.copyOf(List.of(events, Topics.EVENTS)), topics.apply(config.commitLogTopic()), config.synchronizeCommitGroup(),
          props, h, config.maxBatchesInFlight(), config.pollTimeoutMs(), config.retryDelayMs(), services.registry());
      consumer.start();
      return null;
    });
  }

  private List<PostProcessJob> jobs(List<ConsumerRecord<byte[], byte[]>> records) {
    List<PostProcessJob> jobs = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      EventStreamMessage message;
      try {
        message = EventStreamCodec.decode(record.value());
      } catch (InvalidMessageException e) {
        skipped.increment();
        LOG.warn("skipping {}@{}:{}: {}", record.topic(), record.partition(), record.offset(), e.getMessage());
        continue;
      }
      if (message instanceof EventStreamInsert insert) {
        String queue = insert.state().queue();
        if (queue != null && !queue.equals(EventStreamInsert.QUEUE_POST_PROCESS_ERRORS)) {
          continue;
        }
        PostProcessJob job = PostProcessJob.of(insert);
        if (job != null) {
          jobs.add(job);
        }
      }
    }
    return jobs;
  }

  /** The followed group's committed offset of a partition, as this forwarder last read it (null: none yet). */
  public Long watermark(int partition) {
    return consumer == null ? null : consumer.watermark(partition);
  }

  @Override
  public Future<?> stop() {
    Future<Void> stopped = consumer == null ? Future.succeededFuture() : consumer.stop();
    return stopped.eventually(() -> notifier == null ? Future.succeededFuture() : notifier.close());
  }
}

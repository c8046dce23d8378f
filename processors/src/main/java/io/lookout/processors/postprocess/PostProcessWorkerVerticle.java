package io.lookout.processors.postprocess;

import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskConsumer;
import io.lookout.processors.broker.TaskQueues;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.List;
import java.util.function.Supplier;

/**
 * Workers for {@code post_process_errors} ({@code sentry run worker -Q post_process_errors}): at
 * most {@code post_process.concurrency} tasks unacknowledged; each task is one event run through
 * {@link PostProcessor}. A task whose body cannot be read fails, and so ends in the dead-letter
 * queue after the broker's attempts.
 */
public final class PostProcessWorkerVerticle extends VerticleBase {

  private final PostProcessing services;
  private final Supplier<Future<TaskBroker>> broker;
  private final Integer concurrency;
  private TaskConsumer consumer;
  private AlertNotifier notifier;

  /** @param concurrency overrides {@code post_process.concurrency} ({@code -c N}); null for the configured one */
  public PostProcessWorkerVerticle(PostProcessing services, Supplier<Future<TaskBroker>> broker, Integer concurrency) {
    this.services = services;
    this.broker = broker;
    this.concurrency = concurrency;
  }

  @Override
  public Future<?> start() {
    notifier = services.notifier(vertx);
    PostProcessor processor = services.processor(notifier);
    int prefetch = concurrency != null ? concurrency : services.config().concurrency();
    return broker.get().compose(b -> b.consume(TaskQueues.POST_PROCESS_ERRORS, prefetch,
            task -> processor.process(List.of(PostProcessJob.parse(task.body())))))
        .map(c -> {
          consumer = c;
          return null;
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> cancelled = consumer == null ? Future.succeededFuture() : consumer.cancel();
    return cancelled.eventually(() -> notifier == null ? Future.succeededFuture() : notifier.close());
  }
}

package io.lookout.processors.tasks;

import io.lookout.processors.ProcessorsServices;
import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskConsumer;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.processors.config.WorkersConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Task workers for a set of queues, as {@code sentry run worker -Q ... -c N} runs them: one
 * broker subscription per queue, at most {@code concurrency} unacknowledged tasks each.
 */
public final class WorkerVerticle extends VerticleBase {

  private final ProcessorsServices services;
  private final List<String> queues;
  private final Map<String, Integer> concurrency;
  private final int index;
  private final List<TaskConsumer> consumers = new ArrayList<>();
  private final List<java.util.function.Supplier<Future<Void>>> stoppers = new ArrayList<>();

  public WorkerVerticle(ProcessorsServices services, List<String> queues, Map<String, Integer> concurrency, int index) {
    this.services = services;
    this.queues = List.copyOf(queues);
    this.concurrency = Map.copyOf(concurrency);
    this.index = index;
  }

  @Override
  public Future<?> start() {
    return services.broker().compose(broker -> {
      Future<Void> chain = Future.succeededFuture();
      for (String queue : queues) {
        TaskHandler handler = handler(broker, queue);
        chain = chain.compose(v -> broker.consume(queue, concurrency.get(queue), handler).map(c -> {
          consumers.add(c);
          return null;
        }));
      }
      return chain;
    });
  }

  private TaskHandler handler(TaskBroker broker, String queue) {
    return switch (queue) {
      case WorkersConfig.PROCESS_EVENT -> {
        ProcessEventTask process = new ProcessEventTask(vertx, queue + "-" + index,
            services.config().workers().processBatch(), services.store(), services.projects(), services.processor(),
            broker, services.save(), services.registry());
        stoppers.add(process::stop);
        yield process;
      }
      case WorkersConfig.SYMBOLICATE_EVENT -> new SymbolicateEventTask(broker);
      case WorkersConfig.SAVE_EVENT, WorkersConfig.SAVE_EVENT_TRANSACTION -> {
        SaveEventTask saver = new SaveEventTask(vertx, queue + "-" + index, services.config().workers().saveBatch(),
            services.store(), services.save(), services.registry());
        stoppers.add(saver::stop);
        yield saver;
      }
      default -> throw new IllegalArgumentException("no worker for queue " + queue);
    };
  }

  @Override
  public Future<?> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (TaskConsumer c : consumers) {
      chain = chain.eventually(c::cancel);
    }
    for (java.util.function.Supplier<Future<Void>> stopper : stoppers) {
      chain = chain.eventually(stopper::get);
    }
    return chain;
  }
}

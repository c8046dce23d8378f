package io.lookout.processors.tasks;

import io.lookout.processors.broker.Task;
import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.processors.config.WorkersConfig;
import io.vertx.core.Future;
import java.util.List;

/**
 * {@code events.symbolicate_event}: where native stack traces would be symbolicated. Lookout has no
 * symbolicator yet, so the stage passes the event on to {@code save_event}; it exists so that native
 * events already travel, and are limited, on their own queue (its own {@code workers.concurrency}).
 */
public final class SymbolicateEventTask implements TaskHandler {

  private final TaskBroker broker;

  public SymbolicateEventTask(TaskBroker broker) {
    this.broker = broker;
  }

  @Override
  public Future<Void> handle(Task task) {
    TaskBody.parse(task.body()); // a malformed body fails here, not in save_event
    return broker.publish(WorkersConfig.SAVE_EVENT, List.of(task.body()));
  }
}

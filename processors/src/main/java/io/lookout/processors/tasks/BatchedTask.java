package io.lookout.processors.tasks;

import io.lookout.processors.broker.Task;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.batch.Batcher;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * A task handler that works on groups of tasks: each task goes into a {@link Batcher} on the
 * context that created the handler, and its future (so its ack) completes when
 * {@link #flush(List)} completes its {@link Pending#done()}. A flush fails every task it has not
 * settled itself.
 */
abstract class BatchedTask implements TaskHandler {

  /** A task waiting in the batcher, and the promise its ack waits on. */
  record Pending(TaskBody body, Promise<Void> done) {
  }

  private final Context context;
  private final Batcher<Pending> batcher;

  BatchedTask(Vertx vertx, String name, BatchConfig batch, MeterRegistry registry) {
    this.context = vertx.getOrCreateContext();
    this.batcher = Batcher.create(name, batch,
        items -> flush(items).onFailure(err -> items.forEach(p -> p.done().tryFail(err))), vertx, registry);
  }

  @Override
  public final Future<Void> handle(Task task) {
    TaskBody body = TaskBody.parse(task.body());
    Promise<Void> done = Promise.promise();
    Runnable add = () -> batcher.add(new Pending(body, done), task.body().length()).onFailure(done::tryFail);
    if (Vertx.currentContext() == context) {
      add.run();
    } else {
      context.runOnContext(v -> add.run());
    }
    return done.future();
  }

  /** Handles one group; settles each task's {@code done} as it can. */
  abstract Future<Void> flush(List<Pending> batch);

  /** Flushes what is held, then takes no more tasks. */
  Future<Void> stop() {
    return batcher.stop();
  }
}

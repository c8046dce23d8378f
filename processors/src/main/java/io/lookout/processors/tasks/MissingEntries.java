package io.lookout.processors.tasks;

import io.lookout.processors.process.InvalidEventException;
import io.lookout.processors.save.SavePipeline;
import io.lookout.processors.tasks.BatchedTask.Pending;
import io.lookout.storage.nodestore.Nodestore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settles the tasks of a batch whose processing-store entry is gone. A second task for an event
 * (the Kafka consumer read its message again after a rebalance or a crash, or the broker delivered
 * a task again) finds the entry already dropped by the task that saved the event: when the event's
 * node is in the nodestore, that task's work is done and it is acked, counted as a duplicate. When it
 * is not, the entry expired before the event was saved and the task fails (retried, then
 * dead-lettered with this error), as before.
 */
final class MissingEntries {

  private final SavePipeline save;
  private final Counter duplicates;

  MissingEntries(SavePipeline save, String queue, MeterRegistry registry) {
    this.save = save;
    this.duplicates = Counter.builder("lookout.tasks.duplicates")
        .description("tasks whose event was already saved by an earlier task; acked without work")
        .tag("queue", queue).register(registry);
  }

  /** Acks or fails each of {@code missing}; never fails itself. */
  Future<Void> settle(List<Pending> missing) {
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<String, List<Pending>> byNode = new LinkedHashMap<>();
    for (Pending p : missing) {
      try {
        byNode.computeIfAbsent(Nodestore.nodeId(p.body().projectId(), p.body().eventId()), k -> new ArrayList<>())
            .add(p);
      } catch (IllegalArgumentException e) {
        p.done().tryFail(gone(p));
      }
    }
    return save.savedNodeIds(byNode.keySet()).map(saved -> {
      byNode.forEach((node, tasks) -> {
        for (Pending p : tasks) {
          if (saved.contains(node)) {
            duplicates.increment();
            p.done().tryComplete();
          } else {
            p.done().tryFail(gone(p));
          }
        }
      });
      return (Void) null;
    }).recover(err -> {
      byNode.values().forEach(tasks -> tasks.forEach(p -> p.done().tryFail(err)));
      return Future.succeededFuture();
    });
  }

  private static RuntimeException gone(Pending p) {
    return new InvalidEventException("event " + p.body().eventId()
        + ": nothing in the processing store under " + p.body().cacheKey() + " and not saved (expired?)");
  }
}

package io.lookout.processors.tasks;

import io.lookout.processors.broker.Task;
import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.broker.TaskHandler;
import io.lookout.processors.config.WorkersConfig;
import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.process.EventProcessor;
import io.lookout.processors.process.InvalidEventException;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@code events.process_event}: reads the event message from the processing store, normalizes it,
 * stores the result and queues the next stage ({@code symbolicate_event} for native platforms,
 * else {@code save_event} or {@code save_event_transaction}). The task is acked once the next
 * task is confirmed.
 */
public final class ProcessEventTask implements TaskHandler {

  private final ProcessingStore store;
  private final ProjectRegistry projects;
  private final EventProcessor processor;
  private final TaskBroker broker;

  public ProcessEventTask(ProcessingStore store, ProjectRegistry projects, EventProcessor processor, TaskBroker broker) {
    this.store = store;
    this.projects = projects;
    this.processor = processor;
    this.broker = broker;
  }

  @Override
  public Future<Void> handle(Task task) {
    TaskBody body = TaskBody.parse(task.body());
    return store.getAll(List.of(body.cacheKey())).compose(values -> {
      byte[] raw = values.get(0);
      if (raw == null) {
        return Future.failedFuture(new InvalidEventException("event " + body.eventId()
            + ": nothing in the processing store under " + body.cacheKey() + " (expired?)"));
      }
      IngestMessage message = IngestCodec.decode(raw);
      if (!(message instanceof EventMessage event)) {
        return Future.failedFuture(new InvalidEventException("processing store entry is a " + message.type()));
      }
      return projects.getAll(List.of(event.projectId())).compose(found -> {
        if (found.get(event.projectId()).isEmpty()) {
          return Future.failedFuture(new InvalidEventException("project " + event.projectId() + " does not exist"));
        }
        ProcessedEvent processed = processor.process(event, found.get(event.projectId()).get());
        String key = ProcessingStore.eventKey("p", processed.projectId(), processed.eventId());
        String next = EventProcessor.needsSymbolication(processed) ? WorkersConfig.SYMBOLICATE_EVENT
            : processed.kind() == Kind.TRANSACTION ? WorkersConfig.SAVE_EVENT_TRANSACTION : WorkersConfig.SAVE_EVENT;
        return store.putAll(Map.of(key, processed.toJson().getBytes()))
            .compose(v -> broker.publish(next, List.of(
                new TaskBody(key, body.projectId(), body.eventId(), body.startTime()).toBuffer())));
      });
    });
  }
}

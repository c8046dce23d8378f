package io.lookout.processors.tasks;

import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.config.WorkersConfig;
import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.process.EventProcessor;
import io.lookout.processors.process.InvalidEventException;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.save.SavePipeline;
import io.lookout.processors.project.ProjectInfo;
import io.lookout.processors.project.ProjectRegistry;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code events.process_event}: reads the event messages from the processing store, normalizes
 * them, stores the results and queues the next stage ({@code symbolicate_event} for native
 * platforms, else {@code save_event} or {@code save_event_transaction}). Tasks are handled in small
 * batches (count or age, {@code workers.process_batch}): one MGET, one pipelined SET and one
 * confirmed publish per next queue for the whole batch, instead of three round trips per event. A
 * task is acked once its next task is confirmed; a task whose event is invalid fails alone (retried,
 * then dead-lettered), and so does one whose entry is gone, unless its event is already saved
 * ({@link MissingEntries}).
 */
public final class ProcessEventTask extends BatchedTask {

  private final ProcessingStore store;
  private final ProjectRegistry projects;
  private final EventProcessor processor;
  private final TaskBroker broker;

  private final MissingEntries missing;

  public ProcessEventTask(Vertx vertx, String name, BatchConfig batch, ProcessingStore store, ProjectRegistry projects,
      EventProcessor processor, TaskBroker broker, SavePipeline save, MeterRegistry registry) {
    super(vertx, name, batch, registry);
    this.missing = new MissingEntries(save, name.replaceFirst("-\\d+$", ""), registry);
    this.store = store;
    this.projects = projects;
    this.processor = processor;
    this.broker = broker;
  }

  @Override
  Future<Void> flush(List<Pending> batch) {
    List<String> keys = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      keys.add(p.body().cacheKey());
    }
    return store.getAll(keys).compose(values -> {
      List<EventMessage> events = new ArrayList<>(batch.size());
      List<Pending> found = new ArrayList<>(batch.size());
      Set<Long> projectIds = new HashSet<>();
      List<Pending> gone = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Pending p = batch.get(i);
        byte[] raw = values.get(i);
        if (raw == null) {
          gone.add(p);
          continue;
        }
        try {
          IngestMessage message = IngestCodec.decode(raw);
          if (!(message instanceof EventMessage event)) {
            p.done().tryFail(new InvalidEventException("processing store entry is a " + message.type()));
            continue;
          }
          events.add(event);
          found.add(p);
          projectIds.add(event.projectId());
        } catch (RuntimeException e) {
          p.done().tryFail(e);
        }
      }
      return projects.getAll(projectIds).compose(byId -> processAll(events, found, byId))
          .eventually(() -> missing.settle(gone));
    });
  }

  private Future<Void> processAll(List<EventMessage> events, List<Pending> pending,
      Map<Long, Optional<ProjectInfo>> projectsById) {
    Map<String, byte[]> results = new LinkedHashMap<>();
    Map<String, List<Buffer>> next = new LinkedHashMap<>();
    List<Pending> processed = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      EventMessage event = events.get(i);
      Pending p = pending.get(i);
      Optional<ProjectInfo> project = projectsById.get(event.projectId());
      if (project == null || project.isEmpty()) {
        p.done().tryFail(new InvalidEventException("project " + event.projectId() + " does not exist"));
        continue;
      }
      try {
        ProcessedEvent result = processor.process(event, project.get());
        String key = ProcessingStore.eventKey("p", result.projectId(), result.eventId());
        results.put(key, result.toJson().getBytes());
        String queue = EventProcessor.needsSymbolication(result) ? WorkersConfig.SYMBOLICATE_EVENT
            : result.kind() == Kind.TRANSACTION ? WorkersConfig.SAVE_EVENT_TRANSACTION : WorkersConfig.SAVE_EVENT;
        next.computeIfAbsent(queue, q -> new ArrayList<>())
            .add(new TaskBody(key, p.body().projectId(), p.body().eventId(), p.body().startTime()).toBuffer());
        processed.add(p);
      } catch (RuntimeException e) {
        p.done().tryFail(e);
      }
    }
    return store.putAll(results).compose(v -> {
      List<Future<Void>> publishes = new ArrayList<>();
      next.forEach((queue, bodies) -> publishes.add(broker.publish(queue, bodies)));
      return Future.all(publishes).<Void>mapEmpty();
    }).onSuccess(v -> processed.forEach(p -> p.done().tryComplete()))
        .onFailure(err -> processed.forEach(p -> p.done().tryFail(err)));
  }

}

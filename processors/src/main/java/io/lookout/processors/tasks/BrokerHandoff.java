package io.lookout.processors.tasks;

import io.lookout.processors.broker.TaskBroker;
import io.lookout.processors.config.WorkersConfig;
import io.lookout.processors.ingest.IngestStep.EventHandoff;
import io.lookout.processors.ingest.IngestStep.IngestedEvent;
import io.lookout.processors.ingest.IngestStep.Rejected;
import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.save.SaveItem;
import io.lookout.processors.save.SavePipeline;
import io.lookout.storage.kafka.message.EventMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code broker} transport: each event's message goes into the processing store and a
 * {@code process_event} task onto the broker, both for the whole batch at once; the consumer
 * commits once the broker confirmed the tasks.
 */
public final class BrokerHandoff implements EventHandoff {

  private final ProcessingStore store;
  private final TaskBroker broker;
  private final SavePipeline save;

  public BrokerHandoff(ProcessingStore store, TaskBroker broker, SavePipeline save) {
    this.store = store;
    this.broker = broker;
    this.save = save;
  }

  @Override
  public Future<List<Rejected>> handOff(List<IngestedEvent> events, List<SaveItem> extra) {
    Map<String, byte[]> payloads = new LinkedHashMap<>();
    List<Buffer> tasks = new ArrayList<>(events.size());
    for (IngestedEvent event : events) {
      EventMessage m = event.message();
      String key = ProcessingStore.eventKey("e", m.projectId(), m.eventId());
      // the message as it came from Kafka: decoding it is all process_event does with it, and
      // encoding it again cost ~6% of the broker transport's CPU
      payloads.put(key, event.record().value());
      tasks.add(new TaskBody(key, m.projectId(), m.eventId(), m.startTime()).toBuffer());
    }
    Future<Void> standalone = extra.isEmpty() ? Future.succeededFuture() : save.save(List.of(), extra).mapEmpty();
    return standalone
        .compose(v -> store.putAll(payloads))
        .compose(v -> tasks.isEmpty() ? Future.succeededFuture() : broker.publish(WorkersConfig.PROCESS_EVENT, tasks))
        .map(v -> List.of());
  }
}

package io.lookout.processors.ingest;

import io.lookout.processors.ingest.IngestStep.EventHandoff;
import io.lookout.processors.ingest.IngestStep.IngestedEvent;
import io.lookout.processors.ingest.IngestStep.Rejected;
import io.lookout.processors.process.EventProcessor;
import io.lookout.processors.process.InvalidEventException;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.save.SaveItem;
import io.lookout.processors.save.SavePipeline;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code inline} transport: the consuming verticle processes and saves the poll batch itself,
 * with the same steps the broker's workers run, and no broker hop or processing-store round trip.
 * The Kafka offset is the only bookkeeping: it is committed after the save.
 */
public final class InlineHandoff implements EventHandoff {

  private final EventProcessor processor;
  private final SavePipeline save;

  public InlineHandoff(EventProcessor processor, SavePipeline save) {
    this.processor = processor;
    this.save = save;
  }

  @Override
  public Future<List<Rejected>> handOff(List<IngestedEvent> events, List<SaveItem> extra) {
    List<ProcessedEvent> processed = new ArrayList<>(events.size());
    List<Rejected> rejected = new ArrayList<>();
    for (IngestedEvent event : events) {
      try {
        processed.add(processor.process(event.message(), event.project()));
      } catch (InvalidEventException e) {
        rejected.add(new Rejected(event, e.getMessage()));
      }
    }
    if (processed.isEmpty() && extra.isEmpty()) {
      return Future.succeededFuture(rejected);
    }
    return save.save(processed, extra).map(results -> rejected);
  }
}

package io.lookout.processors.tasks;

import io.lookout.processors.ingest.ProcessingStore;
import io.lookout.processors.process.ProcessedEvent;
import io.lookout.processors.save.SavePipeline;
import io.lookout.storage.batch.BatchConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code events.save_event} and {@code events.save_event_transaction}: tasks go into a
 * {@link Batcher}; each batch reads its processed events from the processing store with one MGET,
 * is saved by {@link SavePipeline} (one transaction, one statement per table), and only then are its
 * tasks acked and its processing-store entries dropped. A task whose entry is gone is acked when
 * its event is already saved (a second task for it), else fails alone (retried, then dead-lettered),
 * not the batch ({@link MissingEntries}).
 */
public final class SaveEventTask extends BatchedTask {

  private static final Logger LOG = LoggerFactory.getLogger(SaveEventTask.class);

  private final ProcessingStore store;
  private final SavePipeline save;
  private final MissingEntries missing;

  public SaveEventTask(Vertx vertx, String name, BatchConfig batch, ProcessingStore store, SavePipeline save,
      MeterRegistry registry) {
    super(vertx, name, batch, registry);
    this.store = store;
    this.save = save;
    this.missing = new MissingEntries(save, name.replaceFirst("-\\d+$", ""), registry);
  }

  @Override
  Future<Void> flush(List<Pending> batch) {
    List<String> keys = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      keys.add(p.body().cacheKey());
    }
    return store.getAll(keys).compose(values -> {
      List<ProcessedEvent> events = new ArrayList<>(batch.size());
      List<Pending> saved = new ArrayList<>(batch.size());
      List<String> done = new ArrayList<>();
      List<Pending> gone = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        byte[] value = values.get(i);
        Pending p = batch.get(i);
        if (value == null) {
          gone.add(p);
          continue;
        }
        try {
          events.add(ProcessedEvent.fromJson(Buffer.buffer(value)));
          saved.add(p);
          done.add(p.body().cacheKey());
          done.add(ProcessingStore.eventKey("e", p.body().projectId(), p.body().eventId()));
        } catch (IllegalArgumentException e) {
          p.done().tryFail(e);
        }
      }
      return save.save(events, List.of())
          .onSuccess(results -> saved.forEach(p -> p.done().tryComplete()))
          .compose(results -> store.deleteAll(done).recover(err -> {
            LOG.warn("could not drop {} processing-store entries (they expire): {}", done.size(), err.toString());
            return Future.succeededFuture();
          }))
          .eventually(() -> missing.settle(gone));
    });
  }

}

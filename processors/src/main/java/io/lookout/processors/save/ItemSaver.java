package io.lookout.processors.save;

import io.vertx.core.Future;
import java.util.List;

/**
 * Saves ready-made items (issues raised by other parts, such as failing cron monitors). In the
 * processors this is {@link SavePipeline}, so the saved events also reach the eventstream (and so
 * ClickHouse and the alert rules) with their accepted outcomes; tests may pass
 * {@link EventSaver#save} to write Postgres only.
 */
@FunctionalInterface
public interface ItemSaver {

  Future<List<SavedEvent>> save(List<SaveItem> items);
}

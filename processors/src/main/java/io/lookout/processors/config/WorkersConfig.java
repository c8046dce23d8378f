package io.lookout.processors.config;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.section;

import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The task workers and the save batches ({@code processors.json: workers}).
 *
 * @param concurrency per queue: tasks a worker process holds unacknowledged at once (the broker's
 *     prefetch); {@code -c N} on the command line overrides it for the queues of that process. A
 *     save queue's value should be at least {@code save_batch.max_items}, or batches never fill.
 * @param saveBatch when a batch of events is saved: count, bytes, age; and how many are saved at once
 * @param knownNamesCacheSize releases and environments remembered as already recorded
 * @param processBatch how {@code process_event} tasks are grouped: one processing-store read, one
 *     write and one publish per group
 * @param instances worker verticles per process, each on its own event loop, each with the
 *     concurrency above (so a process holds {@code instances * concurrency} tasks of a queue)
 */
public record WorkersConfig(Map<String, Integer> concurrency, BatchConfig saveBatch, int knownNamesCacheSize,
    int instances, BatchConfig processBatch) {

  public static final String PROCESS_EVENT = "events.process_event";
  public static final String SYMBOLICATE_EVENT = "events.symbolicate_event";
  public static final String SAVE_EVENT = "events.save_event";
  public static final String SAVE_EVENT_TRANSACTION = "events.save_event_transaction";

  /** The queues of this half of the pipeline, in stage order. */
  public static final List<String> QUEUES = List.of(PROCESS_EVENT, SYMBOLICATE_EVENT, SAVE_EVENT,
      SAVE_EVENT_TRANSACTION);

  private static final Map<String, Integer> DEFAULTS = Map.of(PROCESS_EVENT, 256, SYMBOLICATE_EVENT, 32,
      SAVE_EVENT, 1000, SAVE_EVENT_TRANSACTION, 1000);

  public WorkersConfig {
    for (Map.Entry<String, Integer> e : concurrency.entrySet()) {
      if (!QUEUES.contains(e.getKey())) {
        throw new ConfigException("'workers.concurrency' names an unknown queue '" + e.getKey() + "' (known: " + QUEUES + ")");
      }
      positive("workers.concurrency." + e.getKey(), e.getValue());
    }
    concurrency = Map.copyOf(concurrency);
    positive("workers.known_names_cache_size", knownNamesCacheSize);
    positive("workers.instances", instances);
  }

  public int concurrencyOf(String queue) {
    return concurrency.getOrDefault(queue, 64);
  }

  public static WorkersConfig fromJson(JsonObject json) {
    JsonObject c = section(json, "concurrency");
    for (String key : c.fieldNames()) {
      if (!QUEUES.contains(key)) {
        throw new ConfigException("'workers.concurrency' names an unknown queue '" + key + "' (known: " + QUEUES + ")");
      }
    }
    Map<String, Integer> concurrency = new LinkedHashMap<>();
    for (String queue : QUEUES) {
      concurrency.put(queue, integer(c, queue, DEFAULTS.get(queue)));
    }
    BatchConfig saveBatch = batch(section(json, "save_batch"), "workers.save_batch", 500, 50, 5000);
    BatchConfig processBatch = batch(section(json, "process_batch"), "workers.process_batch", 100, 5, 1000);
    return new WorkersConfig(concurrency, saveBatch, integer(json, "known_names_cache_size", 10_000),
        integer(json, "instances", 2), processBatch);
  }

  private static BatchConfig batch(JsonObject batch, String name, int maxItems, int maxAgeMs, int maxPending) {
    try {
      for (String key : batch.fieldNames()) {
        if (!List.of("max_items", "max_bytes", "max_age_ms", "max_flushes_in_flight", "max_pending_items").contains(key)) {
          throw new IllegalArgumentException("unknown key '" + key + "'");
        }
      }
      return BatchConfig.fromJson(new JsonObject()
          .put("max_items", batch.getValue("max_items", maxItems))
          .put("max_bytes", batch.getValue("max_bytes", 16L * 1024 * 1024))
          .put("max_age_ms", batch.getValue("max_age_ms", maxAgeMs))
          .put("max_flushes_in_flight", batch.getValue("max_flushes_in_flight", 2))
          .put("max_pending_items", batch.getValue("max_pending_items", maxPending)));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("'" + name + "': " + e.getMessage());
    }
  }
}

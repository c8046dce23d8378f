package io.lookout.gateway.outcome;

import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.config.Conf;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * How outcomes are batched to Kafka.
 *
 * <p>JSON keys and defaults ({@link #fromJson}):
 * <ul>
 *   <li>{@code source} (none): written into every outcome's {@code source}, as Relay's
 *       {@code outcomes.source} names the Relay that emitted it.
 *   <li>{@code batch}: a {@link BatchConfig} with these defaults: {@code max_items} 1000,
 *       {@code max_bytes} 1048576, {@code max_age_ms} 500, {@code max_flushes_in_flight} 2,
 *       {@code max_pending_items} 50000 (past it, outcomes are dropped and counted, never the
 *       request failed).
 * </ul>
 */
public record OutcomeConfig(String source, BatchConfig batch) {

  public static final BatchConfig DEFAULT_BATCH = new BatchConfig(1000, 1024 * 1024, 500, 2,
      50_000);

  public OutcomeConfig {
    Objects.requireNonNull(batch, "batch");
    source = source == null || source.isBlank() ? null : source;
  }

  public static OutcomeConfig defaults() {
    return new OutcomeConfig(null, DEFAULT_BATCH);
  }

  public static OutcomeConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    JsonObject batch = DEFAULT_BATCH.toJson().mergeIn(Conf.section(j, "batch"));
    return new OutcomeConfig(Conf.string(j, "source", null), BatchConfig.fromJson(batch));
  }
}

package io.lookout.processors.outcomes;

import io.lookout.processors.clickhouse.RowConsumerConfig;
import io.lookout.processors.clickhouse.RowConsumerVerticle;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * Snuba's outcomes consumer: topic {@code outcomes} (Relay's JSON) into ClickHouse
 * {@code outcomes_raw}, one INSERT per batch; {@code outcomes_hourly} fills itself through its
 * materialized view. Offsets are committed once the INSERT has succeeded.
 */
public final class OutcomesConsumerVerticle extends RowConsumerVerticle {

  /** The section of {@code processors.json}. */
  public static final String SECTION = "outcomes";

  /** The default consumer group. */
  public static final String GROUP = "outcomes-consumer";

  public OutcomesConsumerVerticle(RowConsumerConfig config, KafkaConfig kafka, ClickHouseWriter clickhouse,
      UnaryOperator<String> topics, MeterRegistry registry, int index) {
    super(config, kafka, clickhouse, topics, registry, index, Topics.OUTCOMES, OutcomeRows.TABLE,
        OutcomeRows::row);
  }

  /** The {@code outcomes} section with its defaults. */
  public static RowConsumerConfig config(JsonObject section) {
    return RowConsumerConfig.fromJson(SECTION, section, GROUP);
  }
}

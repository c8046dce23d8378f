package io.lookout.processors.sessions;

import io.lookout.processors.clickhouse.RowConsumerConfig;
import io.lookout.processors.clickhouse.RowConsumerVerticle;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import java.util.function.UnaryOperator;

/**
 * Snuba's sessions consumer: topic {@code ingest-sessions} (session updates and exploded
 * aggregates) into ClickHouse {@code sessions}, one INSERT per batch; {@code sessions_hourly}
 * fills itself through its materialized view. Offsets are committed once the INSERT has succeeded.
 */
public final class SessionsConsumerVerticle extends RowConsumerVerticle {

  /** The section of {@code processors.json}. */
  public static final String SECTION = "sessions";

  /** The default consumer group. */
  public static final String GROUP = "sessions-consumer";

  public SessionsConsumerVerticle(RowConsumerConfig config, KafkaConfig kafka, ClickHouseWriter clickhouse,
      UnaryOperator<String> topics, MeterRegistry registry, int index) {
    super(config, kafka, clickhouse, topics, registry, index, Topics.INGEST_SESSIONS, SessionRows.TABLE,
        SessionRows::row);
  }

  /** The {@code sessions} section with its defaults. */
  public static RowConsumerConfig config(JsonObject section) {
    return RowConsumerConfig.fromJson(SECTION, section, GROUP);
  }
}

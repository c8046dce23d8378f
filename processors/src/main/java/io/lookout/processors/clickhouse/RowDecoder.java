package io.lookout.processors.clickhouse;

import io.vertx.core.json.JsonObject;

/**
 * Turns one Kafka message into one ClickHouse row (a JSONEachRow object, see
 * {@link io.lookout.storage.clickhouse.ClickHouseWriter} for the value formats).
 */
@FunctionalInterface
public interface RowDecoder {

  /**
   * @throws io.lookout.storage.kafka.message.InvalidMessageException (or any
   *     {@link IllegalArgumentException}) when the message cannot become a row: it is skipped,
   *     counted and committed, never retried
   */
  JsonObject row(byte[] value);
}

package io.lookout.processors.monitors;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** SQL helpers the monitor classes share. */
final class MonitorStore {

  private MonitorStore() {
  }

  static Tuple args(Object... columns) {
    Tuple tuple = Tuple.tuple();
    for (Object column : columns) {
      tuple.addValue(column);
    }
    return tuple;
  }

  static OffsetDateTime time(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Row row, String column) {
    OffsetDateTime time = row.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }

  static JsonObject json(Row row, String column) {
    Object value = row.getValue(column);
    if (value instanceof JsonObject json) {
      return json;
    }
    return value instanceof String text ? new JsonObject(text) : new JsonObject();
  }

  /** The schedule of a stored monitor config, or null when it has none that parses. */
  static MonitorSchedule schedule(JsonObject config) {
    try {
      return MonitorSchedule.fromConfig(config);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}

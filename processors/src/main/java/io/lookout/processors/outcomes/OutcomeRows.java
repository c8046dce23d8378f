package io.lookout.processors.outcomes;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.vertx.core.json.JsonObject;

/**
 * An {@code outcomes} message as a row of {@code outcomes_raw}, as Snuba's outcomes processor
 * makes it: a missing organization is 0, a missing category counts as {@code error} and a missing
 * quantity as 1; key, reason and event id stay NULL when absent.
 */
public final class OutcomeRows {

  /** The table the rows go to. */
  public static final String TABLE = "outcomes_raw";

  private OutcomeRows() {
  }

  /**
   * @throws io.lookout.storage.kafka.message.InvalidMessageException if the JSON is not an outcome
   */
  public static JsonObject row(byte[] json) {
    return row(OutcomeCodec.decode(json));
  }

  public static JsonObject row(Outcome o) {
    return new JsonObject()
        .put("org_id", o.orgId() == null ? 0L : o.orgId())
        .put("project_id", o.projectId())
        .put("key_id", o.keyId())
        .put("timestamp", ClickHouseWriter.dateTime(o.timestamp()))
        .put("outcome", o.outcome())
        .put("reason", o.reason())
        .put("event_id", o.eventId() == null ? null : ClickHouseWriter.uuid(o.eventId()))
        .put("category", o.category() == null ? DataCategory.ERROR.code() : o.category())
        .put("quantity", o.quantity() == null ? 1L : o.quantity());
  }
}

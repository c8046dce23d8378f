package io.lookout.storage.kafka.message;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Any eventstream message other than an insert: group deletes, merges, unmerges, tag deletes,
 * {@code tombstone_events}, {@code replace_group}, {@code exclude_groups}, each
 * {@code [2, operation, body]}. The post-process forwarder skips these; Snuba applies them as
 * replacements. Kept as the raw body, since Lookout does not produce them yet.
 *
 * @param body the third element, or null when there is none
 */
public record EventStreamOperation(int version, String operation, JsonObject body)
    implements EventStreamMessage {

  public EventStreamOperation {
    Objects.requireNonNull(operation, "operation");
    if (EventStreamInsert.OPERATION.equals(operation)) {
      throw new IllegalArgumentException("an insert is an EventStreamInsert");
    }
  }
}

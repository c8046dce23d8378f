package io.lookout.processors.save;

import io.lookout.processors.grouping.GroupingResult;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One thing the save stage writes: an error event (with its grouping), a transaction, a user
 * feedback event, or a user report, with the attachments that came with it.
 *
 * @param event the normalized event JSON as it goes to the nodestore; null for a user report
 * @param grouping the issue this error belongs to; null for everything but errors
 * @param report name, email, comments of a user report or feedback; null otherwise
 */
public record SaveItem(
    Kind kind,
    long projectId,
    long organizationId,
    String eventId,
    Instant timestamp,
    JsonObject event,
    GroupingResult grouping,
    List<AttachmentFile> attachments,
    UserReport report) {

  public enum Kind { ERROR, TRANSACTION, FEEDBACK, USER_REPORT, ATTACHMENT }

  public SaveItem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(timestamp, "timestamp");
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
    if (kind == Kind.ERROR && (grouping == null || grouping.hashes().isEmpty())) {
      throw new IllegalArgumentException("an error needs its grouping hashes");
    }
    if ((kind == Kind.ERROR || kind == Kind.TRANSACTION || kind == Kind.FEEDBACK) && event == null) {
      throw new IllegalArgumentException(kind + " needs its event");
    }
  }

  /** Whether this item has an event that goes to the nodestore. */
  public boolean hasEvent() {
    return event != null;
  }

  /** An attachment body with Sentry's metadata ({@code type} is e.g. {@code event.attachment}, {@code event.minidump}). */
  public record AttachmentFile(String name, String contentType, String type, byte[] data) {
    public AttachmentFile {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(data, "data");
    }
  }

  /** What a user typed into a feedback form. */
  public record UserReport(String name, String email, String comments) {
  }
}

package io.lookout.processors.process;

import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.storage.json.JsonBytes;
import io.lookout.storage.kafka.message.AttachmentDescriptor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * An event after {@code process_event}: normalized and scrubbed, ready for grouping and saving. In
 * the broker transport it waits in the processing store as {@link #toJson()} between the stages.
 *
 * @param attachments the attachments that came with the event (content in chunks in the processing
 *     store, or inline)
 */
public record ProcessedEvent(Kind kind, long projectId, long organizationId, String eventId,
    Instant timestamp, JsonObject event, List<AttachmentDescriptor> attachments) {

  public ProcessedEvent {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  public Buffer toJson() {
    JsonArray files = new JsonArray();
    for (AttachmentDescriptor a : attachments) {
      JsonObject file = new JsonObject().put("id", a.id()).put("name", a.name())
          .put("rate_limited", a.rateLimited()).put("content_type", a.contentType())
          .put("attachment_type", a.attachmentType()).put("size", a.size());
      if (a.chunks() != null) {
        file.put("chunks", a.chunks());
      } else if (a.data() != null) {
        file.put("data", Base64.getEncoder().encodeToString(a.data()));
      } else {
        file.put("stored_id", a.storedId());
      }
      files.add(file);
    }
    JsonObject json = new JsonObject().put("kind", kind.name()).put("project_id", projectId)
        .put("organization_id", organizationId).put("event_id", eventId)
        .put("timestamp_us", timestamp.getEpochSecond() * 1_000_000L + timestamp.getNano() / 1000)
        .put("event", event).put("attachments", files);
    return JsonBytes.buffer(json);
  }

  /** @throws IllegalArgumentException when {@code json} is not what {@link #toJson()} wrote */
  public static ProcessedEvent fromJson(Buffer json) {
    try {
      JsonObject o = JsonBytes.parseObject(json.getBytes());
      List<AttachmentDescriptor> files = new ArrayList<>();
      for (Object item : o.getJsonArray("attachments", new JsonArray())) {
        JsonObject f = (JsonObject) item;
        String data = f.getString("data");
        files.add(new AttachmentDescriptor(f.getString("id"), f.getString("name"),
            f.getBoolean("rate_limited", false), f.getString("content_type"), f.getString("attachment_type"),
            f.getLong("size"), f.getInteger("chunks"), data == null ? null : Base64.getDecoder().decode(data),
            f.getString("stored_id")));
      }
      long micros = o.getLong("timestamp_us");
      return new ProcessedEvent(Kind.valueOf(o.getString("kind")), o.getLong("project_id"),
          o.getLong("organization_id"), o.getString("event_id"),
          Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000),
          o.getJsonObject("event"), files);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a processed event: " + e.getMessage(), e);
    }
  }
}

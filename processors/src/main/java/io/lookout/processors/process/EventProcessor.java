package io.lookout.processors.process;

import io.lookout.processors.normalize.EventNormalizer;
import io.lookout.processors.normalize.NormalizeContext;
import io.lookout.processors.normalize.ProjectOptions;
import io.lookout.processors.project.ProjectInfo;
import io.lookout.processors.save.SaveItem.Kind;
import io.lookout.storage.json.JsonBytes;
import io.lookout.storage.kafka.message.EventMessage;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Set;

/**
 * The {@code process_event} step: parses the payload Relay stored, normalizes and scrubs it for its
 * project, and says what kind of item it is. Pure CPU; no I/O.
 */
public final class EventProcessor {

  /** Platforms whose stack traces Sentry symbolicates before saving. */
  private static final Set<String> SYMBOLICATED_PLATFORMS = Set.of("native", "c", "cocoa", "objc", "swift");

  private final EventNormalizer normalizer;

  public EventProcessor(EventNormalizer normalizer) {
    this.normalizer = normalizer;
  }

  /** @throws InvalidEventException when the payload is not a JSON object */
  public ProcessedEvent process(EventMessage message, ProjectInfo project) {
    JsonObject event;
    try {
      event = JsonBytes.parseObject(message.payload());
    } catch (DecodeException | ClassCastException e) {
      throw new InvalidEventException("event " + message.eventId() + ": payload is not a JSON object: "
          + e.getMessage());
    }
    Instant received = Instant.ofEpochSecond(message.startTime());
    NormalizeContext context = new NormalizeContext(project.id(), message.eventId(), received,
        message.remoteAddr(), null, ProjectOptions.fromJson(project.options()));
    JsonObject normalized = normalizer.normalize(event, context);
    Kind kind = kindOf(normalized);
    return new ProcessedEvent(kind, project.id(), project.organizationId(), message.eventId(),
        timestampOf(normalized, received), normalized, message.attachments());
  }

  /** Whether {@code events.symbolicate_event} comes between processing and saving. */
  public static boolean needsSymbolication(ProcessedEvent event) {
    return event.kind() == Kind.ERROR
        && SYMBOLICATED_PLATFORMS.contains(event.event().getString("platform", ""));
  }

  static Kind kindOf(JsonObject event) {
    Object type = event.getValue("type");
    if ("transaction".equals(type)) {
      return Kind.TRANSACTION;
    }
    if ("feedback".equals(type)) {
      return Kind.FEEDBACK;
    }
    // the SDKs' feedback item carries no type (Relay derives it from the item type): its
    // contexts.feedback says what it is
    Object contexts = event.getValue("contexts");
    if (contexts instanceof JsonObject c && c.getValue("feedback") instanceof JsonObject
        && !event.containsKey("exception")) {
      event.put("type", "feedback");
      return Kind.FEEDBACK;
    }
    return Kind.ERROR;
  }

  static Instant timestampOf(JsonObject event, Instant fallback) {
    Object ts = event.getValue("timestamp");
    if (ts instanceof Number n) {
      double seconds = n.doubleValue();
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1_000_000) * 1000);
    }
    return fallback;
  }
}

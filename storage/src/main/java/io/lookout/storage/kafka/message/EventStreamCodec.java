package io.lookout.storage.kafka.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.lookout.storage.kafka.Topics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The JSON of the eventstream on {@link Topics#EVENTS} and {@link Topics#TRANSACTIONS}, with the key and headers
 * Sentry's {@code KafkaEventStream} sets:
 *
 * <ul>
 *   <li>value: {@code json.dumps((2, "insert", event, state))}, compact;
 *   <li>key: the project id as a decimal string ({@link #key(long)}); Sentry sends no key for
 *       transactions (and issue-platform events), to spread them over all partitions;
 *   <li>headers ({@link #headers}): {@code Received-Timestamp}, the post-process fields
 *       ({@code event_id, project_id, group_id, primary_hash, is_new, ...}) that let the
 *       forwarder skip parsing the body, then {@code operation} and {@code version}.
 * </ul>
 */
public final class EventStreamCodec {

  private static final String WHAT = "eventstream message";

  private EventStreamCodec() {
  }

  public static byte[] encode(EventStreamMessage message) {
    Objects.requireNonNull(message, "message");
    if (message instanceof EventStreamInsert insert) {
      return JsonSupport.write(insert.event().data().size() * 64,
          g -> writeInsert(g, insert, null));
    }
    EventStreamOperation op = (EventStreamOperation) message;
    return JsonSupport.write(256, g -> {
      g.writeStartArray();
      g.writeNumber(op.version());
      g.writeString(op.operation());
      if (op.body() != null) {
        JsonSupport.writeValue(g, op.body());
      }
      g.writeEndArray();
    });
  }

  /**
   * {@link #encode} for an insert whose event data is already JSON ({@code dataJson}, e.g. the bytes
   * just written to the nodestore): the data is copied in as it is instead of being walked again.
   * {@code insert.event().data()} is not read.
   */
  public static byte[] encode(EventStreamInsert insert, byte[] dataJson) {
    Objects.requireNonNull(dataJson, "dataJson");
    // the message is written with a one-byte stand-in for the data, whose offset is noted, and the
    // data's bytes go in its place: no decoding to a String and encoding back
    int[] at = {-1};
    byte[] frame;
    try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
      try (JsonGenerator g = JsonSupport.generator(out)) {
        writeInsert(g, insert, () -> {
          g.writeRawValue("0"); // after the ':' the generator writes with the value
          g.flush();
          at[0] = out.size() - 1;
        });
      }
      frame = out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // only an in-memory buffer is written to
    }
    byte[] message = new byte[frame.length - 1 + dataJson.length];
    System.arraycopy(frame, 0, message, 0, at[0]);
    System.arraycopy(dataJson, 0, message, at[0], dataJson.length);
    System.arraycopy(frame, at[0] + 1, message, at[0] + dataJson.length, frame.length - at[0] - 1);
    return message;
  }

  /** The record key Sentry uses for a project's errors. */
  public static byte[] key(long projectId) {
    return Long.toString(projectId).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The record headers of an insert, in Sentry's order, without the ones that would be None
   * (Sentry strips those; its Kafka client cannot read null headers).
   *
   * @param receivedTimestamp when the event was received, in unix seconds (Sentry's
   *     {@code start_time}); written like Python's {@code str(float)}
   */
  public static Map<String, String> headers(EventStreamInsert insert, double receivedTimestamp) {
    EventStreamInsert.Event e = insert.event();
    EventStreamInsert.State s = insert.state();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Received-Timestamp", JsonSupport.plainFloat(receivedTimestamp));
    headers.put("event_id", e.eventId());
    headers.put("project_id", Long.toString(e.projectId()));
    putIfPresent(headers, "occurrence_id", e.occurrenceId());
    putIfPresent(headers, "group_id", e.groupId() == null ? null : e.groupId().toString());
    putIfPresent(headers, "primary_hash", e.primaryHash());
    headers.put("is_new", bit(s.isNew()));
    headers.put("is_new_group_environment", bit(s.isNewGroupEnvironment()));
    headers.put("is_regression", bit(s.isRegression()));
    headers.put("skip_consume", bit(s.skipConsume()));
    if (s.groupStates() != null) {
      headers.put("group_states", new String(
          JsonSupport.write(64, g -> writeGroupStates(g, s.groupStates())),
          StandardCharsets.UTF_8));
    }
    putIfPresent(headers, "queue", s.queue());
    headers.put("operation", EventStreamInsert.OPERATION);
    headers.put("version", Integer.toString(EventStreamMessage.VERSION));
    return headers;
  }

  /**
   * @throws InvalidMessageException if the bytes are not a JSON array starting with a known
   *     version and an operation, or an insert lacks {@code event_id}, {@code project_id},
   *     {@code datetime} or {@code data}
   */
  public static EventStreamMessage decode(byte[] json) {
    return decode(JsonSupport.readArray(json, WHAT));
  }

  /**
   * {@link #decode(byte[])} for a consumer that reads only some of the event's fields: of an insert's
   * {@code data}, only the top-level keys {@code dataKeys} accepts are kept; the others (breadcrumbs,
   * extra, threads, ...) are skipped without being built. Everything else is decoded and checked as
   * {@link #decode(byte[])} does.
   */
  public static EventStreamMessage decode(byte[] json, Predicate<String> dataKeys) {
    return decode(JsonSupport.readArrayKeeping(json, WHAT, 2, "data", dataKeys));
  }

  private static EventStreamMessage decode(JsonArray array) {
    if (array.size() < 2) {
      throw new InvalidMessageException(WHAT + ": expected [version, operation, ...], got "
          + array.size() + " element(s)");
    }
    Long version = Fields.exactLong(array.getValue(0));
    if (version == null || version < 1 || version > 2) {
      throw new InvalidMessageException(WHAT + ": unsupported version "
          + (version == null ? Fields.describe(array.getValue(0)) : version));
    }
    if (!(array.getValue(1) instanceof String operation)) {
      throw new InvalidMessageException(WHAT + ": operation must be a string, got "
          + Fields.describe(array.getValue(1)));
    }
    String what = WHAT + " '" + operation + "'";
    if (!EventStreamInsert.OPERATION.equals(operation)) {
      Object body = array.size() > 2 ? array.getValue(2) : null;
      if (body != null && Fields.asMap(body) == null) {
        throw new InvalidMessageException(what + ": body must be an object, got "
            + Fields.describe(body));
      }
      return new EventStreamOperation(version.intValue(), operation,
          body == null ? null : new JsonObject(Fields.asMap(body)));
    }
    Map<String, Object> event = array.size() > 2 ? Fields.asMap(array.getValue(2)) : null;
    if (event == null) {
      throw new InvalidMessageException(what + ": the event must be an object, got "
          + Fields.describe(array.size() > 2 ? array.getValue(2) : null));
    }
    Object rawState = array.size() > 3 ? array.getValue(3) : null;
    Map<String, Object> state = rawState == null ? Map.of() : Fields.asMap(rawState);
    if (state == null) {
      throw new InvalidMessageException(what + ": the state must be an object, got "
          + Fields.describe(rawState));
    }
    try {
      return new EventStreamInsert(readEvent(new Fields(event, what + " event")),
          readState(new Fields(state, what + " state")));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidMessageException(what + ": " + e.getMessage(), e);
    }
  }

  private static EventStreamInsert.Event readEvent(Fields f) {
    Instant datetime;
    try {
      datetime = Timestamps.parse(f.requiredString("datetime"));
    } catch (DateTimeParseException e) {
      throw f.invalid("datetime", "is not an RFC 3339 timestamp");
    }
    List<Long> groupIds = new ArrayList<>();
    List<?> rawGroupIds = f.optionalList("group_ids");
    if (rawGroupIds != null) {
      for (Object id : rawGroupIds) {
        Long groupId = Fields.exactLong(id);
        if (groupId == null) {
          throw f.invalid("group_ids", "must hold integers, got " + Fields.describe(id));
        }
        groupIds.add(groupId);
      }
    }
    return new EventStreamInsert.Event(f.requiredEventId("event_id"),
        f.requiredLong("project_id"), f.optionalLong("organization_id"),
        f.optionalLong("group_id"), groupIds, f.optionalString("message"),
        f.optionalString("platform"), datetime, f.requiredJsonObject("data"),
        f.optionalString("primary_hash"), f.optionalInt("retention_days"),
        f.optionalString("occurrence_id"), f.optionalJsonObject("occurrence_data"));
  }

  private static EventStreamInsert.State readState(Fields f) {
    List<?> raw = f.optionalList("group_states");
    List<EventStreamInsert.GroupState> groupStates = null;
    if (raw != null) {
      groupStates = new ArrayList<>(raw.size());
      for (Object item : raw) {
        Map<String, Object> map = Fields.asMap(item);
        if (map == null) {
          throw f.invalid("group_states", "must hold objects, got " + Fields.describe(item));
        }
        Fields g = new Fields(map, f.what() + " group_states");
        groupStates.add(new EventStreamInsert.GroupState(groupId(g), g.bool("is_new", false),
            g.bool("is_regression", false), g.bool("is_new_group_environment", false)));
      }
    }
    return new EventStreamInsert.State(f.bool("is_new", false), f.bool("is_regression", false),
        f.bool("is_new_group_environment", false), f.optionalString("queue"),
        f.bool("skip_consume", false), groupStates);
  }

  /** The schema notes both integer and string group ids "in prod". */
  private static long groupId(Fields g) {
    Object id = g.raw("id");
    if (id instanceof String s) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw g.invalid("id", "is not a group id");
      }
    }
    return g.requiredLong("id");
  }

  /** Writes the event's data in place of {@code e.data()}. */
  private interface RawData {
    void write() throws IOException;
  }

  private static void writeInsert(JsonGenerator g, EventStreamInsert insert, RawData rawData) throws IOException {
    EventStreamInsert.Event e = insert.event();
    EventStreamInsert.State s = insert.state();
    g.writeStartArray();
    g.writeNumber(EventStreamMessage.VERSION);
    g.writeString(EventStreamInsert.OPERATION);

    g.writeStartObject();
    JsonSupport.writeNullableNumber(g, "group_id", e.groupId());
    g.writeArrayFieldStart("group_ids");
    for (Long id : e.groupIds()) {
      g.writeNumber(id);
    }
    g.writeEndArray();
    g.writeStringField("event_id", e.eventId());
    JsonSupport.writeNullableNumber(g, "organization_id", e.organizationId());
    g.writeNumberField("project_id", e.projectId());
    JsonSupport.writeNullableString(g, "message", e.message());
    JsonSupport.writeNullableString(g, "platform", e.platform());
    g.writeStringField("datetime", Timestamps.formatMicros(e.datetime()));
    g.writeFieldName("data");
    if (rawData != null) {
      rawData.write();
    } else {
      JsonSupport.writeValue(g, e.data());
    }
    JsonSupport.writeNullableString(g, "primary_hash", e.primaryHash());
    JsonSupport.writeNullableNumber(g, "retention_days",
        e.retentionDays() == null ? null : e.retentionDays().longValue());
    JsonSupport.writeNullableString(g, "occurrence_id", e.occurrenceId());
    g.writeFieldName("occurrence_data");
    JsonSupport.writeValue(g, e.occurrenceData());
    g.writeEndObject();

    g.writeStartObject();
    g.writeBooleanField("is_new", s.isNew());
    g.writeBooleanField("is_regression", s.isRegression());
    g.writeBooleanField("is_new_group_environment", s.isNewGroupEnvironment());
    JsonSupport.writeNullableString(g, "queue", s.queue());
    g.writeBooleanField("skip_consume", s.skipConsume());
    g.writeFieldName("group_states");
    if (s.groupStates() == null) {
      g.writeNull();
    } else {
      writeGroupStates(g, s.groupStates());
    }
    g.writeEndObject();

    g.writeEndArray();
  }

  private static void writeGroupStates(JsonGenerator g, List<EventStreamInsert.GroupState> states)
      throws IOException {
    g.writeStartArray();
    for (EventStreamInsert.GroupState state : states) {
      g.writeStartObject();
      g.writeNumberField("id", state.id());
      g.writeBooleanField("is_new", state.isNew());
      g.writeBooleanField("is_regression", state.isRegression());
      g.writeBooleanField("is_new_group_environment", state.isNewGroupEnvironment());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static void putIfPresent(Map<String, String> headers, String key, String value) {
    if (value != null) {
      headers.put(key, value);
    }
  }

  private static String bit(boolean value) {
    return value ? "1" : "0";
  }
}

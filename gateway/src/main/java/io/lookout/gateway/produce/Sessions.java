package io.lookout.gateway.produce;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lookout.storage.kafka.message.SessionMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * {@code session} and {@code sessions} items as the {@link SessionMessage}s Relay's store service
 * last wrote to {@code ingest-sessions} ({@code produce_sessions} in
 * {@code relay-server/src/actors/store.rs}, before sessions became metrics):
 * <ul>
 *   <li>an update is one message; {@code errored} becomes {@code exited} (an update never has
 *       that status), {@code seq} is 0 for the initial update, {@code errors} is at least 1 for a
 *       crashed session and at most 65535;
 *   <li>an aggregate explodes into one message per non-zero status count of each of its first
 *       {@value #MAX_EXPLODED_SESSIONS} buckets, with the nil session id, the count as
 *       {@code quantity}, {@code errors} 0 for exited and 1 otherwise, and the receive time as
 *       {@code received};
 *   <li>{@code distinct_id} is the {@code did} when it is a UUID, else the v5 UUID of it in
 *       Sentry's {@code https://sentry.io/#did} namespace, else nil.
 * </ul>
 * A payload that does not parse (or lacks {@code started} or {@code attrs.release}) makes no
 * message, as in Relay.
 */
final class Sessions {

  /** Relay's {@code MAX_EXPLODED_SESSIONS}. */
  static final int MAX_EXPLODED_SESSIONS = 100;

  private static final JsonFactory JSON = new JsonFactory();
  /** Stands for a nested object or array in {@link #scalars}: of no type the readers accept. */
  private static final Object NOT_A_SCALAR = new Object();

  private static final UUID DID_NAMESPACE = Uuids.v5(Uuids.NAMESPACE_URL, "https://sentry.io/#did");

  private Sessions() {
  }

  /** The messages of a {@code session} item; empty if it does not parse. */
  static List<SessionMessage> fromUpdate(Buffer payload, ProduceScope scope) {
    JsonObject json = scalars(payload);
    if (json == null) {
      return List.of();
    }
    try {
      Instant started = instant(json.getValue("started"));
      String release = release(json);
      if (started == null || release == null) {
        return List.of();
      }
      Object sidRaw = json.getValue("sid");
      UUID sid = sidRaw == null ? UUID.randomUUID() : Uuids.parse(str(sidRaw));
      if (sid == null) {
        return List.of();
      }
      Instant timestamp = json.getValue("timestamp") == null ? scope.receivedAt()
          : instant(json.getValue("timestamp"));
      if (timestamp == null) {
        return List.of();
      }
      boolean init = bool(json.getValue("init"));
      long seq = json.getValue("seq") == null ? System.currentTimeMillis()
          : unsigned(json.getValue("seq"));
      String status = json.getValue("status") == null ? "ok" : str(json.getValue("status"));
      if ("errored".equals(status)) {
        status = "exited";
      }
      long errors = json.getValue("errors") == null ? 0 : unsigned(json.getValue("errors"));
      errors = Math.min(0xFFFF, Math.max("crashed".equals(status) ? 1 : 0, errors));
      Double duration = json.getValue("duration") == null ? null
          : ((Number) json.getValue("duration")).doubleValue();
      return List.of(new SessionMessage(scope.scoping().organizationId(), scope.scoping().projectId(),
          sid, distinctId(json.getValue("did")), 1, init ? 0 : seq, seconds(timestamp),
          seconds(started), duration, status, (int) errors, release,
          environment(json), scope.client(), scope.retentionDays()));
    } catch (ClassCastException | IllegalArgumentException e) {
      return List.of();
    }
  }

  /** The messages an aggregate ({@code sessions} item) explodes into; empty if it does not parse. */
  static List<SessionMessage> fromAggregates(Buffer payload, ProduceScope scope) {
    JsonObject json = object(payload);
    if (json == null) {
      return List.of();
    }
    try {
      String release = release(json);
      Object rawAggregates = json.getValue("aggregates");
      if (release == null || !(rawAggregates instanceof JsonArray aggregates)) {
        return List.of();
      }
      String environment = environment(json);
      double received = seconds(scope.receivedAt());
      List<SessionMessage> out = new ArrayList<>();
      int buckets = 0;
      for (Object raw : aggregates) {
        if (buckets++ == MAX_EXPLODED_SESSIONS) {
          break;
        }
        JsonObject bucket = (JsonObject) raw;
        Instant started = instant(bucket.getValue("started"));
        if (started == null) {
          return List.of();
        }
        UUID did = distinctId(bucket.getValue("did"));
        String[] statuses = {"exited", "errored", "abnormal", "crashed"};
        for (String status : statuses) {
          long count = bucket.getValue(status) == null ? 0 : unsigned(bucket.getValue(status));
          if (count > 0) {
            out.add(new SessionMessage(scope.scoping().organizationId(), scope.scoping().projectId(),
                SessionMessage.NIL, did, Math.min(count, 0xFFFF_FFFFL), 0, received,
                seconds(started), null, status, "exited".equals(status) ? 0 : 1, release,
                environment, scope.client(), scope.retentionDays()));
          }
        }
      }
      return out;
    } catch (ClassCastException | IllegalArgumentException e) {
      return List.of();
    }
  }

  /** Relay's {@code make_distinct_id}. */
  static UUID distinctId(Object did) {
    if (!(did instanceof String s)) {
      return SessionMessage.NIL;
    }
    UUID parsed = Uuids.parse(s);
    return parsed != null ? parsed : Uuids.v5(DID_NAMESPACE, s);
  }

  private static JsonObject object(Buffer payload) {
    try {
      return Json.decodeValue(payload) instanceof JsonObject o ? o : null;
    } catch (DecodeException e) {
      return null;
    }
  }

  /**
   * An update as the fields it needs, read with the streaming parser (most error envelopes carry
   * one; building the whole tree cost as much as the rest of the item): the top-level scalars as
   * {@link Json#decodeValue} types them, {@code attrs} as an object of its scalars, and every
   * other object or array as a value of no JSON type, which the readers above reject as they
   * reject any wrong type. Null when the payload is not one JSON object.
   */
  private static JsonObject scalars(Buffer payload) {
    try (JsonParser parser = JSON.createParser(payload.getBytes())) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonObject json = readObject(parser, true);
      return parser.nextToken() == null ? json : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The object whose START_OBJECT was just read, up to and with its END_OBJECT. */
  private static JsonObject readObject(JsonParser parser, boolean top) throws IOException {
    JsonObject json = new JsonObject();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      if (top && token == JsonToken.START_OBJECT && "attrs".equals(name)) {
        json.put(name, readObject(parser, false));
      } else if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
        parser.skipChildren();
        json.put(name, NOT_A_SCALAR);
      } else {
        json.put(name, scalar(parser, token));
      }
    }
    return json;
  }

  private static Object scalar(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> parser.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case VALUE_NUMBER_INT -> parser.getNumberValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      default -> throw new JsonParseException(parser, "unexpected " + token);
    };
  }

  /** {@code attrs.environment}: null if absent; not a string fails the item, as in Relay. */
  private static String environment(JsonObject json) {
    Object environment = json.getJsonObject("attrs").getValue("environment");
    if (environment == null || environment instanceof String) {
      return (String) environment;
    }
    throw new IllegalArgumentException("environment is not a string");
  }

  private static String release(JsonObject json) {
    return json.getValue("attrs") instanceof JsonObject attrs
        && attrs.getValue("release") instanceof String release ? release : null;
  }

  private static Instant instant(Object raw) {
    return TraceItems.timestamp(raw);
  }

  private static double seconds(Instant instant) {
    return instant.getEpochSecond() + (instant.getNano() / 1_000) / 1_000_000d;
  }

  private static String str(Object raw) {
    if (raw instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException("not a string");
  }

  private static boolean bool(Object raw) {
    if (raw == null) {
      return false;
    }
    if (raw instanceof Boolean b) {
      return b;
    }
    throw new IllegalArgumentException("not a boolean");
  }

  private static long unsigned(Object raw) {
    if ((raw instanceof Integer || raw instanceof Long) && ((Number) raw).longValue() >= 0) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof BigInteger big && big.signum() >= 0) {
      return Long.MAX_VALUE;
    }
    throw new IllegalArgumentException("not an unsigned integer");
  }
}

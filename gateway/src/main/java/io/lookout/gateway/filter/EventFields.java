package io.lookout.gateway.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the fields the inbound filters look at from an event as the SDK sent it, accepting the
 * shapes Relay's event schema accepts (legacy aliases, a bare string for a log entry, a list or an
 * object for exceptions, an object or a list of pairs for headers). Wrong types read as absent.
 */
final class EventFields {

  private EventFields() {
  }

  static String type(JsonObject event) {
    return string(event.getValue("type"));
  }

  static String transaction(JsonObject event) {
    return string(event.getValue("transaction"));
  }

  /** {@code release}, a lenient string: a number or boolean is read as its text. */
  static String release(JsonObject event) {
    return lenient(event.getValue("release"));
  }

  /**
   * {@code user.ip_address}; {@code {{auto}}} is the client IP, as normalization makes it before
   * Relay's filters run.
   */
  static String userIp(JsonObject event, String clientIp) {
    JsonObject user = object(event.getValue("user"));
    String ip = user == null ? null : string(user.getValue("ip_address"));
    if ("{{auto}}".equals(ip)) {
      return clientIp;
    }
    if (ip == null) {
      // normalization also takes a REMOTE_ADDR from the request env as the user's address
      JsonObject request = request(event);
      JsonObject env = request == null ? null : object(request.getValue("env"));
      ip = env == null ? null : string(env.getValue("REMOTE_ADDR"));
    }
    return ip;
  }

  static String url(JsonObject event) {
    JsonObject request = request(event);
    return request == null ? null : string(request.getValue("url"));
  }

  /** A request header by name, any case; the first when repeated. */
  static String header(JsonObject event, String name) {
    JsonObject request = request(event);
    if (request == null) {
      return null;
    }
    Object headers = request.getValue("headers");
    JsonObject asObject = object(headers);
    if (asObject != null) {
      for (Map.Entry<String, Object> entry : asObject) {
        if (entry.getKey().equalsIgnoreCase(name)) {
          return lenient(entry.getValue());
        }
      }
      return null;
    }
    JsonArray pairs = array(headers);
    if (pairs != null) {
      for (Object item : pairs) {
        JsonArray pair = array(item);
        if (pair != null && pair.size() == 2 && pair.getValue(0) instanceof String key
            && key.equalsIgnoreCase(name)) {
          return lenient(pair.getValue(1));
        }
      }
    }
    return null;
  }

  static String userAgent(JsonObject event) {
    return header(event, "User-Agent");
  }

  /** The exceptions, in the order sent; empty when there are none. */
  static List<JsonObject> exceptions(JsonObject event) {
    Object raw = event.getValue("exception");
    if (raw == null) {
      raw = event.getValue("sentry.interfaces.Exception");
    }
    JsonArray values = array(raw);
    JsonObject container = object(raw);
    if (values == null && container != null) {
      values = array(container.getValue("values"));
    }
    if (values == null) {
      return List.of();
    }
    List<JsonObject> exceptions = new ArrayList<>(values.size());
    for (Object value : values) {
      JsonObject exception = object(value);
      if (exception != null) {
        exceptions.add(exception);
      }
    }
    return exceptions;
  }

  static String exceptionType(JsonObject exception) {
    return string(exception.getValue("type"));
  }

  /** An exception's {@code value}, a lenient string. */
  static String exceptionValue(JsonObject exception) {
    return lenient(exception.getValue("value"));
  }

  /** The frames of an exception's stack trace, innermost last; empty when there are none. */
  static JsonArray frames(JsonObject exception) {
    JsonObject stacktrace = object(exception.getValue("stacktrace"));
    JsonArray frames = stacktrace == null ? null : array(stacktrace.getValue("frames"));
    return frames == null ? new JsonArray() : frames;
  }

  /**
   * The log entry's message: {@code formatted}, else {@code message}. The entry is
   * {@code logentry}, or the legacy {@code message} / {@code sentry.interfaces.Message}; a bare
   * string is its {@code formatted}.
   */
  static String logMessage(JsonObject event) {
    Object entry = event.getValue("logentry");
    if (entry == null) {
      entry = event.getValue("sentry.interfaces.Message");
    }
    if (entry == null) {
      entry = event.getValue("message");
    }
    if (entry instanceof String text) {
      return text;
    }
    JsonObject object = object(entry);
    if (object == null) {
      return null;
    }
    String formatted = lenient(object.getValue("formatted"));
    return formatted != null ? formatted : lenient(object.getValue("message"));
  }

  static JsonObject object(Object value) {
    if (value instanceof JsonObject object) {
      return object;
    }
    if (value instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> typed = (Map<String, Object>) map;
      return new JsonObject(typed);
    }
    return null;
  }

  static JsonArray array(Object value) {
    if (value instanceof JsonArray array) {
      return array;
    }
    if (value instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list));
    }
    return null;
  }

  static String string(Object value) {
    return value instanceof String s ? s : null;
  }

  /** A string, or the text of a number or boolean (Relay's lenient strings). */
  private static String lenient(Object value) {
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    return null;
  }

  private static JsonObject request(JsonObject event) {
    Object request = event.getValue("request");
    if (request == null) {
      request = event.getValue("sentry.interfaces.Http");
    }
    return object(request);
  }
}

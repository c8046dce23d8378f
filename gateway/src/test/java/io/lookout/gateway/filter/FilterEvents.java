package io.lookout.gateway.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Event payloads as SDKs send them, for the filter tests. */
final class FilterEvents {

  private FilterEvents() {
  }

  static JsonObject withUserAgent(String userAgent) {
    return new JsonObject().put("request", new JsonObject()
        .put("headers", new JsonObject().put("User-Agent", userAgent)));
  }

  static JsonObject withIp(String ip) {
    return new JsonObject().put("user", new JsonObject().put("ip_address", ip));
  }

  static JsonObject withUrl(String url) {
    return new JsonObject().put("request", new JsonObject().put("url", url));
  }

  static JsonObject withHeader(String name, String value) {
    return new JsonObject().put("request", new JsonObject()
        .put("headers", new JsonArray().add(new JsonArray().add(name).add(value))));
  }

  static JsonObject withException(String type, String value) {
    JsonObject exception = new JsonObject();
    if (type != null) {
      exception.put("type", type);
    }
    if (value != null) {
      exception.put("value", value);
    }
    return new JsonObject().put("exception", new JsonObject()
        .put("values", new JsonArray().add(exception).add(new JsonObject()).add(new JsonObject())));
  }

  /** An exception whose frames have these abs_paths, outermost first. */
  static JsonObject withFrames(List<String> absPaths) {
    JsonArray frames = new JsonArray();
    for (String path : absPaths) {
      frames.add(new JsonObject().put("abs_path", path).put("function", "f"));
    }
    return new JsonObject().put("exception", new JsonObject().put("values", new JsonArray()
        .add(new JsonObject().put("type", "Error").put("value", "boom")
            .put("stacktrace", new JsonObject().put("frames", frames)))));
  }

  static FilterConfig config(String json) {
    return FilterConfig.fromJson(new JsonObject(json));
  }
}

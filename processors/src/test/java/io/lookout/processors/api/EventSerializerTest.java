package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventSerializerTest {

  static JsonObject storedEvent(String eventId, long groupId) {
    return new JsonObject()
        .put("event_id", eventId)
        .put("timestamp", 1717243205.25)
        .put("received", 1717243206.5)
        .put("platform", "java")
        .put("level", "error")
        .put("logentry", new JsonObject().put("formatted", "order 7 failed"))
        .put("exception", new JsonObject().put("values", new JsonArray().add(new JsonObject()
            .put("type", "IllegalStateException").put("value", "boom")
            .put("mechanism", new JsonObject().put("type", "generic").put("handled", false))
            .put("stacktrace", new JsonObject().put("frames", new JsonArray()
                .add(new JsonObject().put("function", "run").put("module", "java.lang.Thread").put("in_app", false))
                .add(new JsonObject().put("function", "place").put("filename", "OrderService.java")
                    .put("abs_path", "OrderService.java").put("lineno", 42).put("in_app", true)
                    .put("pre_context", new JsonArray().add("a").add("b")).put("context_line", "c")
                    .put("post_context", new JsonArray().add("d"))))))))
        .put("breadcrumbs", new JsonObject().put("values", new JsonArray()
            .add(new JsonObject().put("timestamp", 1717243200.0).put("category", "http").put("message", "GET /"))))
        .put("request", new JsonObject().put("url", "http://shop/orders").put("method", "POST")
            .put("query_string", "a=1&b=2").put("headers", new JsonArray().add(new JsonArray().add("Host").add("shop"))))
        .put("tags", new JsonArray().add(new JsonArray().add("server_name").add("web-1"))
            .add(new JsonArray().add("level").add("error")))
        .put("user", new JsonObject().put("id", "7"))
        .put("contexts", new JsonObject().put("os", new JsonObject().put("name", "Linux")))
        .put("sdk", new JsonObject().put("name", "sentry.java").put("version", "8.0.0"))
        .put("extra", new JsonObject().put("cart", 3))
        .put("group_id", groupId)
        .put("hashes", new JsonArray().add("0123456789abcdef0123456789abcdef"))
        .put("title", "IllegalStateException: boom")
        .put("culprit", "OrderService in place")
        .put("location", "OrderService.java")
        .put("metadata", new JsonObject().put("type", "IllegalStateException").put("value", "boom"))
        .put("type", "error");
  }

  @Test
  void storedEventBecomesSentrysEventJson() {
    String id = "0123456789abcdef0123456789abcdef";
    JsonObject out = EventSerializer.event(storedEvent(id, 77), 5, 1234);
    assertThat(out.getString("id")).isEqualTo(id);
    assertThat(out.getString("eventID")).isEqualTo(id);
    assertThat(out.getString("groupID")).isEqualTo("77");
    assertThat(out.getString("projectID")).isEqualTo("5");
    assertThat(out.getString("title")).isEqualTo("IllegalStateException: boom");
    assertThat(out.getString("message")).isEqualTo("order 7 failed");
    assertThat(out.getString("dateCreated")).isEqualTo("2024-06-01T12:00:05.250Z");
    assertThat(out.getString("dateReceived")).isEqualTo("2024-06-01T12:00:06.500Z");
    assertThat(out.getJsonArray("tags").getJsonObject(0))
        .isEqualTo(new JsonObject().put("key", "server_name").put("value", "web-1"));
    assertThat(out.getJsonObject("context").getInteger("cart")).isEqualTo(3);
    assertThat(out.getJsonArray("fingerprints")).hasSize(1);

    JsonArray entries = out.getJsonArray("entries");
    assertThat(entries.stream().map(e -> ((JsonObject) e).getString("type")))
        .containsExactly("message", "exception", "breadcrumbs", "request");
    JsonObject exception = entries.getJsonObject(1).getJsonObject("data");
    assertThat(exception.getBoolean("hasSystemFrames")).isTrue();
    JsonObject frame = exception.getJsonArray("values").getJsonObject(0).getJsonObject("stacktrace")
        .getJsonArray("frames").getJsonObject(1);
    assertThat(frame.getString("absPath")).isEqualTo("OrderService.java");
    assertThat(frame.getInteger("lineNo")).isEqualTo(42);
    assertThat(frame.getBoolean("inApp")).isTrue();
    assertThat(frame.getJsonArray("context").encode()).isEqualTo("[[40,\"a\"],[41,\"b\"],[42,\"c\"],[43,\"d\"]]");
    JsonObject crumb = entries.getJsonObject(2).getJsonObject("data").getJsonArray("values").getJsonObject(0);
    assertThat(crumb.getString("timestamp")).isEqualTo("2024-06-01T12:00:00.000Z");
    assertThat(crumb.getString("type")).isEqualTo("default");
    JsonObject request = entries.getJsonObject(3).getJsonObject("data");
    assertThat(request.getJsonArray("query").encode()).isEqualTo("[[\"a\",\"1\"],[\"b\",\"2\"]]");
  }

  @Test
  void timestampsAreReadInEveryForm() {
    assertThat(EventSerializer.instant(1717243205.123)).isEqualTo(Instant.parse("2024-06-01T12:00:05.123Z"));
    assertThat(EventSerializer.instant("2024-06-01T12:00:05.123Z")).isEqualTo(Instant.parse("2024-06-01T12:00:05.123Z"));
    assertThat(EventSerializer.instant("2024-06-01T14:00:05+02:00")).isEqualTo(Instant.parse("2024-06-01T12:00:05Z"));
    assertThat(EventSerializer.instant("2024-06-01T12:00:05")).isEqualTo(Instant.parse("2024-06-01T12:00:05Z"));
    assertThat(EventSerializer.instant("nonsense")).isNull();
  }
}

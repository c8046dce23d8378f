package io.lookout.processors.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.JsonSerializer;
import io.sentry.MainEventProcessor;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.protocol.Request;
import io.sentry.protocol.User;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Normalizes what the real Sentry Java SDK sends: its own event processor and JSON serializer build it. */
class SentryJavaEventNormalizerTest {

  static JsonObject sdkEvent() throws Exception {
    SentryOptions options = new SentryOptions();
    options.setDsn("http://key@127.0.0.1:1/1");
    options.setRelease("shop@1.4.2");
    options.setEnvironment("production");
    options.setServerName("web-7");

    SentryEvent event;
    try {
      throw new IllegalStateException("checkout failed",
          new IllegalArgumentException("bad card 4111 1111 1111 1111"));
    } catch (IllegalStateException e) {
      event = new SentryEvent(e);
    }
    event.setLevel(SentryLevel.ERROR);
    event.setTag("flow", "checkout");
    event.setTag("region", "eu-west");
    User user = new User();
    user.setId("u-42");
    user.setEmail("jane@example.com");
    user.setIpAddress("{{auto}}");
    event.setUser(user);
    event.setExtra("password", "hunter2");
    event.setExtra("card", "4111 1111 1111 1111");
    event.setExtra("cart_items", 3);
    Request request = new Request();
    request.setUrl("https://shop.example.com/checkout?step=2&session_token=abc");
    request.setMethod("POST");
    request.setHeaders(Map.of("Authorization", "Bearer s3cr3t", "Accept", "application/json"));
    event.setRequest(request);
    Breadcrumb crumb = new Breadcrumb("opened cart");
    crumb.setCategory("ui.click");
    crumb.setData("password", "pw");
    event.addBreadcrumb(crumb);
    event.addBreadcrumb(Breadcrumb.http("https://api.example.com/pay", "POST", 502));

    new MainEventProcessor(options).process(event, new Hint());
    StringWriter out = new StringWriter();
    new JsonSerializer(options).serialize(event, out);
    return new JsonObject(out.toString());
  }

  static String tag(JsonObject ev, String key) {
    for (Object p : ev.getJsonArray("tags")) {
      JsonArray pair = (JsonArray) p;
      if (key.equals(pair.getString(0))) {
        return pair.getString(1);
      }
    }
    return null;
  }

  @Test
  void realJavaSdkEventIsNormalized() throws Exception {
    JsonObject raw = sdkEvent();
    assertThat(raw.getString("platform")).isEqualTo("java");
    String sdkEventId = raw.getString("event_id");
    // without in-app options the SDK leaves in_app unset: the project's options decide below
    JsonObject rawThrown = raw.getJsonObject("exception").getJsonArray("values").getJsonObject(1);
    assertThat(rawThrown.getJsonObject("stacktrace").getJsonArray("frames").stream()
        .map(f -> (JsonObject) f).filter(f -> f.getValue("in_app") != null).toList()).isEmpty();
    Instant received = Instant.now();

    ProjectOptions options = ProjectOptions.fromJson(new JsonObject()
        .put("lookout:in_app_include", new JsonArray().add("io.lookout.")));
    NormalizeContext ctx = new NormalizeContext(3, sdkEventId, received, "198.51.100.23", received, options);
    JsonObject ev = new EventNormalizer(NormalizeConfig.defaults()).normalize(raw, ctx);

    // identity and timestamps
    assertThat(ev.getString("event_id")).isEqualTo(sdkEventId.replace("-", "")).matches("[0-9a-f]{32}");
    assertThat(ev.getValue("timestamp")).isInstanceOf(Double.class);
    assertThat(Math.abs(ev.getDouble("timestamp") - ev.getDouble("received"))).isLessThan(60.0);
    assertThat(ev.getString("type")).isEqualTo("error");
    assertThat(ev.getString("platform")).isEqualTo("java");
    assertThat(ev.getString("level")).isEqualTo("error");
    assertThat(ev.getString("release")).isEqualTo("shop@1.4.2");
    assertThat(ev.getString("environment")).isEqualTo("production");

    // tags as pairs with the promoted ones
    assertThat(ev.getValue("tags")).isInstanceOf(JsonArray.class);
    assertThat(tag(ev, "flow")).isEqualTo("checkout");
    assertThat(tag(ev, "region")).isEqualTo("eu-west");
    assertThat(tag(ev, "level")).isEqualTo("error");
    assertThat(tag(ev, "environment")).isEqualTo("production");
    assertThat(tag(ev, "sentry:release")).isEqualTo("shop@1.4.2");
    assertThat(tag(ev, "sentry:user")).isEqualTo("id:u-42");
    assertThat(tag(ev, "server_name")).isEqualTo("web-7");
    assertThat(tag(ev, "url")).isEqualTo("https://shop.example.com/checkout");

    // user IP from the client address
    assertThat(ev.getJsonObject("user").getString("ip_address")).isEqualTo("198.51.100.23");

    // scrubbing
    JsonObject extra = ev.getJsonObject("extra");
    assertThat(extra.getString("password")).isEqualTo("[Filtered]");
    assertThat(extra.getString("card")).isEqualTo("[Filtered]");
    assertThat(extra.getInteger("cart_items")).isEqualTo(3);
    JsonArray headers = ev.getJsonObject("request").getJsonArray("headers");
    assertThat(headers).contains(new JsonArray().add("Authorization").add("[Filtered]"),
        new JsonArray().add("Accept").add("application/json"));
    assertThat(ev.getJsonObject("request").getJsonArray("query_string")).containsExactly(
        new JsonArray().add("step").add("2"), new JsonArray().add("session_token").add("[Filtered]"));
    JsonArray crumbs = ev.getJsonObject("breadcrumbs").getJsonArray("values");
    assertThat(crumbs.size()).isEqualTo(2);
    assertThat(crumbs.getJsonObject(0).getJsonObject("data").getString("password")).isEqualTo("[Filtered]");
    assertThat(crumbs.getJsonObject(0).getValue("timestamp")).isInstanceOf(Double.class);
    assertThat(ev.getJsonObject("_meta").getJsonObject("extra").getJsonObject("password")).isNotNull();

    // exceptions: the cause first, the thrown one last; the card number in the cause's message is gone
    JsonArray exceptions = ev.getJsonObject("exception").getJsonArray("values");
    assertThat(exceptions.size()).isEqualTo(2);
    JsonObject cause = exceptions.getJsonObject(0);
    JsonObject thrown = exceptions.getJsonObject(1);
    assertThat(thrown.getString("type")).isEqualTo("IllegalStateException");
    assertThat(thrown.getString("value")).isEqualTo("checkout failed");
    assertThat(cause.getString("value")).isEqualTo("bad card [Filtered]");

    // in-app: this test class is in-app, JUnit and the JDK are not
    JsonArray frames = thrown.getJsonObject("stacktrace").getJsonArray("frames");
    List<JsonObject> list = frames.stream().map(f -> (JsonObject) f).toList();
    assertThat(list).anySatisfy(f -> {
      assertThat(f.getString("module")).isEqualTo(SentryJavaEventNormalizerTest.class.getName());
      assertThat(f.getBoolean("in_app")).isTrue();
    });
    assertThat(list).filteredOn(f -> f.getString("module", "").startsWith("java."))
        .allSatisfy(f -> assertThat(f.getBoolean("in_app")).isFalse());
    assertThat(list).filteredOn(f -> f.getString("module", "").startsWith("org.junit."))
        .allSatisfy(f -> assertThat(f.getBoolean("in_app")).isFalse());

    // sdk info survives
    assertThat(ev.getJsonObject("sdk").getString("name")).startsWith("sentry.java");
    assertThat(ev.getJsonArray("errors")).isNull();
  }

  @Test
  void realEventSerializesBackToJson() throws Exception {
    JsonObject raw = sdkEvent();
    NormalizeContext ctx = new NormalizeContext(3, raw.getString("event_id"), Instant.now(), null, null, null);
    JsonObject ev = new EventNormalizer(NormalizeConfig.defaults()).normalize(raw, ctx);
    // the result is plain JSON the save stage can store as is
    JsonObject again = new JsonObject(ev.encode());
    assertThat(again).isEqualTo(ev);
  }
}

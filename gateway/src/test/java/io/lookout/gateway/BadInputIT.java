package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets its status, a JSON detail and (where data was lost) an outcome; the gateway keeps serving. */
class BadInputIT {

  private static final String AUTH = "Sentry sentry_version=7,sentry_client=it/1.0,sentry_key=" + GatewayFixture.KEY;
  private static GatewayFixture fixture;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(new JsonObject().put("limits", new JsonObject()
        .put("max_event_size", 64 * 1024).put("max_envelope_size", 1 << 20)));
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  static HttpResponse<String> post(String path, String auth, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.url(path))).timeout(Duration.ofSeconds(15))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (auth != null) {
      b.header("X-Sentry-Auth", auth);
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> envelope(String body) throws Exception {
    return post("/api/42/envelope/", AUTH, body.getBytes(StandardCharsets.UTF_8));
  }

  static String event(String eventId, String message) {
    String payload = new JsonObject().put("event_id", eventId).put("message", message).encode();
    return "{\"event_id\":\"" + eventId + "\"}\n{\"type\":\"event\",\"length\":"
        + payload.getBytes(StandardCharsets.UTF_8).length + "}\n" + payload + "\n";
  }

  static void assertDetail(HttpResponse<String> response, int status, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(new JsonObject(response.body()).getString("detail")).contains(detail);
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void validEnvelopeAnswersItsEventId() throws Exception {
    String id = GatewayFixture.randomEventId();
    HttpResponse<String> response = envelope(event(id, "hello"));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("id")).isEqualTo(id);
  }

  @Test
  void truncatedEnvelopeIs400() throws Exception {
    String whole = event(GatewayFixture.randomEventId(), "hello");
    assertDetail(envelope(whole.substring(0, whole.length() - 10)), 400, "invalid event envelope");
  }

  @Test
  void wrongLengthIs400() throws Exception {
    String body = "{}\n{\"type\":\"event\",\"length\":5}\n{\"message\":\"longer than five\"}\n";
    assertDetail(envelope(body), 400, "invalid event envelope");
  }

  @Test
  void invalidJsonHeaderIs400() throws Exception {
    assertDetail(envelope("{not json\n{\"type\":\"event\"}\n{}\n"), 400, "invalid event envelope");
  }

  @Test
  void invalidUtf8HeaderIs400() throws Exception {
    byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, '"', '}', '\n'};
    assertDetail(post("/api/42/envelope/", AUTH, body), 400, "invalid event envelope");
  }

  @Test
  void unknownItemTypeIsDroppedNotRejected() throws Exception {
    HttpResponse<String> response = envelope("{}\n{\"type\":\"hologram\",\"length\":2}\n{}\n");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).containsKey("id")).isFalse();
  }

  @Test
  void tenThousandTinyItemsAreHandled() throws Exception {
    StringBuilder body = new StringBuilder("{}\n");
    for (int i = 0; i < 10_000; i++) {
      body.append("{\"type\":\"hologram\",\"length\":0}\n\n");
    }
    long start = System.nanoTime();
    HttpResponse<String> response = envelope(body.toString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void oversizedEventIs413WithAnInvalidOutcome() throws Exception {
    String id = GatewayFixture.randomEventId();
    HttpResponse<String> response = envelope(event(id, "x".repeat(100 * 1024)));
    assertDetail(response, 413, "envelope exceeds size limits");

    List<ConsumerRecord<byte[], byte[]>> records = fixture.read(Topics.OUTCOMES, 50, Duration.ofSeconds(5));
    List<Outcome> outcomes = records.stream().map(r -> OutcomeCodec.decode(r.value()))
        .filter(o -> id.equals(o.eventId() == null ? null : o.eventId().replace("-", ""))).toList();
    assertThat(outcomes).isNotEmpty();
    assertThat(outcomes.get(0).outcome()).isEqualTo(3);
    assertThat(outcomes.get(0).reason()).isEqualTo("too_large:event");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    byte[] big = new byte[(1 << 20) + 10];
    assertDetail(post("/api/42/envelope/", AUTH, big), 413, "payload too large");
  }

  @Test
  void zipBombIs413NotAnOutOfMemory() throws Exception {
    byte[] bomb = gzip(new byte[256 << 20]); // 256 MiB of zeros in ~256 KiB
    assertThat(bomb.length).isLessThan(1 << 20);
    assertDetail(post("/api/42/envelope/", AUTH, bomb, "Content-Encoding", "gzip"), 413, "payload too large");
  }

  @Test
  void unknownKeyIs401() throws Exception {
    String auth = "Sentry sentry_version=7,sentry_key=ffffffffffffffffffffffffffffffff";
    assertDetail(post("/api/42/envelope/", auth, event(GatewayFixture.randomEventId(), "x")
        .getBytes(StandardCharsets.UTF_8)), 401, "invalid authorization");
  }

  @Test
  void disabledKeyIs403() throws Exception {
    String auth = "Sentry sentry_version=7,sentry_key=" + GatewayFixture.DISABLED_KEY;
    assertDetail(post("/api/42/envelope/", auth, event(GatewayFixture.randomEventId(), "x")
        .getBytes(StandardCharsets.UTF_8)), 403, "event submission rejected");
  }

  @Test
  void projectIdOfUrlNotMatchingTheKeyIs400() throws Exception {
    assertDetail(post("/api/99/envelope/", AUTH, event(GatewayFixture.randomEventId(), "x")
        .getBytes(StandardCharsets.UTF_8)), 400, "invalid authorization");
  }

  @Test
  void envelopeDsnNotMatchingTheUrlIs400() throws Exception {
    String dsn = "http://" + GatewayFixture.KEY + "@127.0.0.1/43";
    String body = "{\"dsn\":\"" + dsn + "\"}\n{\"type\":\"event\",\"length\":2}\n{}\n";
    assertDetail(envelope(body), 400, "invalid event envelope");
  }

  @Test
  void envelopeDsnAloneAuthenticates() throws Exception {
    String id = GatewayFixture.randomEventId();
    String dsn = fixture.dsn(GatewayFixture.KEY, 42);
    String body = "{\"event_id\":\"" + id + "\",\"dsn\":\"" + dsn + "\"}\n{\"type\":\"event\",\"length\":2}\n{}\n";
    HttpResponse<String> response = post("/api/42/envelope/", null, body.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  @Test
  void twoAuthPayloadsAre401() throws Exception {
    HttpResponse<String> response = post("/api/42/envelope/?sentry_key=" + GatewayFixture.KEY, AUTH,
        event(GatewayFixture.randomEventId(), "x").getBytes(StandardCharsets.UTF_8));
    assertDetail(response, 401, "multiple authorization payloads detected");
  }

  @Test
  void missingAuthIs401() throws Exception {
    assertDetail(post("/api/42/store/", null, "{}".getBytes(StandardCharsets.UTF_8)), 401,
        "missing authorization information");
  }

  @Test
  void rateLimitedKeyGets429WithRelayHeaders() throws Exception {
    String auth = "Sentry sentry_version=7,sentry_key=" + GatewayFixture.LIMITED_KEY;
    HttpResponse<String> first = post("/api/43/envelope/", auth,
        event(GatewayFixture.randomEventId(), "1").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> second = post("/api/43/envelope/", auth,
        event(GatewayFixture.randomEventId(), "2").getBytes(StandardCharsets.UTF_8));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("Retry-After")).isPresent();
    assertThat(second.headers().firstValue("X-Sentry-Rate-Limits").orElseThrow())
        .contains("error").contains(":key");
  }

  @Test
  void storeEndpointTakesAJsonEventAndGetAnswersAGif() throws Exception {
    String id = GatewayFixture.randomEventId();
    HttpResponse<String> response = post("/api/42/store/", AUTH,
        new JsonObject().put("event_id", id).put("message", "legacy").encode().getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(response.body()).getString("id")).isEqualTo(id);

    HttpResponse<byte[]> gif = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url(
        "/api/42/store/?sentry_version=7&sentry_key=" + GatewayFixture.KEY + "&sentry_data=%7B%22message%22%3A%22px%22%7D")))
        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(gif.statusCode()).isEqualTo(200);
    assertThat(gif.headers().firstValue("Content-Type")).contains("image/gif");
  }

  @Test
  void corsPreflightAndHeaders() throws Exception {
    HttpResponse<String> preflight = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/42/envelope/")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://app.example")
        .header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(preflight.statusCode()).isEqualTo(200);
    assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow()).contains("x-sentry-auth");
    HttpResponse<String> post = post("/api/42/envelope/?sentry_key=" + GatewayFixture.KEY + "&sentry_version=7", null,
        event(GatewayFixture.randomEventId(), "browser").getBytes(StandardCharsets.UTF_8),
        "Origin", "http://app.example", "Content-Type", "text/plain;charset=UTF-8");
    assertThat(post.statusCode()).isEqualTo(200);
    assertThat(post.headers().firstValue("Access-Control-Expose-Headers").orElseThrow()).contains("x-sentry-rate-limits");
  }

  @Test
  void cronCheckInAnswers202() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url(
        "/api/42/cron/nightly/" + GatewayFixture.KEY + "/?status=ok&duration=1500"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    HttpResponse<String> bad = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url(
        "/api/42/cron/nightly/" + GatewayFixture.KEY + "/?status=sideways"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertDetail(bad, 400, "invalid check-in");
  }

  @Test
  void healthchecksAnswer() throws Exception {
    HttpResponse<String> live = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/relay/healthcheck/live/")))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> ready = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/relay/healthcheck/ready/")))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(ready.body()).getBoolean("is_healthy")).isTrue();
  }

  @Test
  void slowBodyHoldsASlotAndTheNextRequestOverTheCapGets503() throws Exception {
    try (GatewayFixture capped = GatewayFixture.start(new JsonObject().put("limits",
        new JsonObject().put("max_concurrent_requests", 1)))) {
      try (Socket slow = new Socket("127.0.0.1", capped.port)) {
        OutputStream out = slow.getOutputStream();
        out.write(("POST /api/42/envelope/ HTTP/1.1\r\nHost: x\r\nX-Sentry-Auth: " + AUTH
            + "\r\nContent-Length: 1000\r\n\r\n{}").getBytes(StandardCharsets.UTF_8));
        out.flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (capped.gateway.services().inFlight().get() < 1 && System.nanoTime() < deadline) {
          Thread.onSpinWait(); // until the gateway holds the slow request's slot
        }
        assertThat(capped.gateway.services().inFlight().get()).isEqualTo(1);
        HttpResponse<String> second = HTTP.send(HttpRequest.newBuilder(URI.create(capped.url("/api/42/envelope/")))
            .header("X-Sentry-Auth", AUTH).POST(HttpRequest.BodyPublishers.ofString("{}\n")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertDetail(second, 503, "service unavailable");
      }
      // the slot is free again once the slow client went away
      HttpResponse<String> after = HTTP.send(HttpRequest.newBuilder(URI.create(capped.url("/api/42/envelope/")))
          .header("X-Sentry-Auth", AUTH).POST(HttpRequest.BodyPublishers.ofString(
              event(GatewayFixture.randomEventId(), "after"))).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(after.statusCode()).isEqualTo(200);
      // and the slow client's partial body no longer counts against the memory budget
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (capped.gateway.services().bodyBudget().used() > 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(capped.gateway.services().bodyBudget().used()).isZero();
    }
  }

  @Test
  void gatewayKeepsServingAfterGarbage() throws Exception {
    try (Socket garbage = new Socket("127.0.0.1", fixture.port)) {
      garbage.getOutputStream().write(new byte[] {0, 1, 2, 3, (byte) 0xff, '\r', '\n', '\r', '\n'});
      garbage.getOutputStream().flush();
      InputStream in = garbage.getInputStream();
      garbage.setSoTimeout(5000);
      in.read(new byte[256]);
    } catch (IOException expected) {
      // the gateway may just close the connection
    }
    assertThat(envelope(event(GatewayFixture.randomEventId(), "still up")).statusCode()).isEqualTo(200);
  }
}

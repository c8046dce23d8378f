package io.lookout.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A steady stream of error envelopes to the gateway's envelope endpoint at a fixed rate, each event
 * with an id of its own, spread round-robin over {@code issues} bugs (one exception type and
 * in-app function each, so each is one issue). It records which events the gateway answered 200,
 * which it did not, and how many 200s each bug got.
 */
final class EventStream implements Runnable {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final E2eStack stack;
  private final int perSecond;
  private final int total;
  private final int issues;
  private final int maxInFlight;
  private final Semaphore inFlight;
  /** Event ids that got a 200. */
  final Set<String> accepted = ConcurrentHashMap.newKeySet();
  /** Event ids that got anything else (status or I/O error): they may or may not be stored. */
  final Set<String> refused = ConcurrentHashMap.newKeySet();
  final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  final AtomicLongArray acceptedPerIssue;
  private final AtomicInteger sent = new AtomicInteger();
  private volatile boolean done;

  EventStream(E2eStack stack, int perSecond, int seconds, int issues, int maxInFlight) {
    this.stack = stack;
    this.perSecond = perSecond;
    this.total = perSecond * seconds;
    this.issues = issues;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
    this.acceptedPerIssue = new AtomicLongArray(issues);
  }

  int sent() {
    return sent.get();
  }

  int total() {
    return total;
  }

  boolean done() {
    return done;
  }

  /** Sends {@code total} events, paced at {@code perSecond}, and returns once every answer is in. */
  @Override
  public void run() {
    long start = System.nanoTime();
    long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
    try {
      for (int i = 0; i < total; i++) {
        long due = start + i * interval;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        inFlight.acquire();
        send(i % issues);
        sent.incrementAndGet();
      }
      // every permit back: every answer is in
      inFlight.acquire(maxInFlight);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done = true;
    }
  }

  private void send(int issue) {
    String eventId = UUID.randomUUID().toString().replace("-", "");
    HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl("/api/" + stack.projectId() + "/envelope/")))
        .timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-sentry-envelope")
        .header("X-Sentry-Auth", "Sentry sentry_version=7, sentry_client=lookout-e2e/1.0, sentry_key="
            + stack.project.publicKey())
        .POST(HttpRequest.BodyPublishers.ofByteArray(envelope(eventId, issue)))
        .build();
    http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
      try {
        int status = error != null ? -1 : response.statusCode();
        statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        if (status == 200) {
          accepted.add(eventId);
          acceptedPerIssue.incrementAndGet(issue);
        } else {
          refused.add(eventId);
        }
      } finally {
        inFlight.release();
      }
    });
  }

  /** An envelope as an SDK sends it: header, one {@code event} item with its length. */
  static byte[] envelope(String eventId, int issue) {
    double now = Instant.now().toEpochMilli() / 1000.0;
    JsonObject frameMain = new JsonObject().put("module", "io.lookout.e2e.Shop").put("function", "main")
        .put("filename", "Shop.java").put("lineno", 12).put("in_app", true);
    JsonObject frameBug = new JsonObject().put("module", "io.lookout.e2e.Shop").put("function", "step" + issue)
        .put("filename", "Shop.java").put("lineno", 100 + issue).put("in_app", true);
    JsonObject event = new JsonObject()
        .put("event_id", eventId)
        .put("timestamp", now)
        .put("platform", "java")
        .put("level", "error")
        .put("environment", "e2e")
        .put("exception", new JsonObject().put("values", new JsonArray().add(new JsonObject()
            .put("type", "Step" + issue + "Exception")
            .put("module", "io.lookout.e2e")
            .put("value", "step " + issue + " failed for request " + eventId.substring(0, 8))
            .put("stacktrace", new JsonObject().put("frames", new JsonArray(List.of(frameMain, frameBug)))))));
    byte[] payload = event.encode().getBytes(StandardCharsets.UTF_8);
    String header = new JsonObject().put("event_id", eventId).put("sent_at", Instant.now().toString()).encode()
        + "\n" + new JsonObject().put("type", "event").put("length", payload.length).encode() + "\n";
    byte[] head = header.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + payload.length + 1];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(payload, 0, out, head.length, payload.length);
    out[out.length - 1] = '\n';
    return out;
  }
}

package io.lookout.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The read API as a client sees it: the JDK's HTTP client and a bearer token. */
final class ApiClient {

  /** How long a test waits for the pipeline to show what it sent: generous, the machine is shared. */
  static final Duration DEADLINE = Duration.ofSeconds(90);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  ApiClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  HttpResponse<byte[]> send(String method, String path, String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return send("GET", path, null);
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** GET that must answer 200 with a JSON object. */
  JsonObject object(String path) throws Exception {
    HttpResponse<byte[]> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + response.statusCode() + " " + text(response));
    }
    return new JsonObject(text(response));
  }

  /** GET that must answer 200 with a JSON array. */
  JsonArray array(String path) throws Exception {
    HttpResponse<byte[]> response = get(path);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " -> " + response.statusCode() + " " + text(response));
    }
    return new JsonArray(text(response));
  }

  /** A read of the API that may not show the expected state yet. */
  @FunctionalInterface
  interface Read<T> {
    T get() throws Exception;
  }

  /**
   * Reads until {@code done} holds or {@link #DEADLINE} passes, and returns the last value read (the
   * caller's assertions then say what is wrong). A failed read (404 before the event is saved) is
   * retried like an unmet condition.
   */
  static <T> T poll(Read<T> read, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    T last = null;
    Exception lastError = null;
    while (true) {
      try {
        last = read.get();
        lastError = null;
        if (done.test(last)) {
          return last;
        }
      } catch (Exception | AssertionError e) {
        lastError = e instanceof Exception ex ? ex : new Exception(e);
      }
      if (System.nanoTime() > deadline) {
        if (lastError != null) {
          throw lastError;
        }
        return last;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }
}

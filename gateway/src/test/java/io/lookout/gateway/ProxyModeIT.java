package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.config.StorageConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Proxy mode forwards requests unchanged to the upstream and streams the answer back. */
class ProxyModeIT {

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private record Seen(String method, String uri, MultiMap headers, Buffer body) {
  }

  @Test
  void forwardsMethodPathQueryHeadersAndBodyAndAnswersWithTheUpstream() throws Exception {
    Vertx upstreamVertx = Vertx.vertx();
    CompletableFuture<Seen> seen = new CompletableFuture<>();
    HttpServer upstream = upstreamVertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.complete(new Seen(req.method().name(), req.uri(), req.headers(), body));
      req.response().setStatusCode(200).putHeader("X-Sentry-Rate-Limits", "60::organization")
          .end("{\"id\":\"from-upstream\"}");
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    int port = freePort();
    GatewayConfig config = GatewayConfig.fromJson(new JsonObject()
        .put("relay", new JsonObject().put("mode", "proxy").put("port", port).put("instances", 1)
            .put("upstream", "http://127.0.0.1:" + upstream.actualPort()))
        .put("metrics", new JsonObject().put("port", 0)), Path.of("."));
    GatewayMain gateway = GatewayMain.start(Vertx.vertx(), config, StorageConfig.load())
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      byte[] body = new byte[200_000];
      new java.util.Random(7).nextBytes(body);
      HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/42/envelope/?sentry_key=abc"))
              .header("X-Sentry-Auth", "Sentry sentry_key=abc").header("Content-Encoding", "gzip")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("{\"id\":\"from-upstream\"}");
      assertThat(response.headers().firstValue("X-Sentry-Rate-Limits")).contains("60::organization");
      Seen request = seen.get(10, TimeUnit.SECONDS);
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.uri()).isEqualTo("/api/42/envelope/?sentry_key=abc");
      assertThat(request.headers().get("X-Sentry-Auth")).isEqualTo("Sentry sentry_key=abc");
      assertThat(request.headers().get("Content-Encoding")).isEqualTo("gzip");
      assertThat(request.headers().get("X-Forwarded-For")).isEqualTo("127.0.0.1");
      assertThat(request.body().getBytes()).isEqualTo(body);

      upstream.close().await(10, TimeUnit.SECONDS);
      HttpResponse<String> down = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/42/envelope/"))
              .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).isEqualTo(502);
      assertThat(new JsonObject(down.body()).getString("detail")).isEqualTo("upstream unavailable");
    } finally {
      gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      upstreamVertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}

package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** With no Kafka to write to, the gateway says 503 within its deadline and keeps its memory bounded. */
class KafkaDownIT {

  @Test
  void noBrokerMeans503WithinTheRequestTimeout() throws Exception {
    StorageConfig real = StorageConfig.load();
    KafkaConfig dead = new KafkaConfig("127.0.0.1:1", real.kafka().controllerPort(), real.kafka().replicationFactor(),
        2000, real.kafka().topics());
    StorageConfig storage = new StorageConfig(real.stateDir(), real.postgres(), real.redis(), real.rabbitmq(),
        real.clickhouse(), dead, real.nodestore());
    JsonObject overrides = new JsonObject()
        .put("kafka", new JsonObject().put("delivery_timeout_ms", 2000).put("request_timeout_ms", 1000)
            .put("linger_ms", 0).put("max_block_ms", 500))
        .put("cache", new JsonObject().put("envelope_buffer_size", 2));
    try (GatewayFixture fixture = GatewayFixture.start(overrides, storage)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      String auth = "Sentry sentry_version=7,sentry_key=" + GatewayFixture.KEY;
      String body = "{}\n{\"type\":\"event\",\"length\":2}\n{}\n";
      long start = System.nanoTime();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/42/envelope/")))
          .header("X-Sentry-Auth", auth).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(response.body()).getString("detail")).isNotBlank();
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/relay/healthcheck/live/")))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(live.statusCode()).isEqualTo(200);
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/relay/healthcheck/ready/")))
          .GET().build(), HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(503);
    }
  }
}

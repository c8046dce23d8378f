package io.lookout.gateway;

import io.lookout.gateway.produce.KafkaIt;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.storage.config.StorageConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A running gateway for integration tests: static projects in a temp folder, its own topics
 * ({@code it_<random>-ingest-events}...), its own Redis key prefix, a free port.
 */
final class GatewayFixture implements AutoCloseable {

  static final long PROJECT_ID = 42;
  static final String KEY = "a1b2c3d4e5f60718293a4b5c6d7e8f90";
  static final String DISABLED_KEY = "b1b2c3d4e5f60718293a4b5c6d7e8f90";
  static final String LIMITED_KEY = "c1b2c3d4e5f60718293a4b5c6d7e8f90";
  static final long LIMITED_PROJECT_ID = 43;

  final Vertx vertx;
  final StorageConfig storage;
  final String prefix;
  final List<String> topics;
  final GatewayMain gateway;
  final int port;

  private GatewayFixture(Vertx vertx, StorageConfig storage, String prefix, List<String> topics, GatewayMain gateway,
      int port) {
    this.vertx = vertx;
    this.storage = storage;
    this.prefix = prefix;
    this.topics = topics;
    this.gateway = gateway;
    this.port = port;
  }

  static GatewayFixture start(JsonObject overrides) throws Exception {
    return start(overrides, StorageConfig.load());
  }

  static GatewayFixture start(JsonObject overrides, StorageConfig baseStorage) throws Exception {
    String prefix = KafkaIt.uniquePrefix();
    StorageConfig storage = new StorageConfig(baseStorage.stateDir(), baseStorage.postgres(),
        baseStorage.redis().withKeyPrefix(prefix), baseStorage.rabbitmq(), baseStorage.clickhouse(),
        baseStorage.kafka(), baseStorage.nodestore());
    List<String> topics = baseStorage.kafka().bootstrapServers().endsWith(":1")
        ? List.of() : KafkaIt.createTopics(storage.kafka(), prefix);
    Path projects = Files.createTempDirectory("lookout-projects");
    Files.writeString(projects.resolve("backend.json"), new JsonObject()
        .put("id", PROJECT_ID).put("organization_id", 7).put("slug", "backend")
        .put("keys", new JsonArray()
            .add(new JsonObject().put("id", 11).put("public_key", KEY))
            .add(new JsonObject().put("id", 12).put("public_key", DISABLED_KEY).put("status", "disabled")))
        .encode());
    Files.writeString(projects.resolve("limited.json"), new JsonObject()
        .put("id", LIMITED_PROJECT_ID).put("organization_id", 7).put("slug", "limited")
        .put("keys", new JsonArray().add(new JsonObject().put("id", 13).put("public_key", LIMITED_KEY)
            .put("rate_limit", new JsonObject().put("count", 1).put("window", 3600))))
        .encode());
    int port = freePort();
    JsonObject json = new JsonObject()
        .put("relay", new JsonObject().put("mode", "static").put("port", port).put("instances", 1)
            .put("projects_dir", projects.toString()))
        .put("metrics", new JsonObject().put("port", 0))
        .put("http", new JsonObject().put("timeout", 10));
    json.mergeIn(overrides, true);
    GatewayConfig config = GatewayConfig.fromJson(json, Path.of("."));
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    GatewayMain gateway = GatewayMain.start(vertx, config, storage, TopicNames.prefixed(prefix))
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return new GatewayFixture(vertx, storage, prefix, topics, gateway, port);
  }

  String dsn(String key, long projectId) {
    return "http://" + key + "@127.0.0.1:" + port + "/" + projectId;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  String topic(String logical) {
    return prefix + logical;
  }

  List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> read(String logical, int expected,
      Duration timeout) {
    return KafkaIt.readAll(storage.kafka(), topic(logical), expected, timeout);
  }

  static String randomEventId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    gateway.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    if (!topics.isEmpty()) {
      KafkaIt.deleteTopics(storage.kafka(), topics);
    }
  }
}

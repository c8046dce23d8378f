package io.lookout.processors;

import io.lookout.processors.api.ApiConfig;
import io.lookout.processors.api.ApiServer;
import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.processors.cli.TokenAdmin;
import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * What the ClickHouse stats ITs share: a ClickHouse database, a Postgres schema and Kafka topics of
 * their own (a random prefix), a Kafka producer, the read API with its stats routes on a free port,
 * an organization with a token. Subclasses deploy their consumer with {@link #deploy}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StatsItBase {

  protected Vertx vertx;
  protected Pool pool;
  protected ClickHouseWriter clickhouse;
  protected StorageConfig storage;
  protected SimpleMeterRegistry registry = new SimpleMeterRegistry();
  protected UnaryOperator<String> topics;
  protected String org;
  protected String token;
  protected String id;
  private String schema;
  private ClickHouseConfig clickhouseConfig;
  private KafkaProducer<byte[], byte[]> producer;
  private ApiServer api;
  private HttpClient http;
  private final List<String> created = new ArrayList<>();
  private final List<String> deployments = new ArrayList<>();

  /** The Sentry topic names the subclass uses; created with the prefix. */
  protected abstract List<String> topicNames();

  @BeforeAll
  void startStack() throws Exception {
    id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String prefix = "it-" + id + "-";
    topics = name -> prefix + name;
    schema = "it_stats_" + id;
    StorageConfig base = StorageConfig.load();
    storage = base;
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, base.postgres().withSchema(schema));
    await(PostgresMigrator.migrate(pool, schema));
    clickhouseConfig = base.clickhouse().withDatabase("it_stats_" + id);
    await(ClickHouseMigrator.create(vertx, clickhouseConfig).migrate());
    clickhouse = ClickHouseWriter.create(vertx, clickhouseConfig);

    Map<String, KafkaConfig.TopicConfig> toCreate = new java.util.LinkedHashMap<>();
    for (String topic : topicNames()) {
      toCreate.put(topics.apply(topic), new KafkaConfig.TopicConfig(2, -1));
      created.add(topics.apply(topic));
    }
    TopicProvisioner.provisionBlocking(base.kafka(), toCreate);
    Properties props = new Properties();
    props.put("bootstrap.servers", base.kafka().bootstrapServers());
    props.put("acks", "all");
    producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());

    org = "org-" + id;
    token = await(new TokenAdmin(pool).createToken("it"));
    api = await(ApiServer.deploy(vertx, ApiConfig.fromJson(new JsonObject().put("port", 0)), pool,
        Nodestore.create(vertx, pool, base.nodestore()), clickhouse));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  void stopStack() throws Exception {
    try {
      if (producer != null) {
        producer.close();
      }
      for (String deployment : deployments) {
        await(vertx.undeploy(deployment));
      }
      if (!created.isEmpty()) {
        Properties props = new Properties();
        props.put("bootstrap.servers", storage.kafka().bootstrapServers());
        try (Admin admin = Admin.create(props)) {
          admin.deleteTopics(created).all().get(30, TimeUnit.SECONDS);
        }
      }
      ClickHouseWriter system = ClickHouseWriter.create(vertx, clickhouseConfig.withDatabase("system"));
      await(clickhouse.close().compose(v -> system.execute("DROP DATABASE IF EXISTS " + clickhouseConfig.database()))
          .eventually(system::close));
      await(pool.query("DROP SCHEMA " + schema + " CASCADE").execute());
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  /** A new project of the test organization; returns its id. */
  protected long project(String slug) throws Exception {
    return await(new ProjectAdmin(pool).createProject(org, slug, null, null)).projectId();
  }

  /** The test organization's id (it exists once a project does). */
  protected long orgId() throws Exception {
    return await(pool.query("SELECT id FROM organizations WHERE slug = '" + org + "'").execute())
        .iterator().next().getLong(0);
  }

  /** Deploys a consumer; it is undeployed before the topics and the database go. */
  protected void deploy(Deployable verticle) throws Exception {
    deployments.add(await(vertx.deployVerticle(verticle)));
  }

  protected void send(String topic, byte[] key, byte[] value) throws Exception {
    producer.send(new ProducerRecord<>(topics.apply(topic), key, value)).get(10, TimeUnit.SECONDS);
  }

  /** GET on the API; returns status and body. */
  protected HttpResponse<String> get(String pathAndQuery) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.actualPort() + pathAndQuery))
        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** GETs until the JSON body satisfies {@code done} or 60 s pass; returns the last body. */
  protected JsonObject poll(String pathAndQuery, Predicate<JsonObject> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(pathAndQuery);
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + pathAndQuery + " -> " + response.statusCode() + " " + response.body());
      }
      last = new JsonObject(response.body());
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    return last;
  }

  protected static <T> T await(Future<T> future) throws Exception {
    return future.await(60, TimeUnit.SECONDS);
  }
}

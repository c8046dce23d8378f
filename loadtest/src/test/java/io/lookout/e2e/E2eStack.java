package io.lookout.e2e;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.lookout.gateway.GatewayConfig;
import io.lookout.gateway.GatewayMain;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.processors.broker.TaskQueues;
import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.processors.cli.TokenAdmin;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.lookout.storage.rabbitmq.RabbitMqConfig;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an end-to-end test runs against: the stack's services with names of its own (a migrated
 * Postgres schema, a Redis key prefix, Kafka topics behind a prefix, a RabbitMQ queue prefix, a
 * consumer group), one organization and project created as {@code bin/lookout admin} does, and a
 * gateway in {@code managed} mode that reads that project and its key from the schema. The
 * processors are started by the tests, in-process or as a separate OS process, on the same names.
 */
final class E2eStack implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(E2eStack.class);
  static final String ORG = "acme";
  static final String PROJECT = "backend";

  /** Lower-case hex, unique per stack: every name below contains it. */
  final String id;
  final String schema;
  final String redisPrefix;
  final String topicPrefix;
  final String queuePrefix;
  final String consumerGroup;
  final StorageConfig storage;
  /** The test's own event loops: the pool, the processors started in-process, the API. */
  final Vertx vertx;
  final Pool pool;
  final ProjectAdmin.ProjectInfo project;
  private final List<String> topics = new ArrayList<>();
  private GatewayMain gateway;
  private int gatewayPort;

  private E2eStack(String id, StorageConfig storage, Vertx vertx, Pool pool, ProjectAdmin.ProjectInfo project) {
    this.id = id;
    this.schema = "it_e2e_" + id;
    this.redisPrefix = "it:e2e:" + id + ":";
    this.topicPrefix = "it-e2e-" + id + "-";
    this.queuePrefix = "it-e2e-" + id + ".";
    this.consumerGroup = "it-e2e-" + id;
    this.storage = storage;
    this.vertx = vertx;
    this.pool = pool;
    this.project = project;
  }

  /** Migrates a new schema, creates the project and the topics; the gateway comes with {@link #startGateway}. */
  static E2eStack create() throws Exception {
    String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    StorageConfig base = StorageConfig.load();
    String schema = "it_e2e_" + id;
    StorageConfig storage = new StorageConfig(base.stateDir(), base.postgres().withSchema(schema),
        base.redis().withKeyPrefix("it:e2e:" + id + ":"), base.rabbitmq(), base.clickhouse(), base.kafka(),
        base.nodestore());
    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, storage.postgres());
    PostgresMigrator.migrate(pool, schema).await(120, TimeUnit.SECONDS);
    ProjectAdmin.ProjectInfo project = new ProjectAdmin(pool).createProject(ORG, PROJECT, null, null)
        .await(30, TimeUnit.SECONDS);
    E2eStack stack = new E2eStack(id, storage, vertx, pool, project);
    stack.createTopics();
    return stack;
  }

  private void createTopics() throws Exception {
    Map<String, KafkaConfig.TopicConfig> wanted = new LinkedHashMap<>();
    for (String name : Topics.ALL) {
      wanted.put(topicPrefix + name, new KafkaConfig.TopicConfig(2, -1));
    }
    TopicProvisioner.provisionBlocking(storage.kafka(), wanted);
    topics.addAll(wanted.keySet());
    // the processors create their dead-letter topics; delete those too at the end
    for (String name : List.of(Topics.INGEST_EVENTS, Topics.INGEST_ATTACHMENTS, Topics.INGEST_TRANSACTIONS,
        Topics.INGEST_FEEDBACK_EVENTS)) {
      topics.add(topicPrefix + name + "-dlq");
    }
  }

  /** Starts the gateway on a free port, in managed mode on this schema, writing to this stack's topics. */
  void startGateway() throws Exception {
    gatewayPort = freePort();
    JsonObject json = new JsonObject()
        .put("relay", new JsonObject().put("mode", "managed").put("port", gatewayPort).put("instances", 1))
        .put("metrics", new JsonObject().put("port", 0))
        .put("http", new JsonObject().put("timeout", 20));
    GatewayConfig config = GatewayConfig.fromJson(json, Path.of("."));
    Vertx gatewayVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    gateway = GatewayMain.start(gatewayVertx, config, storage, TopicNames.prefixed(topicPrefix))
        .await(120, TimeUnit.SECONDS);
  }

  /** The project's DSN, as {@code bin/lookout admin create-project} prints it, aimed at the test's gateway. */
  String dsn() {
    return "http://" + project.publicKey() + "@127.0.0.1:" + gatewayPort + "/" + project.projectId();
  }

  String gatewayUrl(String path) {
    return "http://127.0.0.1:" + gatewayPort + path;
  }

  long projectId() {
    return project.projectId();
  }

  /** A read API token, made as {@code bin/lookout admin create-token} makes it. */
  String createToken() throws Exception {
    return new TokenAdmin(pool).createToken("e2e").await(30, TimeUnit.SECONDS);
  }

  /** The configuration the processors of this stack run with, as {@code processors.json} sections. */
  JsonObject processorsJson(String transport) {
    return new JsonObject()
        .put("admin", new JsonObject().put("port", 0))
        .put("pipeline", new JsonObject().put("transport", transport).put("topic_prefix", topicPrefix))
        .put("consumers", new JsonObject().put("group", consumerGroup).put("poll_timeout_ms", 50)
            .put("session_timeout_ms", 6000))
        .put("broker", new JsonObject().put("transport", "rabbitmq").put("queue_prefix", queuePrefix))
        .put("workers", new JsonObject().put("save_batch", new JsonObject().put("max_age_ms", 20)))
        .put("api", new JsonObject().put("port", 0));
  }

  long count(String sql, Object... args) throws Exception {
    return one(sql, args).getLong(0);
  }

  Row one(String sql, Object... args) throws Exception {
    return pool.preparedQuery(sql).execute(Tuple.from(args)).await(30, TimeUnit.SECONDS).iterator().next();
  }

  @Override
  public void close() {
    attempt("stop the gateway", () -> {
      if (gateway != null) {
        gateway.stop().await(60, TimeUnit.SECONDS);
      }
    });
    attempt("delete the topics", () -> {
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, storage.kafka().bootstrapServers());
      try (Admin admin = Admin.create(props)) {
        List<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
            .filter(topics::contains).toList();
        admin.deleteTopics(existing).all().get(30, TimeUnit.SECONDS);
        List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
            .map(g -> g.groupId()).filter(g -> g.startsWith(consumerGroup)).toList();
        admin.deleteConsumerGroups(groups).all().get(30, TimeUnit.SECONDS);
      }
    });
    attempt("delete the queues", () -> {
      try (Connection c = rabbit().newConnection("it-e2e-cleanup"); Channel ch = c.createChannel()) {
        for (String queue : TaskQueues.ALL) {
          for (String name : List.of(queue, TaskQueues.deadLetterQueue(queue), queue + ".retry")) {
            ch.queueDelete(queuePrefix + name);
          }
        }
      }
    });
    attempt("delete the Redis keys", () -> {
      RedisConnector redis = RedisConnector.create(vertx, storage.redis());
      try {
        String cursor = "0";
        do {
          Response page = redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(redisPrefix + "*")
              .arg("COUNT").arg(1000)).await(30, TimeUnit.SECONDS);
          cursor = page.get(0).toString();
          if (page.get(1).size() > 0) {
            Request del = Request.cmd(Command.UNLINK);
            page.get(1).forEach(k -> del.arg(k.toString()));
            redis.send(del).await(30, TimeUnit.SECONDS);
          }
        } while (!"0".equals(cursor));
      } finally {
        redis.close().await(10, TimeUnit.SECONDS);
      }
    });
    attempt("drop the schema", () -> pool.query("DROP SCHEMA " + schema + " CASCADE").execute()
        .await(60, TimeUnit.SECONDS));
    attempt("close the pool", () -> pool.close().await(30, TimeUnit.SECONDS));
    attempt("close Vert.x", () -> vertx.close().await(30, TimeUnit.SECONDS));
  }

  private ConnectionFactory rabbit() {
    RabbitMqConfig r = storage.rabbitmq();
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(r.host());
    factory.setPort(r.port());
    factory.setVirtualHost(r.vhost());
    factory.setUsername(r.user());
    factory.setPassword(r.password());
    factory.setConnectionTimeout(r.connectTimeoutMs());
    return factory;
  }

  private interface Step {
    void run() throws Exception;
  }

  private static void attempt(String what, Step step) {
    try {
      step.run();
    } catch (Exception e) {
      LOG.warn("cleanup: could not {}: {}", what, e.toString());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Completes a future on the test thread, failing the test with its error. */
  static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}

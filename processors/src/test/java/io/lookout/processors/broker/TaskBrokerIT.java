package io.lookout.processors.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.lookout.processors.broker.impl.Abortable;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.rabbitmq.RabbitMqConfig;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The same behaviour from both transports, against the stack's RabbitMQ and Redis. */
class TaskBrokerIT {

  private static final long WAIT_MS = 30_000;

  private Vertx vertx;
  private StorageConfig storage;
  private String queue;
  private String redisPrefix;
  private SimpleMeterRegistry registry;
  private final List<TaskBroker> brokers = new ArrayList<>();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    queue = "it_broker_" + suffix;
    redisPrefix = "it_broker_" + suffix + ":";
    StorageConfig base = StorageConfig.load();
    storage = new StorageConfig(base.stateDir(), base.postgres(), base.redis().withKeyPrefix(redisPrefix),
        base.rabbitmq(), base.clickhouse(), base.kafka(), base.nodestore());
    registry = new SimpleMeterRegistry();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (TaskBroker b : brokers) {
      try {
        b.close().await(20, TimeUnit.SECONDS);
      } catch (Exception ignored) {
        // already closed or aborted
      }
    }
    try (Connection c = rabbitFactory().newConnection("it-cleanup"); Channel ch = c.createChannel()) {
      for (String q : List.of(queue, queue + ".dead", queue + ".retry")) {
        ch.queueDelete(q);
      }
    }
    RedisConnector redis = RedisConnector.create(vertx, storage.redis());
    Response keys = redis.send(Request.cmd(Command.KEYS).arg(redisPrefix + "*")).await(5, TimeUnit.SECONDS);
    if (keys.size() > 0) {
      Request del = Request.cmd(Command.DEL);
      keys.forEach(k -> del.arg(k.toString()));
      redis.send(del).await(5, TimeUnit.SECONDS);
    }
    redis.close().await(5, TimeUnit.SECONDS);
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** RabbitMQ with several tasks per message ({@code rabbitmq_tasks_per_message} 7). */
  private static final String RABBITMQ_BUNDLES = "rabbitmq-bundles";

  private static String transportOf(String variant) {
    return variant.equals(RABBITMQ_BUNDLES) ? BrokerConfig.RABBITMQ : variant;
  }

  private static int tasksPerMessage(String variant) {
    return variant.equals(RABBITMQ_BUNDLES) ? 7 : 1;
  }

  private BrokerConfig config(String variant) {
    // short visibility so a crashed Redis consumer's tasks come back within a couple of seconds
    return new BrokerConfig(transportOf(variant), 3, 50, 5000, 1500, 200, 5000, 10_000, "", tasksPerMessage(variant));
  }

  private TaskBroker broker(BrokerConfig config, StorageConfig storageConfig) {
    TaskBroker b = TaskBroker.create(vertx, config, storageConfig, registry);
    brokers.add(b);
    return b;
  }

  private TaskBroker started(String variant) throws Exception {
    TaskBroker b = broker(config(variant), storage);
    b.start().await(20, TimeUnit.SECONDS);
    assertThat(b.transport()).isEqualTo(transportOf(variant));
    return b;
  }

  private static List<Buffer> bodies(String prefix, int n) {
    List<Buffer> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Buffer.buffer(prefix + i));
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "redis", RABBITMQ_BUNDLES})
  void everyPublishedTaskIsConsumedExactlyOnce(String variant) throws Exception {
    String transport = transportOf(variant);
    TaskBroker broker = started(variant);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    AtomicInteger inHandler = new AtomicInteger();
    AtomicInteger maxInHandler = new AtomicInteger();
    TaskConsumer consumer = broker.consume(queue, 100, task -> {
      maxInHandler.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
      seen.computeIfAbsent(task.body().toString(), k -> new AtomicInteger()).incrementAndGet();
      Promise<Void> done = Promise.promise();
      // finish a moment later, so many tasks are in the handler at once
      vertx.setTimer(2, t -> {
        inHandler.decrementAndGet();
        done.complete();
      });
      return done.future();
    }).await(20, TimeUnit.SECONDS);

    // one list of 600, then 4 of 100: both the big pipeline and several concurrent publishes
    List<Future<Void>> publishes = new ArrayList<>();
    publishes.add(broker.publish(queue, bodies("a", 600)));
    for (int i = 0; i < 4; i++) {
      publishes.add(broker.publish(queue, bodies("b" + i + "-", 100)));
    }
    Future.all(publishes).await(20, TimeUnit.SECONDS);

    awaitUntil(() -> seen.size() == 1000 && inHandler.get() == 0);
    consumer.cancel().await(20, TimeUnit.SECONDS);

    assertThat(seen.values()).allMatch(n -> n.get() == 1);
    assertThat(maxInHandler.get()).isLessThanOrEqualTo(100).isGreaterThan(1);
    assertThat(consumer.inFlight()).isZero();
    assertThat(queued(transport)).isZero();
    assertThat(registry.get("broker.tasks.published").tag("queue", queue).counter().count()).isEqualTo(1000);
    assertThat(registry.get("broker.tasks.acked").tag("queue", queue).counter().count()).isEqualTo(1000);
    assertThat(registry.get("broker.tasks.in_flight").tag("queue", queue).gauge().value()).isZero();
    assertThat(registry.get("broker.publish.latency").tag("queue", queue).timer().count()).isEqualTo(5);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "redis", RABBITMQ_BUNDLES})
  void failingTaskIsRetriedThenDeadLetteredWithItsError(String variant) throws Exception {
    String transport = transportOf(variant);
    TaskBroker broker = started(variant);
    List<String> attempts = new CopyOnWriteArrayList<>();
    broker.consume(queue, 10, task -> {
      String body = task.body().toString();
      attempts.add(body + "#" + task.attempt());
      if (body.equals("flaky") && task.attempt() >= 2) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new IllegalStateException("boom on attempt " + task.attempt()));
    }).await(20, TimeUnit.SECONDS);

    broker.publish(queue, List.of(Buffer.buffer("doomed"), Buffer.buffer("flaky"))).await(20, TimeUnit.SECONDS);

    awaitUntil(() -> !deadLetters(transport).isEmpty() && attempts.contains("flaky#2"));
    List<DeadLetter> dead = deadLetters(transport);
    assertThat(dead).hasSize(1);
    assertThat(dead.get(0).body()).isEqualTo("doomed");
    assertThat(dead.get(0).attempt()).isEqualTo(3);
    assertThat(dead.get(0).error()).isEqualTo("boom on attempt 3");
    assertThat(attempts).containsExactlyInAnyOrder("doomed#1", "doomed#2", "doomed#3", "flaky#1", "flaky#2");
    assertThat(registry.get("broker.tasks.retried").tag("queue", queue).counter().count()).isEqualTo(3);
    assertThat(registry.get("broker.tasks.dead_lettered").tag("queue", queue).counter().count()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "redis", RABBITMQ_BUNDLES})
  void tasksHeldByACrashedConsumerGoToAnotherConsumer(String variant) throws Exception {
    String transport = transportOf(variant);
    TaskBroker crashing = started(variant);
    Set<String> taken = ConcurrentHashMap.newKeySet();
    // takes tasks and never finishes them, as a worker that hangs and then dies
    TaskConsumer doomed = crashing.consume(queue, 30, task -> {
      taken.add(task.body().toString());
      return Promise.<Void>promise().future();
    }).await(20, TimeUnit.SECONDS);
    crashing.publish(queue, bodies("t", 100)).await(20, TimeUnit.SECONDS);
    // prefetch 30 tasks: 4 messages of 7 when tasks travel 7 to a message
    int held = 30 / tasksPerMessage(variant) * tasksPerMessage(variant);
    awaitUntil(() -> taken.size() == held);

    ((Abortable) crashing).abort().await(20, TimeUnit.SECONDS);

    TaskBroker survivor = started(variant);
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    survivor.consume(queue, 100, task -> {
      seen.computeIfAbsent(task.body().toString(), k -> new AtomicInteger()).incrementAndGet();
      return Future.succeededFuture();
    }).await(20, TimeUnit.SECONDS);

    Set<String> all = new HashSet<>();
    bodies("t", 100).forEach(b -> all.add(b.toString()));
    awaitUntil(() -> seen.keySet().containsAll(all));
    assertThat(taken).hasSize(held);
    assertThat(seen.keySet()).isEqualTo(all);
    if (transport.equals(BrokerConfig.REDIS)) {
      assertThat(registry.get("broker.tasks.requeued").tag("queue", queue).counter().count()).isEqualTo(30);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "redis"})
  void publishToAnUnreachableBrokerFailsWithinThePublishTimeout(String transport) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    RabbitMqConfig r = storage.rabbitmq();
    StorageConfig nowhere = new StorageConfig(storage.stateDir(), storage.postgres(),
        new io.lookout.storage.redis.RedisConfig(storage.redis().host(), port, storage.redis().password(), 0,
            redisPrefix, 1, 16, 16, 1000, 1000),
        new RabbitMqConfig(r.host(), port, r.vhost(), r.user(), r.password(), 1000, r.heartbeatS(), 0, 1000),
        storage.clickhouse(), storage.kafka(), storage.nodestore());
    BrokerConfig config = config(transport);
    TaskBroker broker = broker(new BrokerConfig(transport, 3, 50, 500, 1500, 200, 1000, 100, "", 1), nowhere);

    assertThatThrownBy(() -> broker.start().await(10, TimeUnit.SECONDS))
        .isInstanceOf(BrokerUnavailableException.class);
    // bounded by publish_timeout_ms (500): the await's own limit is only a safety net
    assertThatThrownBy(() -> broker.publish(queue, bodies("x", 10)).await(config.publishTimeoutMs(),
        TimeUnit.MILLISECONDS))
        .isInstanceOf(BrokerUnavailableException.class);
    assertThat(registry.get("broker.publish.failed").tag("queue", queue).tag("reason", "unavailable")
        .counter().count()).isEqualTo(10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rabbitmq", "redis"})
  void consumingResumesAfterTheConnectionDrops(String transport) throws Exception {
    boolean rabbit = transport.equals(BrokerConfig.RABBITMQ);
    DroppingProxy proxy = DroppingProxy.start(vertx, "127.0.0.1",
        rabbit ? storage.rabbitmq().port() : storage.redis().port());
    try {
      RabbitMqConfig r = storage.rabbitmq();
      io.lookout.storage.redis.RedisConfig d = storage.redis();
      StorageConfig viaProxy = new StorageConfig(storage.stateDir(), storage.postgres(),
          rabbit ? d : new io.lookout.storage.redis.RedisConfig(d.host(), proxy.port(), d.password(), d.database(),
              d.keyPrefix(), d.poolSize(), d.maxPoolWaiting(), d.maxWaitingHandlers(), d.connectTimeoutMs(),
              d.commandTimeoutMs()),
          rabbit ? new RabbitMqConfig(r.host(), proxy.port(), r.vhost(), r.user(), r.password(), r.connectTimeoutMs(),
              r.heartbeatS(), 50, 200) : r,
          storage.clickhouse(), storage.kafka(), storage.nodestore());
      TaskBroker broker = broker(config(transport), viaProxy);
      broker.start().await(20, TimeUnit.SECONDS);
      Set<String> seen = ConcurrentHashMap.newKeySet();
      broker.consume(queue, 20, task -> {
        seen.add(task.body().toString());
        return Future.succeededFuture();
      }).await(20, TimeUnit.SECONDS);
      broker.publish(queue, bodies("before", 50)).await(20, TimeUnit.SECONDS);
      awaitUntil(() -> seen.size() == 50);

      proxy.dropAll();

      // publishing may fail until the client has reconnected: the caller retries, as a producer would
      awaitUntil(() -> {
        try {
          broker.publish(queue, bodies("after", 50)).await(5, TimeUnit.SECONDS);
          return true;
        } catch (Exception e) {
          return false;
        }
      });
      awaitUntil(() -> seen.size() == 100);
      assertThat(seen).contains("after0", "after49");
      broker.close().await(20, TimeUnit.SECONDS); // while the proxy still relays
    } finally {
      proxy.close().await(10, TimeUnit.SECONDS);
    }
  }

  // --- looking at the transports directly

  private record DeadLetter(String body, int attempt, String error) {
  }

  private ConnectionFactory rabbitFactory() {
    RabbitMqConfig r = storage.rabbitmq();
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(r.host());
    f.setPort(r.port());
    f.setVirtualHost(r.vhost());
    f.setUsername(r.user());
    f.setPassword(r.password());
    return f;
  }

  private long queued(String transport) throws Exception {
    if (transport.equals(BrokerConfig.RABBITMQ)) {
      try (Connection c = rabbitFactory().newConnection("it-inspect"); Channel ch = c.createChannel()) {
        return ch.messageCount(queue);
      }
    }
    RedisConnector redis = RedisConnector.create(vertx, storage.redis());
    try {
      long queuedNow = redis.send(Request.cmd(Command.LLEN).arg(redis.key("q:" + queue))).await(5, TimeUnit.SECONDS)
          .toLong();
      Response held = redis.send(Request.cmd(Command.KEYS).arg(redis.key("q:" + queue + ":processing:*")))
          .await(5, TimeUnit.SECONDS);
      return queuedNow + held.size();
    } finally {
      redis.close().await(5, TimeUnit.SECONDS);
    }
  }

  private List<DeadLetter> deadLetters(String transport) {
    try {
      List<DeadLetter> out = new ArrayList<>();
      if (transport.equals(BrokerConfig.RABBITMQ)) {
        try (Connection c = rabbitFactory().newConnection("it-inspect"); Channel ch = c.createChannel()) {
          GetResponse m;
          while ((m = ch.basicGet(queue + ".dead", false)) != null) {
            Map<String, Object> h = m.getProps().getHeaders();
            out.add(new DeadLetter(new String(m.getBody()), ((Number) h.get("x-lookout-attempt")).intValue(),
                h.get("x-lookout-error").toString()));
          }
          // closing the channel without acks leaves them on the queue
        }
        return out;
      }
      RedisConnector redis = RedisConnector.create(vertx, storage.redis());
      try {
        Response items = redis.send(Request.cmd(Command.LRANGE).arg(redis.key("q:" + queue + ".dead")).arg(0).arg(-1))
            .await(5, TimeUnit.SECONDS);
        for (Response item : items) {
          JsonObject j = new JsonObject(item.toBuffer());
          out.add(new DeadLetter(new String(Base64.getDecoder().decode(j.getString("body"))),
              j.getInteger("attempt"), j.getString("error")));
        }
        return out;
      } finally {
        redis.close().await(5, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      if (e.getMessage() != null && e.getMessage().contains("NOT_FOUND")) {
        return List.of();
      }
      throw new IllegalStateException(e);
    }
  }

  private static void awaitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT_MS + " ms");
      }
      Thread.sleep(20);
    }
  }
}

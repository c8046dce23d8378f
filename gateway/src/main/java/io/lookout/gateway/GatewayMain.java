package io.lookout.gateway;

import io.lookout.gateway.http.MemoryBudget;
import io.lookout.gateway.outcome.OutcomeConfig;
import io.lookout.gateway.produce.EnvelopeProducer;
import io.lookout.gateway.produce.KafkaRouting;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.gateway.project.ManagedProjectSource;
import io.lookout.gateway.project.ProjectSource;
import io.lookout.gateway.project.StaticProjectSource;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout gateway}: starts the gateway in the foreground, one HTTP verticle per event
 * loop, the admin server ({@code /metrics}) and the health monitor; on SIGTERM it stops taking
 * requests, finishes those in flight, flushes outcomes and the producer, then exits.
 */
public final class GatewayMain {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);

  private final Vertx vertx;
  private final GatewayServices services;
  private final List<String> deployments = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private HttpServer admin;

  private final GatewayConfig config;

  private GatewayMain(Vertx vertx, GatewayServices services, GatewayConfig config) {
    this.vertx = vertx;
    this.services = services;
    this.config = config;
  }

  public static void main(String[] args) {
    try {
      ConfLoader loader = ConfLoader.fromEnvironment();
      GatewayConfig config = GatewayConfig.load(loader);
      StorageConfig storage = StorageConfig.load(loader);
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.relay().effectiveInstances()));
      GatewayMain gateway = start(vertx, config, storage).await(60, TimeUnit.SECONDS);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          gateway.stop().await(config.http().shutdownTimeout() + 15L, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("graceful stop did not finish: {}", e.toString());
        }
        stopped.countDown();
      }, "lookout-gateway-shutdown"));
      stopped.await();
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      LOG.error("gateway failed to start: {}", e.toString(), e);
      System.exit(1);
    }
  }

  /** Builds the shared services and deploys the verticles; the future holds a handle to stop it. */
  public static Future<GatewayMain> start(Vertx vertx, GatewayConfig config, StorageConfig storage) {
    return start(vertx, config, storage, TopicNames.identity());
  }

  public static Future<GatewayMain> start(Vertx vertx, GatewayConfig config, StorageConfig storage,
      TopicNames topics) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    if (config.relay().mode() == GatewayConfig.Mode.PROXY) {
      return startProxy(vertx, config, registry);
    }
    ProducerConfig producerConfig = ProducerConfig.fromJson(config.part("kafka").copy()
        .put("envelope_buffer_size", config.cache().envelopeBufferSize()));
    OutcomeConfig outcomeConfig = OutcomeConfig.fromJson(config.part("outcomes"));
    RateLimitConfig rateLimitConfig = RateLimitConfig.fromJson(config.part("rate_limits"));
    List<AutoCloseable> closeables = new ArrayList<>();
    ProjectSource projects;
    if (config.relay().mode() == GatewayConfig.Mode.STATIC) {
      projects = StaticProjectSource.load(config.relay().projectsDir());
    } else {
      Pool pool = PgPools.create(vertx, storage.postgres());
      closeables.add(() -> pool.close());
      projects = new ManagedProjectSource(pool);
    }
    RedisConnector healthRedis = RedisConnector.create(vertx, storage.redis());
    closeables.add(() -> healthRedis.close());
    HealthMonitor health = new HealthMonitor(vertx, storage.kafka(), healthRedis);
    MemoryBudget budget = new MemoryBudget(config.limits().maxPendingBodyBytes());
    AtomicInteger inFlight = new AtomicInteger();
    Gauge.builder("gateway.requests.in_flight", inFlight, AtomicInteger::get).register(registry);
    Gauge.builder("gateway.body.buffered_bytes", budget, MemoryBudget::used).register(registry);
    return EnvelopeProducer.create(vertx, storage.kafka(), producerConfig, registry).compose(producer -> {
      GatewayServices services = new GatewayServices(config, storage, producerConfig, outcomeConfig,
          rateLimitConfig, topics, producer, projects, health, registry, new GatewayMetrics(registry), budget, inFlight);
      GatewayMain main = new GatewayMain(vertx, services, config);
      main.closeables.addAll(closeables);
      producer.sender().warmUp(KafkaRouting.create(topics, producerConfig).topics())
          .onFailure(err -> LOG.warn("kafka metadata warm-up failed: {}", err.toString()));
      return health.start().compose(v -> main.deploy()).compose(v -> main.startAdmin(registry)).map(main);
    });
  }

  /** Proxy mode: only the forwarding verticles and the admin server; no Kafka, Redis or Postgres. */
  private static Future<GatewayMain> startProxy(Vertx vertx, GatewayConfig config, PrometheusMeterRegistry registry) {
    GatewayMain main = new GatewayMain(vertx, null, config);
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < config.relay().effectiveInstances(); i++) {
      chain = chain.compose(v -> vertx.deployVerticle(new ProxyVerticle(config, registry)).map(id -> {
        main.deployments.add(id);
        return null;
      }));
    }
    return chain.compose(v -> main.startAdmin(registry)).map(main);
  }

  private Future<Void> deploy() {
    int instances = config.relay().effectiveInstances();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < instances; i++) {
      int index = i;
      chain = chain.compose(v -> vertx.deployVerticle(new GatewayVerticle(services, index),
          new DeploymentOptions()).map(id -> {
            deployments.add(id);
            return null;
          }));
    }
    return chain;
  }

  private Future<Void> startAdmin(PrometheusMeterRegistry registry) {
    GatewayConfig.MetricsConfig metrics = config.metrics();
    if (metrics.port() == 0) {
      return Future.succeededFuture();
    }
    admin = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4")
            .end(registry.scrape());
        case "/health" -> {
          boolean ready = services == null || services.health().ready();
          request.response().setStatusCode(ready ? 200 : 503).end(ready ? "ok" : "not ready");
        }
        default -> request.response().setStatusCode(404).end();
      }
    });
    return admin.listen(metrics.port(), metrics.host()).mapEmpty();
  }

  /** The port the first HTTP verticle bound (all share it). */
  public int port() {
    return config.relay().port();
  }

  public GatewayServices services() {
    return services;
  }

  /** Graceful stop: no new requests, in-flight ones finish, outcomes and producer flushed. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (String id : deployments) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain
        .eventually(() -> admin == null ? Future.succeededFuture() : admin.close())
        .eventually(() -> services == null ? Future.succeededFuture() : services.health().close())
        .eventually(() -> services == null ? Future.succeededFuture() : services.producer().close())
        .eventually(() -> {
          for (AutoCloseable c : closeables) {
            try {
              c.close();
            } catch (Exception e) {
              LOG.debug("close failed: {}", e.toString());
            }
          }
          return vertx.close();
        });
  }
}

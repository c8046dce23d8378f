package io.lookout.processors;

import io.lookout.processors.api.ApiServer;
import io.lookout.processors.cleanup.Cleanup;
import io.lookout.processors.cleanup.CleanupVerticle;
import io.lookout.processors.monitors.MonitorsVerticle;
import io.lookout.processors.config.ConsumerConfig;
import io.lookout.processors.config.ProcessorsConfig;
import io.lookout.processors.config.WorkersConfig;
import io.lookout.processors.ingest.IngestConsumerVerticle;
import io.lookout.processors.tasks.WorkerVerticle;
import io.lookout.storage.config.ConfigException;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import java.time.Instant;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout processors}: the consumers, task workers and read API, in one process or split
 * the way Sentry's operators split them.
 *
 * <pre>
 * processors                                      everything: all consumers, all workers (broker
 *                                                 transport), the read API, the admin server
 * processors --consumer ingest-events [--instances N]   one consumer (N verticles)
 * processors worker [-Q q1,q2] [-X q3] [-c N]     task workers for some queues
 * processors --consumer ingest-monitors          the cron monitors consumer and scheduler
 * processors cleanup                              the daily cleanup schedule only
 * processors api                                  the read API only
 * </pre>
 */
public final class ProcessorsMain {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorsMain.class);

  /** What one process runs. */
  public record Plan(Map<String, Integer> consumers, List<String> queues, Integer concurrency, boolean api,
      boolean monitors, boolean cleanup) {

    /** Consumers, workers and the API; no monitors consumer, no scheduled cleanup. */
    public Plan(Map<String, Integer> consumers, List<String> queues, Integer concurrency, boolean api) {
      this(consumers, queues, concurrency, api, false, false);
    }

    /** Reads the command line; {@code config} gives the defaults. */
    public static Plan parse(String[] args, ProcessorsConfig config) {
      List<String> list = new ArrayList<>(Arrays.asList(args));
      if (list.isEmpty() || list.get(0).equals("all")) {
        Map<String, Integer> consumers = new LinkedHashMap<>();
        for (String topic : ConsumerConfig.TOPICS) {
          consumers.put(topic, config.consumers().instancesOf(topic));
        }
        List<String> queues = config.pipeline().inline() ? List.of() : WorkersConfig.QUEUES;
        return new Plan(consumers, queues, null, true, true, config.cleanup().scheduled());
      }
      if (list.get(0).equals("api")) {
        return new Plan(Map.of(), List.of(), null, true);
      }
      if (list.get(0).equals("worker")) {
        List<String> include = null;
        List<String> exclude = List.of();
        Integer concurrency = null;
        for (int i = 1; i < list.size(); i++) {
          String flag = list.get(i);
          String value = i + 1 < list.size() ? list.get(i + 1) : null;
          if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
          }
          switch (flag) {
            case "-Q", "--queues" -> include = queues(value);
            case "-X", "--exclude-queues" -> exclude = queues(value);
            case "-c", "--concurrency" -> concurrency = positive(flag, value);
            default -> throw new IllegalArgumentException("unknown worker option " + flag);
          }
          i++;
        }
        List<String> queues = new ArrayList<>(include == null ? WorkersConfig.QUEUES : include);
        queues.removeAll(exclude);
        if (queues.isEmpty()) {
          throw new IllegalArgumentException("no queue left to work on");
        }
        return new Plan(Map.of(), queues, concurrency, false);
      }
      if (list.get(0).equals("--consumer")) {
        if (list.size() == 2 && list.get(1).equals(Topics.INGEST_MONITORS)) {
          return new Plan(Map.of(), List.of(), null, false, true, false);
        }
        if (list.size() < 2 || !ConsumerConfig.TOPICS.contains(list.get(1))) {
          throw new IllegalArgumentException("--consumer takes one of " + ConsumerConfig.TOPICS + " or "
              + Topics.INGEST_MONITORS);
        }
        int instances = config.consumers().instancesOf(list.get(1));
        if (list.size() == 4 && list.get(2).equals("--instances")) {
          instances = positive("--instances", list.get(3));
        } else if (list.size() != 2) {
          throw new IllegalArgumentException("usage: --consumer TOPIC [--instances N]");
        }
        return new Plan(Map.of(list.get(1), instances), List.of(), null, false);
      }
      if (list.get(0).equals("cleanup") && list.size() == 1) {
        return new Plan(Map.of(), List.of(), null, false, false, true);
      }
      throw new IllegalArgumentException("unknown command " + list.get(0)
          + " (expected: all, api, worker, cleanup, --consumer TOPIC)");
    }

    private static List<String> queues(String value) {
      List<String> queues = new ArrayList<>();
      for (String q : value.split(",")) {
        String queue = q.trim();
        if (!WorkersConfig.QUEUES.contains(queue)) {
          throw new IllegalArgumentException("unknown queue " + queue + " (known: " + WorkersConfig.QUEUES + ")");
        }
        queues.add(queue);
      }
      return queues;
    }

    private static int positive(String flag, String value) {
      try {
        int n = Integer.parseInt(value);
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // falls through
      }
      throw new IllegalArgumentException(flag + " must be a positive integer, got " + value);
    }
  }

  private final Vertx vertx;
  private final ProcessorsServices services;
  private final List<String> deployments = new ArrayList<>();
  private final List<HttpServer> servers = new ArrayList<>();

  private ProcessorsMain(Vertx vertx, ProcessorsServices services) {
    this.vertx = vertx;
    this.services = services;
  }

  public static void main(String[] args) {
    ProcessorsConfig config;
    StorageConfig storage;
    Plan plan;
    try {
      config = ProcessorsConfig.load();
      storage = StorageConfig.load();
      plan = Plan.parse(args, config);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("lookout processors: " + e.getMessage());
      System.exit(2);
      return;
    }
    Vertx vertx = Vertx.vertx();
    ProcessorsMain main;
    try {
      main = start(vertx, config, storage, plan, config.pipeline()::topic).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("processors failed to start", e);
      vertx.close();
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping: consumers commit, workers finish their batches");
      try {
        main.stop().await(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("stop did not finish cleanly: {}", e.toString());
      }
      stopped.countDown();
    }, "lookout-processors-shutdown"));
    LOG.info("processors running: consumers {}, workers {}, api {}", plan.consumers(), plan.queues(), plan.api());
  }

  /** Builds the services and deploys what {@code plan} asks for. */
  public static Future<ProcessorsMain> start(Vertx vertx, ProcessorsConfig config, StorageConfig storage, Plan plan,
      UnaryOperator<String> topics) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ProcessorsServices services = new ProcessorsServices(vertx, config, storage, topics, registry);
    ProcessorsMain main = new ProcessorsMain(vertx, services);
    // the dead-letter topics are the processors' own: create the ones this process may write
    Map<String, KafkaConfig.TopicConfig> deadLetters = new LinkedHashMap<>();
    for (String topic : plan.consumers().keySet()) {
      deadLetters.put(topics.apply(topic) + config.consumers().deadLetterSuffix(), new KafkaConfig.TopicConfig(1, -1));
    }
    if (plan.monitors()) {
      deadLetters.put(topics.apply(Topics.INGEST_MONITORS) + config.monitors().deadLetterSuffix(),
          new KafkaConfig.TopicConfig(1, -1));
    }
    Future<Void> chain = deadLetters.isEmpty() ? Future.succeededFuture()
        : TopicProvisioner.provision(vertx, storage.kafka(), deadLetters).mapEmpty();
    if (!plan.queues().isEmpty()) {
      Map<String, Integer> concurrency = new LinkedHashMap<>();
      for (String queue : plan.queues()) {
        concurrency.put(queue, plan.concurrency() != null ? plan.concurrency() : config.workers().concurrencyOf(queue));
      }
      chain = chain.compose(v -> main.deploy(new WorkerVerticle(services, plan.queues(), concurrency, 0)));
    }
    for (Map.Entry<String, Integer> consumer : plan.consumers().entrySet()) {
      for (int i = 0; i < consumer.getValue(); i++) {
        int index = i;
        chain = chain.compose(v -> main.deploy(new IngestConsumerVerticle(services, consumer.getKey(), index)));
      }
    }
    if (plan.monitors()) {
      chain = chain.compose(v -> main.deploy(new MonitorsVerticle(config.monitors(), services.pool(),
          services.projects(), services.saver(), services.producer(), storage.kafka().bootstrapServers(), topics,
          services.registry())));
    }
    if (plan.cleanup()) {
      chain = chain.compose(v -> main.deploy(new CleanupVerticle(config.cleanup(), services.pool(),
          new Cleanup(services.pool(), services.nodestore(), services.clickhouse(), config.cleanup(), Instant::now))));
    }
    if (plan.api()) {
      chain = chain.compose(v -> main.deploy(new ApiServer(config.api(), services.pool(), services.nodestore())));
    }
    return chain.compose(v -> main.startAdmin(registry)).map(main)
        .recover(err -> main.stop().transform(x -> Future.failedFuture(err)));
  }

  private Future<Void> deploy(io.vertx.core.Deployable verticle) {
    return vertx.deployVerticle(verticle).map(id -> {
      deployments.add(id);
      return null;
    });
  }

  private Future<Void> startAdmin(PrometheusMeterRegistry registry) {
    if (services.config().admin().port() == 0) {
      return Future.succeededFuture();
    }
    HttpServer admin = vertx.createHttpServer().requestHandler(request -> {
      switch (request.path()) {
        case "/metrics" -> request.response().putHeader("Content-Type", "text/plain; version=0.0.4")
            .end(registry.scrape());
        case "/health" -> request.response().end("ok");
        default -> request.response().setStatusCode(404).end();
      }
    });
    servers.add(admin);
    return admin.listen(services.config().admin().port(), services.config().admin().host()).mapEmpty();
  }

  public ProcessorsServices services() {
    return services;
  }

  /** Undeploys in reverse order (consumers commit, workers flush), closes servers and connections. */
  public Future<Void> stop() {
    Future<Void> chain = Future.succeededFuture();
    for (HttpServer server : servers) {
      chain = chain.eventually(server::close);
    }
    List<String> reversed = new ArrayList<>(deployments);
    java.util.Collections.reverse(reversed);
    for (String id : reversed) {
      chain = chain.eventually(() -> vertx.undeploy(id));
    }
    return chain.eventually(services::close);
  }
}

package io.lookout.processors;

import io.lookout.processors.analytics.AnalyticsConsumerVerticle;
import io.lookout.processors.api.ApiServer;
import io.lookout.processors.cleanup.Cleanup;
import io.lookout.processors.cleanup.CleanupVerticle;
import io.lookout.processors.broker.TaskQueues;
import io.lookout.processors.monitors.MonitorsVerticle;
import io.lookout.processors.outcomes.OutcomesConsumerVerticle;
import io.lookout.processors.postprocess.PostProcessForwarderVerticle;
import io.lookout.processors.postprocess.PostProcessWorkerVerticle;
import io.lookout.processors.postprocess.PostProcessing;
import io.lookout.processors.sessions.SessionsConsumerVerticle;
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
 * processors --consumer events | transactions     the analytics (Snuba) consumers into ClickHouse
 * processors --consumer outcomes | ingest-sessions | post-process-forwarder   the other consumers
 * processors cleanup                              the daily cleanup schedule only
 * processors api                                  the read API only
 * </pre>
 */
public final class ProcessorsMain {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessorsMain.class);

  /** Every queue a worker can take: the event stages, then post-processing. */
  public static final List<String> ALL_QUEUES = List.of(WorkersConfig.PROCESS_EVENT, WorkersConfig.SYMBOLICATE_EVENT,
      WorkersConfig.SAVE_EVENT, WorkersConfig.SAVE_EVENT_TRANSACTION, TaskQueues.POST_PROCESS_ERRORS);

  /** The parts of the pipeline beyond the ingest consumers, the event workers and the API. */
  public enum Role {
    /** The analytics (Snuba) consumer of {@code events}: rows in ClickHouse {@code errors}, then the commit log. */
    ANALYTICS_EVENTS("events"),
    /** The analytics consumer of {@code transactions}. */
    ANALYTICS_TRANSACTIONS("transactions"),
    /** {@code ingest-monitors}: check-ins, and the missed / timeout scheduler. */
    MONITORS("ingest-monitors"),
    /** {@code outcomes} into ClickHouse. */
    OUTCOMES("outcomes"),
    /** {@code ingest-sessions} into ClickHouse. */
    SESSIONS("ingest-sessions"),
    /** The post-process forwarder: {@code events}, behind the analytics commit log. */
    POST_PROCESS("post-process-forwarder"),
    /** The daily cleanup. */
    CLEANUP("cleanup");

    /** Its name after {@code --consumer} (or as a command, for cleanup). */
    public final String consumer;

    Role(String consumer) {
      this.consumer = consumer;
    }

    static Role byConsumer(String name) {
      for (Role role : values()) {
        if (role.consumer.equals(name) && role != CLEANUP) {
          return role;
        }
      }
      return null;
    }
  }

  /** What one process runs; {@code instances} counts the verticles of each role. */
  public record Plan(Map<String, Integer> consumers, List<String> queues, Integer concurrency, boolean api,
      Map<Role, Integer> roles) {

    /** Consumers, workers and the API, nothing else. */
    public Plan(Map<String, Integer> consumers, List<String> queues, Integer concurrency, boolean api) {
      this(consumers, queues, concurrency, api, Map.of());
    }

    public Plan {
      roles = Map.copyOf(roles);
    }

    public boolean has(Role role) {
      return roles.containsKey(role);
    }

    public int instances(Role role) {
      return roles.getOrDefault(role, 0);
    }

    /** Reads the command line; {@code config} gives the defaults. */
    public static Plan parse(String[] args, ProcessorsConfig config) {
      List<String> list = new ArrayList<>(Arrays.asList(args));
      if (list.isEmpty() || list.get(0).equals("all")) {
        Map<String, Integer> consumers = new LinkedHashMap<>();
        for (String topic : ConsumerConfig.TOPICS) {
          consumers.put(topic, config.consumers().instancesOf(topic));
        }
        List<String> queues = config.pipeline().inline() ? List.of() : ALL_QUEUES;
        Map<Role, Integer> roles = new LinkedHashMap<>();
        roles.put(Role.ANALYTICS_EVENTS, config.analytics().instancesOf(Topics.EVENTS));
        roles.put(Role.ANALYTICS_TRANSACTIONS, config.analytics().instancesOf(Topics.TRANSACTIONS));
        roles.put(Role.MONITORS, 1);
        roles.put(Role.OUTCOMES, config.outcomes().instances());
        roles.put(Role.SESSIONS, config.sessions().instances());
        roles.put(Role.POST_PROCESS, 1);
        if (config.cleanup().scheduled()) {
          roles.put(Role.CLEANUP, 1);
        }
        return new Plan(consumers, queues, null, true, roles);
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
        List<String> queues = new ArrayList<>(include == null ? ALL_QUEUES : include);
        queues.removeAll(exclude);
        if (queues.isEmpty()) {
          throw new IllegalArgumentException("no queue left to work on");
        }
        return new Plan(Map.of(), queues, concurrency, false);
      }
      if (list.get(0).equals("--consumer")) {
        if (list.size() < 2 || (!ConsumerConfig.TOPICS.contains(list.get(1)) && Role.byConsumer(list.get(1)) == null)) {
          List<String> known = new ArrayList<>(ConsumerConfig.TOPICS);
          for (Role role : Role.values()) {
            if (role != Role.CLEANUP) {
              known.add(role.consumer);
            }
          }
          throw new IllegalArgumentException("--consumer takes one of " + known);
        }
        Integer instances = null;
        if (list.size() == 4 && list.get(2).equals("--instances")) {
          instances = positive("--instances", list.get(3));
        } else if (list.size() != 2) {
          throw new IllegalArgumentException("usage: --consumer NAME [--instances N]");
        }
        Role role = Role.byConsumer(list.get(1));
        if (role != null) {
          return new Plan(Map.of(), List.of(), null, false, Map.of(role, instances == null ? 1 : instances));
        }
        int n = instances == null ? config.consumers().instancesOf(list.get(1)) : instances;
        return new Plan(Map.of(list.get(1), n), List.of(), null, false);
      }
      if (list.get(0).equals("cleanup") && list.size() == 1) {
        return new Plan(Map.of(), List.of(), null, false, Map.of(Role.CLEANUP, 1));
      }
      throw new IllegalArgumentException("unknown command " + list.get(0)
          + " (expected: all, api, worker, cleanup, --consumer NAME)");
    }

    private static List<String> queues(String value) {
      List<String> queues = new ArrayList<>();
      for (String q : value.split(",")) {
        String queue = q.trim();
        if (!ALL_QUEUES.contains(queue)) {
          throw new IllegalArgumentException("unknown queue " + queue + " (known: " + ALL_QUEUES + ")");
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
    if (plan.has(Role.MONITORS)) {
      deadLetters.put(topics.apply(Topics.INGEST_MONITORS) + config.monitors().deadLetterSuffix(),
          new KafkaConfig.TopicConfig(1, -1));
    }
    Future<Void> chain = deadLetters.isEmpty() ? Future.succeededFuture()
        : TopicProvisioner.provision(vertx, storage.kafka(), deadLetters).mapEmpty();
    List<String> eventQueues = new ArrayList<>(plan.queues());
    boolean postProcessWorker = eventQueues.remove(TaskQueues.POST_PROCESS_ERRORS);
    if (!eventQueues.isEmpty()) {
      Map<String, Integer> concurrency = new LinkedHashMap<>();
      for (String queue : eventQueues) {
        concurrency.put(queue, plan.concurrency() != null ? plan.concurrency() : config.workers().concurrencyOf(queue));
      }
      for (int i = 0; i < config.workers().instances(); i++) {
        int index = i;
        chain = chain.compose(v -> main.deploy(new WorkerVerticle(services, eventQueues, concurrency, index)));
      }
    }
    PostProcessing postProcessing = postProcessWorker || plan.has(Role.POST_PROCESS)
        ? PostProcessing.create(config.postProcess(), services.pool(), services.redis(), services.nodestore(),
            services.registry())
        : null;
    if (postProcessWorker) {
      chain = chain.compose(v -> main.deploy(new PostProcessWorkerVerticle(postProcessing, services::broker,
          plan.concurrency())));
    }
    for (Map.Entry<String, Integer> consumer : plan.consumers().entrySet()) {
      for (int i = 0; i < consumer.getValue(); i++) {
        int index = i;
        chain = chain.compose(v -> main.deploy(new IngestConsumerVerticle(services, consumer.getKey(), index)));
      }
    }
    for (Role role : List.of(Role.ANALYTICS_EVENTS, Role.ANALYTICS_TRANSACTIONS)) {
      for (int i = 0; i < plan.instances(role); i++) {
        int index = i;
        chain = chain.compose(v -> main.deploy(new AnalyticsConsumerVerticle(config.analytics(), role.consumer, index,
            storage.kafka().bootstrapServers(), services.clickhouse(), services.producer(), topics,
            services.registry())));
      }
    }
    for (int i = 0; i < plan.instances(Role.POST_PROCESS); i++) {
      int index = i;
      chain = chain.compose(v -> main.deploy(new PostProcessForwarderVerticle(postProcessing,
          config.pipeline().inline(), storage.kafka().bootstrapServers(), topics, services::broker, index)));
    }
    for (int i = 0; i < plan.instances(Role.OUTCOMES); i++) {
      int index = i;
      chain = chain.compose(v -> main.deploy(new OutcomesConsumerVerticle(config.outcomes(), storage.kafka(),
          services.clickhouse(), topics, services.registry(), index)));
    }
    for (int i = 0; i < plan.instances(Role.SESSIONS); i++) {
      int index = i;
      chain = chain.compose(v -> main.deploy(new SessionsConsumerVerticle(config.sessions(), storage.kafka(),
          services.clickhouse(), topics, services.registry(), index)));
    }
    if (plan.has(Role.MONITORS)) {
      chain = chain.compose(v -> main.deploy(new MonitorsVerticle(config.monitors(), services.pool(),
          services.projects(), items -> services.save().save(List.of(), items), services.producer(),
          storage.kafka().bootstrapServers(), topics,
          services.registry())));
    }
    if (plan.has(Role.CLEANUP)) {
      chain = chain.compose(v -> main.deploy(new CleanupVerticle(config.cleanup(), services.pool(),
          new Cleanup(services.pool(), services.nodestore(), services.clickhouse(), config.cleanup(), Instant::now))));
    }
    if (plan.api()) {
      chain = chain.compose(v -> main.deploy(new ApiServer(config.api(), services.pool(), services.nodestore(), services.clickhouse())));
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

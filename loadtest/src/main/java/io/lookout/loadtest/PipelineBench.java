package io.lookout.loadtest;

import io.lookout.processors.ProcessorsMain;
import io.lookout.processors.analytics.AnalyticsQueries;
import io.lookout.processors.cli.ProjectAdmin;
import io.lookout.processors.config.ConsumerConfig;
import io.lookout.processors.config.ProcessorsConfig;
import io.lookout.processors.config.WorkersConfig;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.lookout.storage.rabbitmq.RabbitMqConfig;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout bench pipeline}: how fast the processors turn error events waiting on
 * {@code ingest-events} into stored, grouped events, per transport ({@code inline}, RabbitMQ) and
 * with save batching on and off, all in one run.
 *
 * <p>Per scenario: a Postgres schema of its own (migrated, one project), a Redis key prefix, Kafka
 * topics {@code bench_<random>-*}, a consumer group and a broker queue prefix. The events are
 * produced onto {@code ingest-events} first (not timed); then the processors start in this JVM
 * (the {@code ingest-events} consumer, plus the task workers for the broker transports) and the
 * clock runs until the sum of the issues' {@code times_seen} (which counts saved, grouped events
 * only) reaches the number of events. Everything is removed afterwards.
 *
 * <p>The bench, the processors and every service share this machine's cores: compare the lines of
 * one run, do not read them as capacity.
 */
final class PipelineBench {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineBench.class);

  /** At most this many warm-up runs per transport. */
  static final int MAX_WARMUP_ROUNDS = 5;
  /** The warm-up has settled when a run is at most this much faster than the one before. */
  static final double WARMUP_SETTLED_GAIN = 0.10;
  static final String INLINE = "inline";
  static final String RABBITMQ = "rabbitmq";
  static final String REDIS = "redis";
  /** Transports in run order; redis only when asked for. */
  static final List<String> TRANSPORTS = List.of(INLINE, RABBITMQ, REDIS);
  static final List<String> DEFAULT_TRANSPORTS = List.of(INLINE, RABBITMQ);
  static final String BATCHED = "batched";
  static final String UNBATCHED = "unbatched";
  /** inline batched plus the analytics consumer of {@code events}; timed until ClickHouse shows every event. */
  static final String ANALYTICS = "analytics";
  static final List<String> MODES = List.of(BATCHED, UNBATCHED, ANALYTICS);
  /** The ClickHouse writer's rows/s at batch sizes 1, 100 and 10,000 ({@link ClickHouseWriterBench}). */
  static final String CLICKHOUSE = "clickhouse";
  static final int INGEST_PARTITIONS = 4;

  private static final long EVENT_SEED = 20_260_101L;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);
  private static final long POLL_MS = 100;
  /** A FINAL count in ClickHouse costs more than the Postgres sum: asked less often. */
  private static final long CLICKHOUSE_POLL_MS = 250;
  /** What the processors talk to, by a word of its command line (see {@link CpuSample#now(Map)}). */
  private static final Map<String, String> SERVICES = Map.of("kafka.Kafka", "Kafka", "redis-server", "Redis",
      "bin/postgres ", "Postgres", "postgres: ", "Postgres", "-s rabbit ", "RabbitMQ",
      "clickhouse-server", "ClickHouse");

  /**
   * One measured configuration.
   *
   * @param mode {@code batched}, {@code unbatched} or {@code analytics} (inline only: batched, plus the
   *     analytics consumer)
   */
  record Scenario(String transport, String mode) {

    Scenario {
      if (!MODES.contains(mode) || (mode.equals(ANALYTICS) && !transport.equals(INLINE))) {
        throw new IllegalArgumentException("pipeline: no scenario " + transport + " " + mode);
      }
    }

    Scenario(String transport, boolean batched) {
      this(transport, batched ? BATCHED : UNBATCHED);
    }

    /** Conf's save batching; only the unbatched scenarios save one event at a time. */
    boolean batched() {
      return !mode.equals(UNBATCHED);
    }

    boolean analytics() {
      return mode.equals(ANALYTICS);
    }

    String name() {
      return transport + " " + mode;
    }

    /** What its rate line says. */
    String label() {
      return analytics() ? transport + " + analytics (until queryable in ClickHouse)" : name();
    }
  }

  /**
   * The options.
   *
   * @param events events per batched run
   * @param unbatchedEvents events per unbatched run (a tenth of {@code events} unless given)
   * @param issues distinct issues the events fall into
   * @param instances ingest-events consumer instances; null: {@code consumers.instances} of conf
   * @param scenarios what runs, in order
   * @param warmupEvents events of an untimed batched run of each transport measured, first, for
   *     the JIT; 0: none
   * @param timeoutSeconds a run that has not stored everything by then reports its partial rate
   * @param clickhouse whether the ClickHouse writer figures run (after the scenarios)
   * @param clickhouseRows rows the writer inserts at batch size 10,000 (at most 50,000 at 100, 2,000 at 1)
   */
  record Options(int events, int unbatchedEvents, int issues, Integer instances, List<Scenario> scenarios,
      int warmupEvents, int timeoutSeconds, boolean clickhouse, int clickhouseRows) {

    Options {
      if (events < 1 || unbatchedEvents < 1 || issues < 1 || (instances != null && instances < 1)
          || warmupEvents < 0 || timeoutSeconds < 1 || clickhouseRows < 1) {
        throw new IllegalArgumentException("pipeline: --events, --unbatched-events, --issues, --instances,"
            + " --clickhouse-rows and --timeout must be >= 1, --warmup >= 0");
      }
      if (scenarios.isEmpty() && !clickhouse) {
        throw new IllegalArgumentException("pipeline: --only leaves nothing to run");
      }
      scenarios = List.copyOf(scenarios);
    }

    int eventsOf(Scenario scenario) {
      return scenario.batched() ? events : unbatchedEvents;
    }

    static Options parse(String[] args) {
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          values.put(arg.substring(2, eq), arg.substring(eq + 1));
        } else if (arg.startsWith("--") && i + 1 < args.length) {
          values.put(arg.substring(2), args[++i]);
        } else {
          throw new IllegalArgumentException("pipeline: unexpected argument '" + arg + "' (" + USAGE + ")");
        }
      }
      for (String name : values.keySet()) {
        if (!List.of("events", "unbatched-events", "issues", "instances", "only", "warmup", "timeout",
            "clickhouse-rows").contains(name)) {
          throw new IllegalArgumentException("pipeline: unknown option --" + name + " (" + USAGE + ")");
        }
      }
      int events = number(values, "events", 20_000);
      int unbatched = number(values, "unbatched-events", Math.max(1, events / 10));
      Integer instances = values.containsKey("instances") ? number(values, "instances", 1) : null;
      return new Options(events, unbatched, number(values, "issues", 300), instances,
          scenarios(values.get("only")), number(values, "warmup", 20_000), number(values, "timeout", 600),
          clickhouse(values.get("only")), number(values, "clickhouse-rows", 200_000));
    }

    /** The writer figures run by default, and with {@code --only} when it names {@code clickhouse}. */
    static boolean clickhouse(String only) {
      return only == null || words(only).contains(CLICKHOUSE) || words(only).isEmpty();
    }

    /**
     * {@code --only}: a comma-separated list of transports ({@code inline}, {@code rabbitmq},
     * {@code redis}), modes ({@code batched}, {@code unbatched}, {@code analytics}, which exists for
     * inline only) and {@code clickhouse} (the writer figures). Listed transports replace the default
     * ones (inline, rabbitmq), listed modes the default three; a scenario runs when it matches both
     * lists. A list of only {@code clickhouse} runs no scenario. Order: per transport, batched before
     * unbatched; then inline analytics.
     */
    static List<Scenario> scenarios(String only) {
      Set<String> transports = new LinkedHashSet<>();
      Set<String> modes = new LinkedHashSet<>();
      Set<String> words = only == null ? Set.of() : words(only);
      for (String word : words) {
        if (TRANSPORTS.contains(word)) {
          transports.add(word);
        } else if (MODES.contains(word)) {
          modes.add(word);
        }
      }
      if (transports.isEmpty() && modes.isEmpty() && words.contains(CLICKHOUSE)) {
        return List.of();
      }
      List<Scenario> scenarios = new ArrayList<>();
      for (String mode : MODES) {
        for (String transport : TRANSPORTS) {
          boolean transportListed = transports.isEmpty() ? DEFAULT_TRANSPORTS.contains(transport)
              : transports.contains(transport);
          boolean exists = !mode.equals(ANALYTICS) || transport.equals(INLINE);
          if (transportListed && exists && (modes.isEmpty() || modes.contains(mode))) {
            scenarios.add(new Scenario(transport, mode));
          }
        }
      }
      // per transport, batched then unbatched; the analytics scenario after them all
      scenarios.sort(java.util.Comparator.comparing((Scenario s) -> s.analytics())
          .thenComparing(s -> TRANSPORTS.indexOf(s.transport())).thenComparing(s -> MODES.indexOf(s.mode())));
      return scenarios;
    }

    /** The words of {@code --only}, lower case; an unknown one is an error. */
    private static Set<String> words(String only) {
      Set<String> words = new LinkedHashSet<>();
      for (String part : only.split(",")) {
        String word = part.trim().toLowerCase(Locale.ROOT);
        if (TRANSPORTS.contains(word) || MODES.contains(word) || word.equals(CLICKHOUSE)) {
          words.add(word);
        } else if (!word.isEmpty()) {
          throw new IllegalArgumentException("pipeline: --only takes " + TRANSPORTS + ", " + MODES + " and ["
              + CLICKHOUSE + "], got '" + word + "'");
        }
      }
      return words;
    }

    private static int number(Map<String, String> values, String name, int fallback) {
      String value = values.get(name);
      if (value == null) {
        return fallback;
      }
      try {
        return Integer.parseInt(value.replace("_", "").replace(",", ""));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("pipeline: --" + name + " takes a number, got '" + value + "'");
      }
    }
  }

  static final String USAGE = "pipeline [--events N (20000)] [--unbatched-events N (events/10)] [--issues N (300)]"
      + " [--instances N (conf)] [--only inline,rabbitmq,redis,batched,unbatched,analytics,clickhouse]"
      + " [--warmup N (20000)] [--timeout S (600)] [--clickhouse-rows N (200000)]";

  /**
   * What one scenario measured.
   *
   * @param stored events done: saved (times_seen), or for analytics distinct events queryable in ClickHouse
   * @param savedSeconds analytics only (else NaN): when Postgres held every event
   */
  record Result(Scenario scenario, int events, long stored, double seconds, double firstStoredSeconds, long groups,
      long nodes, String cpu, boolean complete, double savedSeconds) {

    double rate() {
      return stored / seconds;
    }
  }

  /** The generated events, shared by every scenario: JSON payloads and their ids. */
  private record Events(List<String> ids, List<byte[]> payloads) {

    long averageSize() {
      return payloads.stream().mapToLong(p -> p.length).sum() / payloads.size();
    }
  }

  private final Options options;
  private final PrintStream out;
  private final ConfLoader loader;
  private final StorageConfig base;
  private final JsonObject processorsJson;

  private PipelineBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.loader = ConfLoader.fromEnvironment();
    this.base = StorageConfig.load(loader);
    // the shipped processors.json with the LOOKOUT_PROCESSORS__* overrides; validated once here
    this.processorsJson = loader.load(ProcessorsConfig.FILE);
    ProcessorsConfig.fromJson(processorsJson.copy());
  }

  static int run(String[] args) throws Exception {
    return new PipelineBench(Options.parse(args), System.out).run();
  }

  private int run() throws Exception {
    int instances = options.instances() != null ? options.instances()
        : ProcessorsConfig.fromJson(processorsJson.copy()).consumers().instancesOf(Topics.INGEST_EVENTS);
    int most = Math.max(options.warmupEvents(), options.events());
    for (Scenario s : options.scenarios()) {
      most = Math.max(most, options.eventsOf(s));
    }
    List<Result> results = new ArrayList<>();
    boolean ok = true;
    if (!options.scenarios().isEmpty()) {
      ok = runScenarios(instances, most, results);
    }
    if (options.clickhouse()) {
      ClickHouseWriterBench.run(out, "clickhouse writer ", options.clickhouseRows());
    }
    return ok ? 0 : 1;
  }

  /** Runs the warm-up and the scenarios, prints their figures; true when every event was stored. */
  private boolean runScenarios(int instances, int most, List<Result> results) throws Exception {
    LOG.info("generating {} events in {} issues", most, options.issues());
    Events events = generate(most, options.issues());
    out.printf(Locale.US, "pipeline bench: %,d events per batched run, %,d per unbatched run, avg %,d B"
            + " (Java SDK errors in %,d issues), ingest-events %d partitions, %d consumer instance(s);"
            + " %d cores shared by the bench, the processors and the services%n",
        options.events(), options.unbatchedEvents(), events.averageSize(), options.issues(), INGEST_PARTITIONS,
        instances, Runtime.getRuntime().availableProcessors());
    out.flush();

    if (options.warmupEvents() > 0) {
      List<String> warmed = new ArrayList<>();
      for (Scenario warm : warmups(options.scenarios())) {
        warmed.add(warm.name() + " " + warmUp(warm, events, instances) + " round(s)");
      }
      out.println("warm-up (runs of " + String.format(Locale.US, "%,d", options.warmupEvents())
          + " events until the rate settles): " + String.join(", ", warmed));
    }
    boolean ok = true;
    for (Scenario scenario : options.scenarios()) {
      Result r = runScenario(scenario, events, options.eventsOf(scenario), instances);
      results.add(r);
      ok &= r.complete() && r.nodes() == r.events();
      out.printf(Locale.US, "%s: %,d events/s%n", scenario.label(), Math.round(r.rate()));
      if (scenario.analytics()) {
        out.printf(Locale.US, "  %s%,d events queryable in ClickHouse after %.2f s (first after %.2f s; all saved in"
                + " Postgres after %.2f s), %,d groups, %,d nodestore rows; %s%n",
            r.complete() ? "" : "TIMED OUT: " + r.stored() + " of ", r.events(), r.seconds(), r.firstStoredSeconds(),
            r.savedSeconds(), r.groups(), r.nodes(), r.cpu());
      } else {
        out.printf(Locale.US, "  %s%,d events stored in %.2f s (first after %.2f s), %,d groups, %,d nodestore rows;"
                + " %s%n", r.complete() ? "" : "TIMED OUT: " + r.stored() + " of ", r.events(), r.seconds(),
            r.firstStoredSeconds(), r.groups(), r.nodes(), r.cpu());
      }
      out.flush();
    }
    for (String transport : TRANSPORTS) {
      Result batched = find(results, transport, BATCHED);
      Result unbatched = find(results, transport, UNBATCHED);
      if (batched != null && unbatched != null) {
        out.printf(Locale.US, "ratio batched/unbatched (%s): %.1fx%n", transport, batched.rate() / unbatched.rate());
      }
    }
    Result batched = find(results, INLINE, BATCHED);
    Result analytics = find(results, INLINE, ANALYTICS);
    if (batched != null && analytics != null) {
      out.printf(Locale.US, "ratio inline + analytics / inline batched: %.2f%n", analytics.rate() / batched.rate());
    }
    out.flush();
    return ok;
  }

  /**
   * Untimed runs of {@code warm} until the rate settles: on two cores the JIT compiler's threads
   * compete with the pipeline, and after one run of 20,000 events the pipeline was often still
   * being compiled (0.70-0.81 ms of JVM CPU per event measured after it, 0.27-0.40 after three to
   * five). The compiler never goes quiet here (each run's set-up, Kafka admin calls and the like,
   * keeps it at 40% of a core), so the rate decides: stops after a run no more than
   * {@value #WARMUP_SETTLED_GAIN} faster than the one before, or after {@value #MAX_WARMUP_ROUNDS}
   * runs; answers the number of runs.
   */
  private int warmUp(Scenario warm, Events events, int instances) throws Exception {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
    double previous = 0;
    int rounds = 0;
    while (true) {
      long compiling = timed ? jit.getTotalCompilationTime() : 0;
      long start = System.nanoTime();
      Result run = runScenario(warm, events, options.warmupEvents(), instances);
      rounds++;
      LOG.info("warm-up {} run {}: {} events/s, JIT compilers busy {}% of the run", warm.name(), rounds,
          Math.round(run.rate()), timed
              ? Math.round((jit.getTotalCompilationTime() - compiling) * 1e8 / (System.nanoTime() - start)) : "?");
      if ((rounds > 1 && run.rate() <= previous * (1 + WARMUP_SETTLED_GAIN)) || rounds == MAX_WARMUP_ROUNDS) {
        return rounds;
      }
      previous = run.rate();
    }
  }

  /**
   * The untimed runs before the measured ones: a batched run of each transport the scenarios use,
   * in run order, so that no measured run pays for compiling its transport's code (the broker path
   * has its own: processing store, task bundles, consumers); for inline, the analytics run when
   * one is measured (it runs everything inline batched does, plus the analytics consumer's code).
   */
  static List<Scenario> warmups(List<Scenario> scenarios) {
    boolean analytics = scenarios.stream().anyMatch(Scenario::analytics);
    return scenarios.stream().map(Scenario::transport).distinct()
        .map(transport -> new Scenario(transport, transport.equals(INLINE) && analytics ? ANALYTICS : BATCHED))
        .toList();
  }

  private static Result find(List<Result> results, String transport, String mode) {
    return results.stream().filter(r -> r.scenario().transport().equals(transport)
        && r.scenario().mode().equals(mode)).findFirst().orElse(null);
  }

  static Events generate(int count, int issues) {
    SentryEventGenerator generator = new SentryEventGenerator(EVENT_SEED, issues);
    Random random = new Random(EVENT_SEED);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<String> ids = new ArrayList<>(count);
    List<byte[]> payloads = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String id = generator.eventId();
      ids.add(id);
      // errors of the last few minutes, as they arrive
      payloads.add(generator.event(id, now.minusMillis(random.nextInt(300_000))));
    }
    return new Events(ids, payloads);
  }

  /** Everything one scenario owns, by name. */
  private record Names(String id, String schema, String topicPrefix, String redisPrefix, String queuePrefix,
      String group) {

    static Names random() {
      String id = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
      return new Names(id, "bench_pipe_" + id, "bench_" + id + "-", "bench_" + id + ":", "bench_" + id + ".",
          "bench_" + id);
    }
  }

  private Result runScenario(Scenario scenario, Events events, int count, int instances) throws Exception {
    Names names = Names.random();
    // the analytics scenario writes into a ClickHouse database of its own
    StorageConfig storage = new StorageConfig(base.stateDir(), base.postgres().withSchema(names.schema()),
        base.redis().withKeyPrefix(names.redisPrefix()), base.rabbitmq(),
        scenario.analytics() ? base.clickhouse().withDatabase(names.schema()) : base.clickhouse(), base.kafka(),
        base.nodestore());
    ProcessorsConfig config = ProcessorsConfig.fromJson(scenarioJson(scenario, names, instances));
    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, storage.postgres());
    List<String> topics = new ArrayList<>();
    ClickHouseWriter clickhouse = null;
    try {
      // topics first: their partitions get their leaders while the schema is migrated
      topics.addAll(createTopics(storage.kafka(), names.topicPrefix()));
      topics.add(config.pipeline().topic(Topics.INGEST_EVENTS) + config.consumers().deadLetterSuffix());
      PostgresMigrator.migrate(pool, names.schema()).await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (scenario.analytics()) {
        ClickHouseMigrator.create(vertx, storage.clickhouse()).migrate()
            .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        clickhouse = ClickHouseWriter.create(vertx, storage.clickhouse());
      }
      long projectId = new ProjectAdmin(pool).createProject("bench", "pipeline", null, null)
          .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).projectId();
      preload(storage.kafka(), config.pipeline().topic(Topics.INGEST_EVENTS), events, count, projectId);
      return measure(scenario, config, storage, pool, clickhouse, projectId, instances, count);
    } finally {
      if (clickhouse != null) {
        try {
          clickhouse.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("could not close the ClickHouse client: {}", e.toString());
        }
      }
      cleanUp(vertx, pool, storage, names, topics, scenario);
    }
  }

  /** The loaded processors.json with this scenario's names, transport and batching. */
  private JsonObject scenarioJson(Scenario scenario, Names names, int instances) {
    JsonObject json = processorsJson.copy();
    JsonObject consumers = new JsonObject().put("group", names.group())
        .put("instances", new JsonObject().put(Topics.INGEST_EVENTS, instances));
    JsonObject overrides = new JsonObject()
        .put("admin", new JsonObject().put("port", 0))
        .put("pipeline", new JsonObject().put("transport", scenario.transport().equals(INLINE) ? "inline" : "broker")
            .put("topic_prefix", names.topicPrefix()))
        .put("consumers", consumers);
    if (scenario.analytics()) {
      // its own analytics group: the commit-log keys name it
      overrides.put("analytics", new JsonObject().put("group", names.group() + "_snuba"));
    }
    if (!scenario.transport().equals(INLINE)) {
      overrides.put("broker", new JsonObject().put("transport", scenario.transport())
          .put("queue_prefix", names.queuePrefix()));
    }
    if (!scenario.batched()) {
      if (scenario.transport().equals(INLINE)) {
        // an inline save is one poll batch: one record per poll is one event per save
        consumers.put("max_poll_records", 1);
      } else {
        overrides.put("workers", new JsonObject().put("save_batch", new JsonObject().put("max_items", 1)));
      }
    }
    return json.mergeIn(overrides, true);
  }

  private static List<String> createTopics(KafkaConfig kafka, String prefix) throws Exception {
    Map<String, KafkaConfig.TopicConfig> topics = new LinkedHashMap<>();
    topics.put(prefix + Topics.INGEST_EVENTS, new KafkaConfig.TopicConfig(INGEST_PARTITIONS, -1));
    // outcomes: the save step's accepted outcomes; snuba-commit-log: the analytics consumer's commits
    for (String name : List.of(Topics.EVENTS, Topics.TRANSACTIONS, Topics.OUTCOMES, Topics.SNUBA_COMMIT_LOG)) {
      topics.put(prefix + name, new KafkaConfig.TopicConfig(kafka.topics().get(name).partitions(), -1));
    }
    TopicProvisioner.provisionBlocking(kafka, topics);
    return new ArrayList<>(topics.keySet());
  }

  /** Produces the first {@code count} events onto {@code topic}, as Relay would, and waits for every ack. */
  private static void preload(KafkaConfig kafka, String topic, Events events, int count, long projectId)
      throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L * 1024 * 1024);
    // a topic just created may answer NOT_LEADER_OR_FOLLOWER for a moment; an idempotent producer's
    // retries of that can end in OUT_OF_ORDER_SEQUENCE until the batches expire. A duplicate from a
    // plain retry is harmless here: the pipeline drops it (dedup) and counts every event once.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
    long start = System.nanoTime();
    long startTime = Instant.now().getEpochSecond();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      awaitLeaders(producer, topic);
      List<Future<RecordMetadata>> acks = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        EventMessage message = new EventMessage(events.payloads().get(i), startTime, events.ids().get(i), projectId,
            "10.1." + (i % 200) + "." + (i % 250), List.of());
        acks.add(producer.send(new ProducerRecord<>(topic, message.kafkaKey(), IngestCodec.encode(message))));
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    }
    LOG.info("preloaded {} events onto {} in {} ms", count, topic, (System.nanoTime() - start) / 1_000_000);
  }

  /** Waits (bounded) until the producer's metadata has a leader for every partition of {@code topic}. */
  private static void awaitLeaders(KafkaProducer<byte[], byte[]> producer, String topic) throws InterruptedException {
    long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<PartitionInfo> partitions = producer.partitionsFor(topic);
      if (partitions.size() == INGEST_PARTITIONS && partitions.stream().allMatch(p -> p.leader() != null
          && !p.leader().isEmpty())) {
        return;
      }
      Thread.sleep(100);
    }
    LOG.warn("topic {}: not every partition has a leader yet; producing anyway", topic);
  }

  /**
   * Starts the processors and polls Postgres (for analytics: ClickHouse) until every event is stored
   * (or the timeout).
   */
  private Result measure(Scenario scenario, ProcessorsConfig config, StorageConfig storage, Pool pool,
      ClickHouseWriter clickhouse, long projectId, int instances, int count) throws Exception {
    List<String> queues = scenario.transport().equals(INLINE) ? List.of() : WorkersConfig.QUEUES;
    ProcessorsMain.Plan plan = new ProcessorsMain.Plan(Map.of(ConsumerConfig.TOPICS.get(0), instances), queues,
        null, false, scenario.analytics() ? Map.of(ProcessorsMain.Role.ANALYTICS_EVENTS, 1) : Map.of());
    AnalyticsQueries queries = scenario.analytics() ? new AnalyticsQueries(clickhouse) : null;
    Vertx processorsVertx = Vertx.vertx();
    ProcessorsMain processors = null;
    try {
      CpuSample cpuBefore = CpuSample.now(SERVICES);
      long start = System.nanoTime();
      processors = ProcessorsMain.start(processorsVertx, config, storage, plan, config.pipeline()::topic)
          .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      long deadline = start + TimeUnit.SECONDS.toNanos(options.timeoutSeconds());
      long firstStored = -1;
      long allSaved = -1;
      long stored = 0;
      long now = System.nanoTime();
      while (stored < count && now < deadline) {
        Thread.sleep(queries == null ? POLL_MS : CLICKHOUSE_POLL_MS);
        if (queries == null) {
          stored = storedEvents(pool);
        } else {
          stored = queries.countErrors(projectId).await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
          if (allSaved < 0 && storedEvents(pool) >= count) {
            allSaved = System.nanoTime();
          }
        }
        now = System.nanoTime();
        if (stored > 0 && firstStored < 0) {
          firstStored = now;
        }
      }
      if (queries != null && allSaved < 0 && storedEvents(pool) >= count) {
        allSaved = now;
      }
      CpuSample cpuAfter = CpuSample.now(SERVICES);
      String cpu = cpuAfter.since(cpuBefore);
      if (stored > 0 && cpuBefore.processCpuNanos() >= 0) {
        // what an event costs the processors, whatever else ran on the shared cores meanwhile
        cpu += String.format(Locale.US, "; this JVM %.2f ms CPU per event",
            (cpuAfter.processCpuNanos() - cpuBefore.processCpuNanos()) / 1e6 / stored);
      }
      long groups = single(pool, "SELECT count(*) FROM groups");
      long nodes = single(pool, "SELECT count(*) FROM nodestore_node");
      return new Result(scenario, count, stored, (now - start) / 1e9,
          firstStored < 0 ? Double.NaN : (firstStored - start) / 1e9, groups, nodes, cpu, stored >= count,
          allSaved < 0 ? Double.NaN : (allSaved - start) / 1e9);
    } finally {
      try {
        if (processors != null) {
          processors.stop().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
      } finally {
        processorsVertx.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      }
    }
  }

  /** Saved, grouped events: every one adds 1 to its issue's times_seen, in the save transaction. */
  private static long storedEvents(Pool pool) throws Exception {
    return single(pool, "SELECT coalesce(sum(times_seen), 0) FROM groups");
  }

  private static long single(Pool pool, String sql) throws Exception {
    Row row = pool.query(sql).execute().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).iterator().next();
    return row.getNumeric(0).longValue();
  }

  /** Drops the schema, the topics, the broker queues and the Redis keys of a scenario; logs what fails. */
  private void cleanUp(Vertx vertx, Pool pool, StorageConfig storage, Names names, List<String> topics,
      Scenario scenario) {
    try {
      pool.query("DROP SCHEMA IF EXISTS " + names.schema() + " CASCADE").execute()
          .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("could not drop the schema {}: {}", names.schema(), e.toString());
    }
    if (scenario.analytics()) {
      ClickHouseWriterBench.dropDatabase(vertx, storage.clickhouse());
    }
    if (!topics.isEmpty()) {
      try (Admin admin = GatewayBench.admin(storage.kafka())) {
        admin.deleteTopics(topics).all().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("could not delete the topics {}*: {}", names.topicPrefix(), e.toString());
      }
    }
    if (scenario.transport().equals(RABBITMQ)) {
      deleteQueues(storage.rabbitmq(), names.queuePrefix());
    }
    RedisConnector redis = RedisConnector.create(vertx, storage.redis());
    try {
      // the redis prefix also covers the redis broker's queues
      GatewayBench.deleteKeys(redis, names.redisPrefix());
      if (scenario.transport().equals(REDIS)) {
        GatewayBench.deleteKeys(redis, names.queuePrefix());
      }
    } catch (Exception e) {
      LOG.warn("could not delete the Redis keys {}*: {}", names.redisPrefix(), e.toString());
    }
    try {
      redis.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      pool.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      vertx.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("could not close the bench's connections: {}", e.toString());
    }
  }

  /** Each queue of the pipeline with its retry and dead-letter queues ({@code RabbitMqTaskBroker}'s layout). */
  private static void deleteQueues(RabbitMqConfig rabbitmq, String prefix) {
    com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
    factory.setHost(rabbitmq.host());
    factory.setPort(rabbitmq.port());
    factory.setVirtualHost(rabbitmq.vhost());
    factory.setUsername(rabbitmq.user());
    factory.setPassword(rabbitmq.password());
    factory.setConnectionTimeout(rabbitmq.connectTimeoutMs());
    try (com.rabbitmq.client.Connection connection = factory.newConnection("lookout-bench-cleanup")) {
      for (String queue : WorkersConfig.QUEUES) {
        for (String suffix : List.of("", ".retry", ".dead")) {
          // a channel each: deleting a queue that was never declared may close the channel
          try (com.rabbitmq.client.Channel channel = connection.createChannel()) {
            channel.queueDelete(prefix + queue + suffix);
          } catch (Exception e) {
            LOG.debug("queue {} not deleted: {}", prefix + queue + suffix, e.toString());
          }
        }
      }
    } catch (Exception e) {
      LOG.warn("could not delete the RabbitMQ queues {}*: {}", prefix, e.toString());
    }
  }
}

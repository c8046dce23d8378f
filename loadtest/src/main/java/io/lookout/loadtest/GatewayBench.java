package io.lookout.loadtest;

import io.lookout.gateway.GatewayConfig;
import io.lookout.gateway.GatewayMain;
import io.lookout.gateway.produce.ProduceMetrics;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.loadtest.SdkEnvelopes.Kind;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/lookout bench gateway [--duration S] [--connections C] [--warmup S] [--bodies N]}: the
 * same closed-loop load, the same SDK-made bodies and the same client against (a) a bare Vert.x
 * server that reads each body and answers 200, then (b) the full gateway in static mode (auth,
 * size limits, one Redis quota script call per request, Kafka produce with acks=all to topics of
 * its own, outcomes). Each is warmed up (untimed) and then measured. Afterwards it checks that
 * every 200 of the gateway is a record on its topics, and removes its topics and Redis keys.
 *
 * <p>The load generator, both servers and the gateway's Kafka and Redis share this machine's
 * cores: the figures are for comparing, not for capacity planning.
 */
public final class GatewayBench {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayBench.class);

  static final long PROJECT_ID = 42;
  static final long ORGANIZATION_ID = 7;
  /** A per-key limit that never triggers but makes every request run the Redis quota script. */
  static final long NEVER_REACHED_LIMIT = 1_000_000_000L;
  private static final long BODY_SEED = 20_250_601L;
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);
  static final int WARMUP_ROUND_SECONDS = 5;
  /** The warm-up ends once a round's JIT compile time is below this share of the round. */
  static final double JIT_QUIET_SHARE = 0.10;
  /** ... or at the latest after this long. */
  static final int MAX_WARMUP_SECONDS = 120;

  /**
   * The options; defaults as documented in {@link BenchMain}. {@code warmupSeconds} is the least
   * warm-up: it goes on in rounds of {@value #WARMUP_ROUND_SECONDS} s while the JIT compiler is
   * still busy (see {@link #warmUp}).
   */
  record Options(int durationSeconds, int connections, int warmupSeconds, int bodies) {

    Options {
      if (durationSeconds < 1 || warmupSeconds < 0 || connections < 1 || bodies < 1) {
        throw new IllegalArgumentException("gateway: --duration >= 1, --warmup >= 0, --connections >= 1,"
            + " --bodies >= 1");
      }
    }

    static Options parse(String[] args) {
      Map<String, Integer> values = new HashMap<>(Map.of("duration", 10, "connections", 256, "warmup", 20,
          "bodies", 400));
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name;
        String value;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(2, eq);
          value = arg.substring(eq + 1);
        } else if (arg.startsWith("--") && i + 1 < args.length) {
          name = arg.substring(2);
          value = args[++i];
        } else {
          throw new IllegalArgumentException("gateway: unexpected argument '" + arg + "'");
        }
        if (!values.containsKey(name)) {
          throw new IllegalArgumentException("gateway: unknown option --" + name);
        }
        try {
          values.put(name, Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("gateway: --" + name + " takes a number, got '" + value + "'");
        }
      }
      return new Options(values.get("duration"), values.get("connections"), values.get("warmup"),
          values.get("bodies"));
    }
  }

  private final Options options;
  private final PrintStream out;

  private GatewayBench(Options options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static int run(String[] args) throws Exception {
    return new GatewayBench(Options.parse(args), System.out).run();
  }

  private int run() throws Exception {
    ConfLoader loader = ConfLoader.fromEnvironment();
    StorageConfig base = StorageConfig.load(loader);
    String prefix = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "-";
    StorageConfig storage = new StorageConfig(base.stateDir(), base.postgres(),
        base.redis().withKeyPrefix(prefix), base.rabbitmq(), base.clickhouse(), base.kafka(), base.nodestore());
    String key = UUID.randomUUID().toString().replace("-", "");
    int gatewayPort = freePort();
    SdkEnvelopes.Bodies bodies = SdkEnvelopes.build("http://" + key + "@127.0.0.1:" + gatewayPort + "/"
        + PROJECT_ID, options.bodies(), BODY_SEED);
    printHeader(bodies);

    int instances = Runtime.getRuntime().availableProcessors();
    Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
    HttpClientAgent client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setPipelining(false).setTcpNoDelay(true).setIdleTimeout(120));
    List<Context> eventLoops = ClosedLoopLoad.eventLoopContexts(clientVertx, instances)
        .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    List<String> topics = List.of();
    RedisConnector redis = RedisConnector.create(clientVertx, storage.redis());
    int code = 1;
    try {
      Run bareRun = measureBare(clientVertx, client, eventLoops, bodies, instances);
      ClosedLoopLoad.Result bare = bareRun.measured();
      out.println(line("bare vert.x", bare));
      topics = createTopics(storage.kafka(), prefix);
      long evalshaBefore = evalshaCalls(redis);
      long readsBefore = redisStat(redis, "total_reads_processed");
      Run gateway = measureGateway(clientVertx, client, eventLoops, bodies, storage, loader, prefix, key,
          gatewayPort);
      long evalsha = evalshaCalls(redis) - evalshaBefore;
      long reads = redisStat(redis, "total_reads_processed") - readsBefore;
      out.println(line("gateway", gateway.measured()));
      out.printf(Locale.US, "ratio: %.2f%n",
          gateway.measured().requestsPerSecond() / bare.requestsPerSecond());
      out.printf(Locale.US, "warm-up (until the JIT compiler is quiet): bare vert.x %d s, gateway %d s%n",
          bareRun.warmupSeconds(), gateway.warmupSeconds());
      out.println("measured runs: bare vert.x " + bareRun.cpu() + "; gateway " + gateway.cpu() + "; gateway "
          + gateway.produceLatency());
      out.println("cpu per request (server threads only, without the load generator): bare vert.x "
          + bareRun.serverCpu() + "; gateway " + gateway.serverCpu());
      boolean landed = printLanded(storage.kafka(), prefix, bodies, gateway, evalsha, reads);
      code = landed && bare.notOk() == 0 && gateway.measured().notOk() == 0 ? 0 : 1;
    } finally {
      cleanUp(storage.kafka(), topics, redis, prefix);
      clientVertx.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    return code;
  }

  private void printHeader(SdkEnvelopes.Bodies bodies) {
    int n = bodies.bodies().size();
    long withSession = bodies.bodies().stream()
        .filter(b -> b.kind() != Kind.SESSION && b.items("session") > 0).count();
    out.printf(Locale.US, "gateway bench: %,d bodies from the Sentry Java SDK (%,d errors, %,d transactions,"
            + " %,d session updates, %,d errors with attachment; %,d errors also carry a session update),"
            + " avg %,d B gzipped / %,d B uncompressed;"
            + " %,d connections, %,d s measured after at least %,d s warm-up per server; %d cores shared by the load"
            + " generator, the servers, Kafka and Redis%n",
        n, bodies.count(Kind.ERROR), bodies.count(Kind.TRANSACTION), bodies.count(Kind.SESSION),
        bodies.count(Kind.ATTACHMENT), withSession, bodies.totalGzipped() / n, bodies.totalRaw() / n,
        options.connections(), options.durationSeconds(), options.warmupSeconds(),
        Runtime.getRuntime().availableProcessors());
  }

  static String line(String name, ClosedLoopLoad.Result r) {
    return String.format(Locale.US, "%s: %,.0f req/s p50 %,.1f ms p99 %,.1f ms (non-200: %,d)", name,
        r.requestsPerSecond(), r.percentileMillis(50), r.percentileMillis(99), r.notOk())
        + (r.notOk() == 0 ? "" : String.format(Locale.US, " statuses %s, failures %,d%s", r.statuses(),
            r.failures(), r.firstFailure() == null ? "" : " (first: " + r.firstFailure() + ")"));
  }

  private Run measureBare(Vertx clientVertx, HttpClientAgent client, List<Context> eventLoops,
      SdkEnvelopes.Bodies bodies, int instances) throws Exception {
    ServerThreads threads = ServerThreads.startingNow();
    Vertx serverVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
    try {
      int port = freePort();
      serverVertx.deployVerticle(() -> new BareVerticle(port), new DeploymentOptions().setInstances(instances))
          .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return warmUpAndMeasure(clientVertx, client, eventLoops, bodies, port, null, threads);
    } finally {
      serverVertx.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** A warm-up and a measured run over the same connections, and what the machine did meanwhile. */
  private record Run(List<ClosedLoopLoad.Result> warmups, int warmupSeconds, ClosedLoopLoad.Result measured,
      String cpu, String produceLatency, String serverCpu) {

    /** 200s of the body at {@code index}, warm-up included. */
    long ok(int index) {
      return warmups.stream().mapToLong(w -> w.ok(index)).sum() + measured.ok(index);
    }

    long requests() {
      return warmups.stream().mapToLong(ClosedLoopLoad.Result::requests).sum() + measured.requests();
    }
  }

  /**
   * @param registry the gateway's meters, to report its Kafka produce latency over the measured
   *     run; null for the bare server
   */
  private Run warmUpAndMeasure(Vertx clientVertx, HttpClientAgent client, List<Context> eventLoops,
      SdkEnvelopes.Bodies bodies, int port, MeterRegistry registry, ServerThreads threads) throws Exception {
    ClosedLoopLoad load = ClosedLoopLoad.open(clientVertx, client, eventLoops, port, bodies, options.connections())
        .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    try {
      List<ClosedLoopLoad.Result> warmups = warmUp(load);
      int warmupSeconds = warmups.isEmpty() ? 0
          : options.warmupSeconds() + (warmups.size() - 1) * WARMUP_ROUND_SECONDS;
      Timer produce = registry == null ? null
          : registry.find(ProduceMetrics.LATENCY).tag(ProduceMetrics.TAG_RESULT, "ok").timer();
      long producedBefore = produce == null ? 0 : produce.count();
      double produceMsBefore = produce == null ? 0 : produce.totalTime(TimeUnit.MILLISECONDS);
      CpuSample cpuBefore = CpuSample.now();
      long serverNanosBefore = threads.cpuNanos();
      ClosedLoopLoad.Result measured = await(load.run(Duration.ofSeconds(options.durationSeconds())),
          options.durationSeconds());
      long serverNanos = threads.cpuNanos() - serverNanosBefore;
      CpuSample cpuAfter = CpuSample.now();
      String cpu = cpuAfter.since(cpuBefore);
      String serverCpu = cpuAfter.perRequest(cpuBefore, serverNanos, measured.requests());
      String produceLatency = null;
      if (produce != null) {
        long produced = produce.count() - producedBefore;
        produceLatency = String.format(Locale.US, "kafka produce (hand-over to last ack) mean %,.1f ms over %,d"
            + " envelopes", produced == 0 ? 0 : (produce.totalTime(TimeUnit.MILLISECONDS) - produceMsBefore)
            / produced, produced);
      }
      return new Run(warmups, warmupSeconds, measured, cpu, produceLatency, serverCpu);
    } finally {
      load.close().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /**
   * {@code --warmup} seconds, then more rounds while the JIT compiler still works hard: on two
   * cores its one C2 thread competes with the load, and a gateway measured while it still compiles
   * (half a core, 25 s into the load) ran at a third of its settled throughput.
   */
  private List<ClosedLoopLoad.Result> warmUp(ClosedLoopLoad load) throws TimeoutException {
    List<ClosedLoopLoad.Result> rounds = new ArrayList<>();
    if (options.warmupSeconds() == 0) {
      return rounds;
    }
    rounds.add(await(load.run(Duration.ofSeconds(options.warmupSeconds())), options.warmupSeconds()));
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) {
      return rounds;
    }
    int total = options.warmupSeconds();
    while (total + WARMUP_ROUND_SECONDS <= Math.max(MAX_WARMUP_SECONDS, options.warmupSeconds())) {
      long compiling = jit.getTotalCompilationTime();
      long start = System.nanoTime();
      rounds.add(await(load.run(Duration.ofSeconds(WARMUP_ROUND_SECONDS)), WARMUP_ROUND_SECONDS));
      total += WARMUP_ROUND_SECONDS;
      double share = (jit.getTotalCompilationTime() - compiling) * 1e6 / (System.nanoTime() - start);
      if (share < JIT_QUIET_SHARE) {
        break;
      }
    }
    return rounds;
  }

  private static <T> T await(Future<T> future, int runSeconds) throws TimeoutException {
    return future.await(runSeconds + STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  private Run measureGateway(Vertx clientVertx, HttpClientAgent client, List<Context> eventLoops,
      SdkEnvelopes.Bodies bodies,
      StorageConfig storage, ConfLoader loader, String prefix, String key, int port) throws Exception {
    Path projects = Files.createTempDirectory("lookout-bench-projects");
    Path projectFile = projects.resolve("bench.json");
    Files.writeString(projectFile, new JsonObject()
        .put("id", PROJECT_ID).put("organization_id", ORGANIZATION_ID).put("slug", "bench")
        .put("keys", new JsonArray().add(new JsonObject().put("id", 1).put("public_key", key)
            .put("rate_limit", new JsonObject().put("count", NEVER_REACHED_LIMIT).put("window", 60))))
        // the key's limit covers only the error categories; this one makes sessions and
        // transactions take the same Redis call
        .put("options", new JsonObject().put("quotas", new JsonArray().add(new JsonObject()
            .put("id", "bench_all").put("scope", "project").put("limit", NEVER_REACHED_LIMIT).put("window", 60))))
        .encode(), StandardCharsets.UTF_8);
    // the shipped gateway.json (+ env overrides), on a port of its own, projects from the file above
    JsonObject json = loader.load(GatewayConfig.FILE);
    json.mergeIn(new JsonObject()
        .put("relay", new JsonObject().put("mode", "static").put("host", "127.0.0.1").put("port", port)
            .put("projects_dir", projects.toString()))
        .put("metrics", new JsonObject().put("port", 0)), true);
    GatewayConfig config = GatewayConfig.fromJson(json, loader.homeDir());
    ServerThreads threads = ServerThreads.startingNow();
    Vertx gatewayVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.relay().effectiveInstances()));
    GatewayMain gateway = GatewayMain.start(gatewayVertx, config, storage, TopicNames.prefixed(prefix))
        .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    try {
      return warmUpAndMeasure(clientVertx, client, eventLoops, bodies, port, gateway.services().registry(),
          threads);
    } finally {
      // stop() also closes gatewayVertx
      gateway.stop().await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Files.deleteIfExists(projectFile);
      Files.deleteIfExists(projects);
    }
  }

  /** Sentry's topics behind {@code prefix}, with the partition counts of conf. */
  private static List<String> createTopics(KafkaConfig kafka, String prefix) throws Exception {
    Map<String, KafkaConfig.TopicConfig> topics = new LinkedHashMap<>();
    for (String name : Topics.ALL) {
      topics.put(prefix + name, new KafkaConfig.TopicConfig(kafka.topics().get(name).partitions(), -1));
    }
    TopicProvisioner.provisionBlocking(kafka, topics);
    return new ArrayList<>(topics.keySet());
  }

  /**
   * Every 200 must be a durable record: compares the end offsets of the gateway's topics with the
   * records the 200s (warm-up included) should have made, and the Redis script calls with the
   * requests. Expected records per envelope, as the gateway routes them: an event goes to
   * {@code ingest-events}, or with its attachments to {@code ingest-attachments} (one chunk per
   * attachment: they are far below the chunk size); a transaction to {@code ingest-transactions};
   * each session update to {@code ingest-sessions}.
   */
  private boolean printLanded(KafkaConfig kafka, String prefix, SdkEnvelopes.Bodies bodies, Run run, long evalsha,
      long reads) throws Exception {
    Map<String, Long> expected = new LinkedHashMap<>();
    for (String topic : List.of(Topics.INGEST_EVENTS, Topics.INGEST_TRANSACTIONS, Topics.INGEST_SESSIONS,
        Topics.INGEST_ATTACHMENTS)) {
      expected.put(topic, 0L);
    }
    long ok = 0;
    for (int i = 0; i < bodies.bodies().size(); i++) {
      SdkEnvelopes.Body body = bodies.bodies().get(i);
      long n = run.ok(i);
      ok += n;
      int attachments = body.items("attachment");
      expected.merge(attachments > 0 ? Topics.INGEST_ATTACHMENTS : Topics.INGEST_EVENTS,
          n * (body.items("event") + attachments), Long::sum);
      expected.merge(Topics.INGEST_TRANSACTIONS, n * body.items("transaction"), Long::sum);
      expected.merge(Topics.INGEST_SESSIONS, n * body.items("session"), Long::sum);
    }
    boolean allLanded = true;
    List<String> parts = new ArrayList<>();
    try (Admin admin = admin(kafka)) {
      for (Map.Entry<String, Long> e : expected.entrySet()) {
        long records = endOffsets(admin, prefix + e.getKey(), kafka.topics().get(e.getKey()).partitions());
        boolean equal = records == e.getValue();
        allLanded &= equal;
        parts.add(String.format(Locale.US, "%s %,d records %s %,d expected", e.getKey(), records,
            equal ? "=" : "!=", e.getValue()));
      }
    }
    long requests = run.requests();
    out.printf(Locale.US, "landed (warm-up + measured, %,d gateway 200s): %s%n", ok, String.join(", ", parts));
    out.printf(Locale.US, "redis: %,d EVALSHA calls (quota script) for %,d gateway requests, in %,d socket reads"
        + " of Redis (all its clients; Redis 6+)%n", evalsha, requests, reads);
    if (!allLanded) {
      LOG.error("the gateway's 200s and the records on its topics differ");
    }
    return allLanded;
  }

  private static long endOffsets(Admin admin, String topic, int partitions) throws Exception {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (int p = 0; p < partitions; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    long total = 0;
    for (ListOffsetsResult.ListOffsetsResultInfo info : admin.listOffsets(specs).all()
        .get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).values()) {
      total += info.offset();
    }
    return total;
  }

  /** {@code cmdstat_evalsha:calls=N} from {@code INFO commandstats}: 0 when Redis has none yet. */
  private static long evalshaCalls(RedisConnector redis) throws TimeoutException {
    Response info = redis.send(Request.cmd(Command.INFO).arg("commandstats"))
        .await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    for (String row : info.toString().split("\r?\n")) {
      if (row.startsWith("cmdstat_evalsha:calls=")) {
        String calls = row.substring("cmdstat_evalsha:calls=".length());
        int comma = calls.indexOf(',');
        return Long.parseLong(comma < 0 ? calls : calls.substring(0, comma));
      }
    }
    return 0;
  }

  /** A counter of {@code INFO stats}, e.g. {@code total_reads_processed}; 0 when Redis has none. */
  private static long redisStat(RedisConnector redis, String name) throws TimeoutException {
    Response info = redis.send(Request.cmd(Command.INFO).arg("stats")).await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    for (String row : info.toString().split("\r?\n")) {
      if (row.startsWith(name + ":")) {
        return Long.parseLong(row.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }

  private void cleanUp(KafkaConfig kafka, List<String> topics, RedisConnector redis, String prefix) {
    if (!topics.isEmpty()) {
      try (Admin admin = admin(kafka)) {
        admin.deleteTopics(topics).all().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("could not delete the topics {}*: {}", prefix, e.toString());
      }
    }
    try {
      long deleted = deleteKeys(redis, prefix);
      out.printf(Locale.US, "cleaned up: %,d topics %s*, %,d Redis keys %s*%n", topics.size(), prefix, deleted,
          prefix);
    } catch (Exception e) {
      LOG.warn("could not delete the Redis keys {}*: {}", prefix, e.toString());
    }
  }

  /** Deletes every Redis key that starts with {@code prefix} (SCAN + DEL); returns how many. */
  static long deleteKeys(RedisConnector redis, String prefix) throws TimeoutException {
    long deleted = 0;
    String cursor = "0";
    do {
      Response page = redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(prefix + "*")
          .arg("COUNT").arg(1000)).await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      cursor = page.get(0).toString();
      Response keys = page.get(1);
      if (keys.size() > 0) {
        Request del = Request.cmd(Command.DEL);
        for (Response k : keys) {
          del.arg(k.toString());
        }
        deleted += redis.send(del).await(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS).toLong();
      }
    } while (!cursor.equals("0"));
    return deleted;
  }

  static Admin admin(KafkaConfig kafka) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) kafka.adminTimeoutMs());
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) kafka.adminTimeoutMs());
    return Admin.create(props);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** The baseline: reads the whole body and answers 200 with an id, nothing else. */
  static final class BareVerticle extends VerticleBase {

    private static final String ANSWER = new JsonObject().put("id", "0123456789abcdef0123456789abcdef").encode();

    private final int port;
    private HttpServer server;

    BareVerticle(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      // the gateway's socket options, so that only the work per request differs
      server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
              .setTcpNoDelay(true).setCompressionSupported(false).setDecompressionSupported(false))
          .requestHandler(request -> request.body().onComplete(body -> {
            if (body.succeeded()) {
              request.response().putHeader("Content-Type", "application/json").end(ANSWER);
            } else {
              request.response().setStatusCode(400).end();
            }
          }));
      return server.listen();
    }

    @Override
    public Future<?> stop() {
      return server.close();
    }
  }
}

package io.lookout.loadtest;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Node;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.nodestore.NodestoreConfig;
import io.lookout.storage.nodestore.impl.NodeCodec;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresConfig;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The save path's storage bottleneck: writing event payloads to the nodestore one row per statement,
 * as Sentry does, against {@link Nodestore#putMany} batches. Same events, same zstd compression (off
 * the event loop in both), same table; the table is truncated before every timed run. The server's
 * durability settings are left as they are: every statement of the first mode is a commit with its
 * WAL flush, as it is in Sentry.
 *
 * <p>Prints its figures on stdout; it asserts nothing.
 */
final class NodestoreBench {

  static final String SCHEMA = "bench_nodestore";
  private static final long SEED = 0x5EED_2026L;
  private static final int PROJECTS = 20;

  /** What Sentry's nodestore does per event, with the same upsert semantics as {@code putMany}. */
  private static final String INSERT_ONE = "INSERT INTO nodestore_node (id, data, \"timestamp\") VALUES ($1, $2, $3) "
      + "ON CONFLICT (id, \"timestamp\") DO UPDATE SET data = EXCLUDED.data";

  private static final Logger LOG = LoggerFactory.getLogger(NodestoreBench.class);

  private NodestoreBench() {
  }

  record Options(int events, int batch, int concurrency, int runs) {

    Options {
      if (events < 1 || batch < 1 || concurrency < 1 || runs < 1) {
        throw new IllegalArgumentException("--events, --batch, --concurrency and --runs must be >= 1");
      }
    }

    static Options parse(String[] args) {
      int events = 20_000;
      int batch = 1_000;
      int concurrency = 4;
      int runs = 3;
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + flag);
        }
        int value;
        try {
          value = Integer.parseInt(args[++i].replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(flag + " needs a number, got '" + args[i] + "'");
        }
        switch (flag) {
          case "--events", "-n" -> events = value;
          case "--batch", "-b" -> batch = value;
          case "--concurrency", "-c" -> concurrency = value;
          case "--runs", "-r" -> runs = value;
          default -> throw new IllegalArgumentException("unknown option " + flag
              + " (nodestore [--events N] [--batch B] [--concurrency C] [--runs R])");
        }
      }
      return new Options(events, batch, concurrency, runs);
    }
  }

  static int run(String[] args) throws Exception {
    Options options = Options.parse(args);
    StorageConfig storage = StorageConfig.load();
    PostgresConfig pg = storage.postgres();
    // one connection per statement in flight, plus one for the partition checks
    PostgresConfig config = new PostgresConfig(pg.host(), pg.port(), pg.database(), pg.user(), pg.password(), SCHEMA,
        Math.max(pg.poolSize(), options.concurrency() + 1), pg.maxWaitQueue(), pg.connectTimeoutMs(),
        pg.idleTimeoutMs(), pg.statementTimeoutMs(), pg.pipeliningLimit());
    NodestoreConfig nodestoreConfig = storage.nodestore();

    LOG.info("generating {} events", options.events());
    List<Node> nodes = generate(options.events());
    long totalBytes = nodes.stream().mapToLong(n -> n.json().length).sum();
    long compressedBytes = nodes.stream().limit(2_000)
        .mapToLong(n -> NodeCodec.compress(n.json(), nodestoreConfig.compressionLevel()).length).sum();
    int sampled = Math.min(nodes.size(), 2_000);

    Vertx vertx = Vertx.vertx();
    Pool pool = PgPools.create(vertx, config);
    try {
      await(pool.query("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").execute());
      await(PostgresMigrator.migrate(pool, SCHEMA));
      Nodestore nodestore = Nodestore.create(vertx, pool, nodestoreConfig);
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      await(nodestore.ensurePartitions(today.minusDays(1), today.plusDays(1)));

      Bench bench = new Bench(vertx, pool, nodestore, nodestoreConfig.compressionLevel(), options);
      // warm-up: JIT, prepared statements, connections, the table's first pages
      List<Node> warmup = nodes.subList(0, Math.min(nodes.size(), 2_000));
      bench.timed("warm-up one-per-statement", warmup, bench::onePerStatement);
      bench.timed("warm-up batched", warmup, bench::batched);

      double[] single = new double[options.runs()];
      double[] batched = new double[options.runs()];
      for (int r = 0; r < options.runs(); r++) {
        // alternate the modes, so that a slow drift of the machine does not favour either
        single[r] = bench.timed("one-per-statement run " + (r + 1), nodes, bench::onePerStatement);
        batched[r] = bench.timed("batched run " + (r + 1), nodes, bench::batched);
      }
      double singleRate = median(single);
      double batchedRate = median(batched);

      System.out.printf(Locale.US, "nodestore: events=%,d batch=%,d concurrency=%,d runs=%d avg event size=%,d B "
              + "(zstd level %d: %,d B)%n", options.events(), options.batch(), options.concurrency(), options.runs(),
          totalBytes / nodes.size(), nodestoreConfig.compressionLevel(), compressedBytes / sampled);
      System.out.printf(Locale.US, "one-per-statement: %,d events/s%n", Math.round(singleRate));
      System.out.printf(Locale.US, "batched: %,d events/s%n", Math.round(batchedRate));
      System.out.printf(Locale.US, "ratio: %.1fx%n", batchedRate / singleRate);
      System.out.flush();
      return 0;
    } finally {
      try {
        await(pool.query("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE").execute());
      } finally {
        await(pool.close());
        await(vertx.close());
      }
    }
  }

  private static List<Node> generate(int count) {
    SentryEventGenerator generator = new SentryEventGenerator(SEED);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    List<Node> nodes = new ArrayList<>(count);
    java.util.Random random = new java.util.Random(SEED);
    for (int i = 0; i < count; i++) {
      String eventId = generator.eventId();
      // events of the last few minutes: the save path writes what just arrived
      Instant timestamp = now.minusMillis(random.nextInt(300_000));
      nodes.add(Node.of(1 + random.nextInt(PROJECTS), eventId, timestamp, generator.event(eventId, timestamp)));
    }
    return nodes;
  }

  private static final class Bench {

    private final Vertx vertx;
    private final Pool pool;
    private final Nodestore nodestore;
    private final int level;
    private final Options options;

    Bench(Vertx vertx, Pool pool, Nodestore nodestore, int level, Options options) {
      this.vertx = vertx;
      this.pool = pool;
      this.nodestore = nodestore;
      this.level = level;
      this.options = options;
    }

    /** Runs one mode on an empty table and returns events per second. */
    double timed(String label, List<Node> nodes, Function<List<Node>, Future<Void>> mode) {
      await(pool.query("TRUNCATE nodestore_node").execute());
      long start = System.nanoTime();
      await(mode.apply(nodes));
      double seconds = (System.nanoTime() - start) / 1e9;
      double rate = nodes.size() / seconds;
      long rows = await(pool.query("SELECT count(*) FROM nodestore_node").execute()).iterator().next().getLong(0);
      if (rows != nodes.size()) {
        throw new IllegalStateException(label + ": " + rows + " rows in the table, expected " + nodes.size());
      }
      LOG.info("{}: {} events in {} s = {} events/s", label, nodes.size(), String.format(Locale.US, "%.2f", seconds),
          Math.round(rate));
      return rate;
    }

    /** Sentry's way: one autocommit INSERT per event, {@code concurrency} statements in flight. */
    Future<Void> onePerStatement(List<Node> nodes) {
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < options.concurrency(); w++) {
        Promise<Void> done = Promise.promise();
        insertNext(nodes, next, done);
        workers.add(done.future());
      }
      return Future.all(workers).mapEmpty();
    }

    private void insertNext(List<Node> nodes, AtomicInteger next, Promise<Void> done) {
      int i = next.getAndIncrement();
      if (i >= nodes.size()) {
        done.tryComplete();
        return;
      }
      Node node = nodes.get(i);
      vertx.executeBlocking(() -> Buffer.buffer(NodeCodec.compress(node.json(), level)), false)
          .compose(data -> pool.preparedQuery(INSERT_ONE).execute(Tuple.of(node.id(), data,
              OffsetDateTime.ofInstant(node.timestamp(), ZoneOffset.UTC))))
          .onSuccess(v -> insertNext(nodes, next, done))
          .onFailure(done::tryFail);
    }

    /** Lookout's way: {@code putMany} batches, {@code concurrency} batches in flight. */
    Future<Void> batched(List<Node> nodes) {
      List<List<Node>> batches = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i += options.batch()) {
        batches.add(nodes.subList(i, Math.min(nodes.size(), i + options.batch())));
      }
      AtomicInteger next = new AtomicInteger();
      List<Future<Void>> workers = new ArrayList<>();
      for (int w = 0; w < options.concurrency(); w++) {
        Promise<Void> done = Promise.promise();
        putNext(batches, next, done);
        workers.add(done.future());
      }
      return Future.all(workers).mapEmpty();
    }

    private void putNext(List<List<Node>> batches, AtomicInteger next, Promise<Void> done) {
      int i = next.getAndIncrement();
      if (i >= batches.size()) {
        done.tryComplete();
        return;
      }
      nodestore.putMany(batches.get(i))
          .onSuccess(v -> putNext(batches, next, done))
          .onFailure(done::tryFail);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().toString(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out", e);
    }
  }
}

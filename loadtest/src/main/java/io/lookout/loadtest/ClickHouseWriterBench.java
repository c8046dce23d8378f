package io.lookout.loadtest;

import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.clickhouse.ClickHouseConfig.InsertFormat;
import io.lookout.storage.clickhouse.ClickHouseMigrator;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.config.StorageConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How fast {@link ClickHouseWriter} puts synthetic {@code errors} rows into ClickHouse at batch sizes
 * 1, 100 and 10,000, one insert in flight at a time (as one consumer partition flushes). Prints one
 * line per batch size in the configured {@code clickhouse.insert_format}, then one line at batch size
 * 10,000 in each other format, so one run compares them; asserts nothing.
 *
 * <p>Runs in a database of its own ({@code bench_ch_<random>}, dropped afterwards) on the server of
 * {@code conf/storage.json} (env overrides apply, e.g. {@code LOOKOUT_STORAGE__CLICKHOUSE__HTTP_PORT}).
 * Time counted is the writer's: serializing, sending and ClickHouse's answer; building the rows is
 * not counted. Argument {@code --rows=N}: rows at batch size 10,000 (default 200,000); batch size
 * 100 writes at most 20,000 and batch size 1 at most 500, since every insert makes a part of
 * ~100 files (on 18.16: two per column): small batches would otherwise run for minutes, and the
 * files they leave make the next run slow (see loadtest/README.md).
 *
 * <p>Each figure writes a table of its own, shaped like {@code errors}, and starts once the server
 * runs no merge: the thousands of parts that batch size 1 leaves would otherwise be merged, on the
 * same two cores, while the next figure is timed. A figure's own merges count.
 */
public final class ClickHouseWriterBench {

  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseWriterBench.class);
  private static final int[] BATCH_SIZES = {1, 100, 10_000};
  private static final long[] MAX_ROWS = {500, 20_000, Long.MAX_VALUE};
  private static final java.util.Map<String, String> CLICKHOUSE_PROCESS = java.util.Map.of("clickhouse-server",
      "ClickHouse");
  // all rows in one hour: one partition, as a live consumer writes
  private static final Instant HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS);
  private static final long MERGE_WAIT_MS = 120_000;

  private ClickHouseWriterBench() {
  }

  public static void run(String[] args) {
    run(System.out, "", option(args, "rows", 200_000)); // the figures are this class's output
  }

  /**
   * Runs the three batch sizes in a database of its own and prints a header and one line per batch
   * size ({@code <prefix>batch 10,000: 123,456 rows/s  (...)}) to {@code out}; drops the database.
   *
   * @param rows rows at batch size 10,000; batch 100 writes at most 20,000 of them, batch 1 at most 500
   */
  static void run(PrintStream out, String prefix, long rows) {
    String database = "bench_ch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    ClickHouseConfig config = StorageConfig.load().clickhouse().withDatabase(database);
    Vertx vertx = Vertx.vertx();
    ClickHouseWriter writer = null;
    // the same rows in each other format, for the lines after batch 10,000
    java.util.Map<InsertFormat, ClickHouseWriter> others = new java.util.EnumMap<>(InsertFormat.class);
    try {
      ClickHouseMigrator.create(vertx, config).migrate().await();
      writer = ClickHouseWriter.create(vertx, config);
      for (InsertFormat format : InsertFormat.values()) {
        if (format != config.insertFormat()) {
          others.put(format, ClickHouseWriter.create(vertx, config.withInsertFormat(format)));
        }
      }
      out.printf("%s: errors table, %s:%d db %s, server %s, insert_format %s%n",
          prefix.isEmpty() ? "ClickHouse writer" : prefix.strip(), config.host(), config.httpPort(), database,
          writer.query("SELECT version() AS v").await().get(0).getString("v"), config.insertFormat().value());
      out.flush();
      // warm-up: JIT (small and large batches), connection pool and the table's first parts, not counted
      List<ClickHouseWriter> all = new ArrayList<>(others.values());
      all.add(writer);
      for (ClickHouseWriter w : all) {
        for (int i = 0; i < 20; i++) {
          w.insert("errors", rows(0, i * 100, 100)).await();
        }
        for (int i = 0; i < 3; i++) {
          w.insert("errors", rows(0, 10_000L * i, 10_000)).await();
        }
      }
      String[] lines = new String[BATCH_SIZES.length];
      for (int i = 0; i < BATCH_SIZES.length; i++) {
        String table = stageTable(writer, "batch_" + BATCH_SIZES[i]);
        lines[i] = prefix + measure(writer, table, BATCH_SIZES[i], Math.min(rows, MAX_ROWS[i]), BATCH_SIZES[i], "");
        if (i == BATCH_SIZES.length - 1) {
          lines[i] += System.lineSeparator() + prefix
              + measureInFlight(writer, stageTable(writer, "in_flight_2"), 10_000, rows, 2);
          for (java.util.Map.Entry<InsertFormat, ClickHouseWriter> other : others.entrySet()) {
            String format = other.getKey().value();
            lines[i] += System.lineSeparator() + prefix + measure(other.getValue(),
                stageTable(other.getValue(), format.toLowerCase(Locale.ROOT)), 10_000, rows, 10_001, " " + format);
          }
        }
      }
      for (String line : lines) {
        out.println(line);
      }
      out.flush();
    } finally {
      if (writer != null) {
        writer.close().await();
      }
      for (ClickHouseWriter other : others.values()) {
        other.close().await();
      }
      dropDatabase(vertx, config);
      vertx.close().await();
    }
  }

  /** Drops {@code config}'s database; logs a failure. */
  static void dropDatabase(Vertx vertx, ClickHouseConfig config) {
    // dropping thousands of small parts (hundreds of thousands of files) takes minutes on a slow disk
    ClickHouseConfig patient = new ClickHouseConfig(config.host(), config.httpPort(), config.nativePort(), "system",
        config.user(), config.password(), 1, config.connectTimeoutMs(), 600_000);
    ClickHouseWriter system = ClickHouseWriter.create(vertx, patient);
    try {
      system.execute("DROP DATABASE IF EXISTS " + config.database()).await();
    } catch (RuntimeException e) {
      LOG.warn("could not drop benchmark database {}", config.database(), e);
    }
    system.close().await();
  }

  /**
   * @param projectId one project per line, so the row count can be checked
   * @param label after the batch size, e.g. the format when it is not the configured one
   */
  private static String measure(ClickHouseWriter writer, String table, int batch, long total, long projectId,
      String label) {
    double settled = awaitMerges(writer);
    // the server's CPU tells whether the writer or ClickHouse is the limit
    CpuSample cpu = CpuSample.now(CLICKHOUSE_PROCESS);
    int inserts = (int) ((total + batch - 1) / batch);
    long[] latencies = new long[inserts];
    long busyNanos = 0;
    long written = 0;
    for (int i = 0; i < inserts; i++) {
      int size = (int) Math.min(batch, total - written);
      List<JsonObject> rows = rows(projectId, written, size);
      long start = System.nanoTime();
      writer.insert(table, rows).await();
      latencies[i] = System.nanoTime() - start;
      busyNanos += latencies[i];
      written += size;
    }
    String usage = CpuSample.now(CLICKHOUSE_PROCESS).since(cpu);
    long stored = writer.query("SELECT count() AS c FROM " + table + " WHERE project_id = " + projectId).await()
        .get(0).getLong("c");
    Arrays.sort(latencies);
    double seconds = busyNanos / 1e9;
    return String.format(Locale.ROOT, "batch %,d%s: %,d rows/s  (%,d rows in %.2f s, %,d inserts, insert p50 %.1f ms,"
            + " p99 %.1f ms, max %.1f ms%s); %s%s",
        batch, label, Math.round(written / seconds), written, seconds, inserts,
        latencies[inserts / 2] / 1e6, latencies[Math.min(inserts - 1, (int) (inserts * 0.99))] / 1e6,
        latencies[inserts - 1] / 1e6, stored == written ? "" : ", ONLY " + stored + " ROWS STORED", usage,
        settledNote(settled));
  }

  /**
   * Batches of {@code batch} rows with {@code inFlight} inserts at a time, as that many analytics
   * consumer instances flush (each instance has one insert in flight). The batches are built before
   * the clock starts and written again and again (a project of their own),
   * so the time is the writer's and ClickHouse's only.
   */
  private static String measureInFlight(ClickHouseWriter writer, String table, int batch, long total, int inFlight) {
    double settled = awaitMerges(writer);
    long projectId = 20_000L + inFlight;
    List<List<JsonObject>> batches = new ArrayList<>();
    for (int i = 0; i < inFlight * 2; i++) {
      batches.add(rows(projectId, (long) i * batch, batch));
    }
    int inserts = (int) Math.max(inFlight, total / batch);
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    CpuSample cpu = CpuSample.now(CLICKHOUSE_PROCESS);
    long start = System.nanoTime();
    List<io.vertx.core.Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < inFlight; lane++) {
      lanes.add(lane(writer, table, batches, next, inserts));
    }
    io.vertx.core.Future.all(lanes).await();
    double seconds = (System.nanoTime() - start) / 1e9;
    String usage = CpuSample.now(CLICKHOUSE_PROCESS).since(cpu);
    long written = (long) inserts * batch;
    // no stored-row check: the same rows go in again and again, and ReplacingMergeTree merges
    // them away in the background
    return String.format(Locale.ROOT, "batch %,d, %d inserts in flight: %,d rows/s  (%,d rows in %.2f s, %,d inserts); %s%s",
        batch, inFlight, Math.round(written / seconds), written, seconds, inserts, usage, settledNote(settled));
  }

  /** One insert after another until {@code inserts} have been taken from {@code next}. */
  private static io.vertx.core.Future<Void> lane(ClickHouseWriter writer, String table,
      List<List<JsonObject>> batches, java.util.concurrent.atomic.AtomicInteger next, int inserts) {
    int i = next.getAndIncrement();
    if (i >= inserts) {
      return io.vertx.core.Future.succeededFuture();
    }
    return writer.insert(table, batches.get(i % batches.size()))
        .compose(n -> lane(writer, table, batches, next, inserts));
  }

  /**
   * A table of its own for one figure, shaped like {@code errors}: the parts that an earlier figure
   * left (thousands of them after batch size 1) are not merged into this one's while it is timed.
   */
  private static String stageTable(ClickHouseWriter writer, String name) {
    String table = "errors_" + name;
    writer.execute("CREATE TABLE " + table + " AS errors").await();
    // the writer learns a table's columns (DESCRIBE) on its first insert there, once, as a live
    // consumer does: not in the figure (a row of project 0, which the row counts leave out)
    writer.insert(table, rows(0, 0, 1)).await();
    return table;
  }

  /**
   * Waits (at most {@link #MERGE_WAIT_MS}) until the server runs no merge, so that one figure does
   * not pay for merging the parts of the one before; a figure's own merges still count.
   *
   * @return seconds waited
   */
  private static double awaitMerges(ClickHouseWriter writer) {
    long start = System.nanoTime();
    long deadline = start + MERGE_WAIT_MS * 1_000_000L;
    while (System.nanoTime() < deadline
        && writer.query("SELECT count() AS c FROM system.merges").await().get(0).getLong("c") > 0) {
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private static String settledNote(double seconds) {
    return seconds < 0.5 ? "" : String.format(Locale.ROOT, "; started after %.1f s of earlier merges", seconds);
  }

  /** Error rows shaped like a Java SDK event: five frames, one exception, six tags, ~1.5 KB as JSON. */
  static List<JsonObject> rows(long projectId, long first, int count) {
    List<JsonObject> rows = new ArrayList<>(count);
    for (long i = first; i < first + count; i++) {
      String eventId = UUID.nameUUIDFromBytes((projectId + ":" + i).getBytes(StandardCharsets.UTF_8)).toString();
      Instant ts = HOUR.plusSeconds(i % 3600);
      int group = (int) (i % 200);
      rows.add(new JsonObject()
          .put("project_id", projectId)
          .put("timestamp", ClickHouseWriter.dateTime(ts))
          .put("event_id", eventId)
          .put("group_id", 1 + group)
          .put("primary_hash", String.format("%032x", group))
          .put("platform", "java")
          .put("environment", "production")
          .put("release", "shop@2.4." + (i % 7))
          .putNull("dist")
          .put("level", "error")
          .put("title", "IllegalStateException: order " + group + " is not payable")
          .put("message", "order " + i + " is not payable")
          .put("culprit", "com.example.shop.CheckoutService in pay")
          .put("type", "error")
          .put("transaction_name", "POST /api/checkout")
          .put("trace_id", UUID.nameUUIDFromBytes(("trace:" + i).getBytes(StandardCharsets.UTF_8)).toString())
          .put("user", "id:" + (i % 5000))
          .put("user_id", String.valueOf(i % 5000))
          .putNull("user_name")
          .put("user_email", "user" + (i % 5000) + "@example.com")
          .put("ip_address_v4", "10.1." + (i % 250) + "." + (i % 200))
          .putNull("ip_address_v6")
          .put("sdk_name", "sentry.java")
          .put("sdk_version", "8.63.0")
          .put("http_method", "POST")
          .putNull("http_referer")
          .put("http_url", "https://shop.example.com/api/checkout")
          .put("tags.key", new JsonArray().add("environment").add("level").add("os").add("runtime")
              .add("server_name").add("transaction"))
          .put("tags.value", new JsonArray().add("production").add("error").add("Linux").add("Java 17")
              .add("web-" + (i % 8)).add("POST /api/checkout"))
          .put("contexts.key", new JsonArray().add("os.name").add("runtime.version"))
          .put("contexts.value", new JsonArray().add("Linux").add("17.0.15"))
          .put("exception_stacks.type", new JsonArray().add("IllegalStateException"))
          .put("exception_stacks.value", new JsonArray().add("order " + i + " is not payable"))
          .put("exception_stacks.mechanism_type", new JsonArray().add("UncaughtExceptionHandler"))
          .put("exception_stacks.mechanism_handled", new JsonArray().add(0))
          .put("exception_frames.abs_path", new JsonArray().add("Thread.java").add("Executor.java")
              .add("Router.java").add("CheckoutController.java").add("CheckoutService.java"))
          .put("exception_frames.filename", new JsonArray().add("Thread.java").add("Executor.java")
              .add("Router.java").add("CheckoutController.java").add("CheckoutService.java"))
          .put("exception_frames.package", new JsonArray().addNull().addNull().addNull().addNull().addNull())
          .put("exception_frames.module", new JsonArray().add("java.lang.Thread").add("io.vertx.core.Executor")
              .add("io.vertx.ext.web.Router").add("com.example.shop.CheckoutController")
              .add("com.example.shop.CheckoutService"))
          .put("exception_frames.function", new JsonArray().add("run").add("execute").add("handle")
              .add("checkout").add("pay"))
          .put("exception_frames.lineno", new JsonArray().add(840).add(112).add(77).add(54).add(131 + group))
          .put("exception_frames.in_app", new JsonArray().add(0).add(0).add(0).add(1).add(1))
          .put("exception_frames.stack_level", new JsonArray().add(0).add(0).add(0).add(0).add(0))
          .put("received", ClickHouseWriter.dateTime(ts.plusSeconds(1)))
          .put("retention_days", 90)
          .put("deleted", 0));
    }
    return rows;
  }

  private static long option(String[] args, String name, long def) {
    String prefix = "--" + name + "=";
    for (String arg : args) {
      if (arg.startsWith(prefix)) {
        return Long.parseLong(arg.substring(prefix.length()).replace("_", "").replace(",", ""));
      }
    }
    return def;
  }
}

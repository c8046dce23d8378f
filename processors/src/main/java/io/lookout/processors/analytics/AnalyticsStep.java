package io.lookout.processors.analytics;

import io.lookout.storage.clickhouse.ClickHouseStatementException;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.lookout.storage.kafka.message.EventStreamMessage;
import io.lookout.storage.kafka.message.InvalidMessageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes eventstream messages into rows and batches them into ONE ClickHouse insert per batch (Arroyo's
 * reduce-then-flush): a batch is opened by its first row and closes at {@code max_batch_size} rows,
 * {@code max_batch_time_ms} after it opened, or once it holds {@link AnalyticsConfig#pollsPerBatch()}
 * polls. Batches are inserted one at a time, in order; the future returned for a poll completes when
 * the batch holding its last row is inserted, so {@code KafkaBatchConsumer} commits a poll's offsets
 * only once all its rows are in ClickHouse.
 *
 * <p>A message that is not an insert of version 2, or whose event makes no row, is skipped (counted,
 * and committed with its poll). A failed insert is retried with a growing delay; meanwhile the next
 * batch fills until the consumer's in-flight bound pauses it. When ClickHouse rejects a batch for the
 * data of a row, the batch is split in halves until the bad rows are alone, and those are dropped and
 * counted; any other error is retried, never dropped.
 *
 * <p>Everything runs on the verticle's context.
 */
final class AnalyticsStep {

  private static final Logger LOG = LoggerFactory.getLogger(AnalyticsStep.class);
  private static final long MAX_RETRY_DELAY_MS = 10_000;
  /** ClickHouse errors about a value (parse, range, type): one bad row fails the whole insert. */
  private static final Set<Integer> ROW_ERRORS = Set.of(6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 131, 190);

  private final Vertx vertx;
  private final String topic;
  private final RowMapper mapper;
  private final Set<String> dataKeys;
  private final ClickHouseWriter writer;
  private final AnalyticsConfig config;
  private final Clock clock;

  private final ArrayDeque<Batch> closed = new ArrayDeque<>();
  private final AtomicLong pendingRows = new AtomicLong();
  private Batch open;
  private boolean inserting;
  private boolean stopping;
  private boolean stopped;

  private final Counter rowsOut;
  private final Counter otherType;
  private final Counter tooOld;
  private final Counter otherOperation;
  private final Counter otherVersion;
  private final Counter invalid;
  private final Counter inserted;
  private final Counter rejected;
  private final Counter retries;
  private final DistributionSummary batchRows;
  private final Timer latency;

  AnalyticsStep(Vertx vertx, String topic, RowMapper mapper, ClickHouseWriter writer, AnalyticsConfig config,
      Clock clock, MeterRegistry registry) {
    this.vertx = vertx;
    this.topic = topic;
    this.mapper = mapper;
    this.dataKeys = mapper.dataKeys();
    this.writer = writer;
    this.config = config;
    this.clock = clock;
    Tags tags = Tags.of("topic", topic);
    Tags table = tags.and("table", mapper.table());
    this.rowsOut = messages(registry, tags, "row");
    this.otherType = messages(registry, tags, "other_type");
    this.tooOld = messages(registry, tags, "too_old");
    this.otherOperation = messages(registry, tags, "other_operation");
    this.otherVersion = messages(registry, tags, "other_version");
    this.invalid = messages(registry, tags, "invalid");
    this.inserted = Counter.builder(AnalyticsMetrics.ROWS_INSERTED).tags(table)
        .description("rows inserted into ClickHouse").register(registry);
    this.rejected = Counter.builder(AnalyticsMetrics.ROWS_REJECTED).tags(table)
        .description("rows ClickHouse refused for their data, dropped").register(registry);
    this.retries = Counter.builder(AnalyticsMetrics.INSERT_RETRIES).tags(table)
        .description("inserts that failed and were tried again").register(registry);
    this.batchRows = DistributionSummary.builder(AnalyticsMetrics.BATCH_ROWS).tags(table)
        .description("rows per insert").register(registry);
    this.latency = Timer.builder(AnalyticsMetrics.INSERT_LATENCY).tags(table)
        .description("time of one batch insert, retries included").register(registry);
    Gauge.builder(AnalyticsMetrics.PENDING_ROWS, pendingRows, AtomicLong::get).tags(tags)
        .description("rows read and not yet inserted").register(registry);
  }

  private static Counter messages(MeterRegistry registry, Tags tags, String result) {
    return Counter.builder(AnalyticsMetrics.MESSAGES).tags(tags.and("result", result))
        .description("eventstream messages read, by what became of them").register(registry);
  }

  /** The batch handler of {@code KafkaBatchConsumer}. */
  Future<Void> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("analytics consumer of " + topic + " is stopped"));
    }
    Instant now = clock.instant();
    Batch last = null;
    for (ConsumerRecord<byte[], byte[]> record : records) {
      JsonObject row = toRow(record, now);
      if (row == null) {
        continue;
      }
      if (open == null) {
        open = new Batch();
        Batch opened = open;
        opened.timer = vertx.setTimer(config.maxBatchTimeMs(), t -> {
          opened.timer = -1;
          if (open == opened) {
            close();
          }
        });
      }
      open.rows.add(row);
      pendingRows.incrementAndGet();
      last = open;
      if (open.rows.size() >= config.maxBatchSize()) {
        close();
      }
    }
    if (last == null) {
      // nothing to write: the consumer still commits it only after every earlier poll
      return Future.succeededFuture();
    }
    if (open != null && open == last && (++open.polls >= config.pollsPerBatch() || stopping)) {
      close();
    }
    return last.done.future();
  }

  /** Closes the open batch now and inserts every row afterwards at once (the verticle is stopping). */
  void flushForStop() {
    stopping = true;
    if (open != null) {
      close();
    }
  }

  /** Fails what is still waiting: the consumer has stopped and will not commit it anyway. */
  void stop() {
    stopped = true;
    if (open != null) {
      close();
    }
    for (Batch b : closed) {
      b.done.tryFail("analytics consumer of " + topic + " stopped before the batch was inserted");
    }
  }

  private JsonObject toRow(ConsumerRecord<byte[], byte[]> record, Instant now) {
    byte[] value = record.value() == null ? new byte[0] : record.value();
    int version = versionOf(value);
    if (version >= 0 && version != EventStreamMessage.VERSION) {
      // Snuba's processors take version 2 only
      otherVersion.increment();
      LOG.debug("{}[{}]@{}: skipping a message of version {}", record.topic(), record.partition(),
          record.offset(), version);
      return null;
    }
    EventStreamMessage message;
    try {
      message = EventStreamCodec.decode(value, dataKeys::contains);
    } catch (InvalidMessageException | IllegalArgumentException e) {
      invalid.increment();
      LOG.warn("{}[{}]@{}: skipping an undecodable message: {}", record.topic(), record.partition(),
          record.offset(), e.getMessage());
      return null;
    }
    if (!(message instanceof EventStreamInsert insert)) {
      otherOperation.increment();
      LOG.debug("{}[{}]@{}: skipping operation {}", record.topic(), record.partition(), record.offset(),
          message.operation());
      return null;
    }
    RowMapper.Result result;
    try {
      result = mapper.map(insert, now);
    } catch (RuntimeException e) {
      invalid.increment();
      LOG.warn("{}[{}]@{}: skipping an event that makes no {} row: {}", record.topic(), record.partition(),
          record.offset(), mapper.table(), e.toString());
      return null;
    }
    if (result.row() == null) {
      (result.skip() == RowMapper.Skip.TOO_OLD ? tooOld : otherType).increment();
      return null;
    }
    rowsOut.increment();
    return result.row();
  }

  /**
   * The protocol version of an eventstream message without decoding it: the number after the opening
   * bracket, or -1 when the bytes do not start like {@code [N,}.
   */
  static int versionOf(byte[] json) {
    int i = 0;
    while (i < json.length && Character.isWhitespace(json[i])) {
      i++;
    }
    if (i >= json.length || json[i] != '[') {
      return -1;
    }
    i++;
    while (i < json.length && Character.isWhitespace(json[i])) {
      i++;
    }
    int version = 0;
    int digits = 0;
    while (i < json.length && json[i] >= '0' && json[i] <= '9' && digits < 6) {
      version = version * 10 + (json[i] - '0');
      i++;
      digits++;
    }
    return digits == 0 ? -1 : version;
  }

  private void close() {
    Batch batch = open;
    open = null;
    if (batch.timer >= 0) {
      vertx.cancelTimer(batch.timer);
      batch.timer = -1;
    }
    closed.addLast(batch);
    flushNext();
  }

  private void flushNext() {
    if (inserting || closed.isEmpty()) {
      return;
    }
    Batch batch = closed.peekFirst();
    inserting = true;
    long start = System.nanoTime();
    batchRows.record(batch.rows.size());
    insert(batch.rows, config.retryDelayMs()).onComplete(ar -> {
      inserting = false;
      closed.pollFirst();
      pendingRows.addAndGet(-batch.rows.size());
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      if (ar.succeeded()) {
        batch.done.tryComplete();
      } else {
        batch.done.tryFail(ar.cause());
      }
      flushNext();
    });
  }

  private Future<Void> insert(List<JsonObject> rows, long delay) {
    return writer.insert(mapper.table(), rows).<Void>map(n -> {
      inserted.increment(n);
      return null;
    }).recover(err -> {
      if (isRowError(err)) {
        if (rows.size() > 1) {
          // find the bad rows: every other row still goes in
          int mid = rows.size() / 2;
          return insert(rows.subList(0, mid), delay).compose(v -> insert(rows.subList(mid, rows.size()), delay));
        }
        rejected.increment();
        LOG.error("{}: ClickHouse refused a row of {}, dropped: {} (row {})", topic, mapper.table(),
            err.getMessage(), abbreviated(rows.get(0)));
        return Future.succeededFuture();
      }
      if (stopped) {
        return Future.failedFuture(err);
      }
      retries.increment();
      if (err instanceof ClickHouseStatementException e && !e.retryable()) {
        LOG.error("{}: insert of {} rows into {} failed, retrying in {} ms: {}", topic, rows.size(),
            mapper.table(), delay, err.getMessage());
      } else {
        LOG.warn("{}: insert of {} rows into {} failed, retrying in {} ms: {}", topic, rows.size(),
            mapper.table(), delay, err.getMessage());
      }
      Promise<Void> retried = Promise.promise();
      vertx.setTimer(delay, t -> insert(rows, Math.min(delay * 2, MAX_RETRY_DELAY_MS)).onComplete(retried));
      return retried.future();
    });
  }

  /**
   * A value ClickHouse cannot store. An unknown column fails every row alike (a schema older than the
   * code): that is retried, never dropped.
   */
  private static boolean isRowError(Throwable err) {
    if (!(err instanceof ClickHouseStatementException e) || e.retryable() || !ROW_ERRORS.contains(e.serverCode())) {
      return false;
    }
    String message = String.valueOf(e.getMessage());
    return !message.contains("Unknown field") && !message.contains("No such column");
  }

  private static String abbreviated(JsonObject row) {
    String s = row.encode();
    return s.length() > 2000 ? s.substring(0, 2000) + "..." : s;
  }

  private static final class Batch {
    final List<JsonObject> rows = new ArrayList<>();
    final Promise<Void> done = Promise.promise();
    int polls;
    long timer = -1;
  }
}

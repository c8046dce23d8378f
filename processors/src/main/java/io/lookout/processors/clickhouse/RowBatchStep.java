package io.lookout.processors.clickhouse;

import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.batch.BatchFullException;
import io.lookout.storage.batch.Batcher;
import io.lookout.storage.batch.Flusher;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.message.InvalidMessageException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch handler of a row consumer: decodes each polled record into a row, adds the rows to a
 * {@link Batcher} whose batches are written as one INSERT each, and completes a poll's future
 * once every batch holding one of its rows has been inserted. The consumer commits a poll's
 * offsets only then, so a crash replays at most what was not yet inserted.
 *
 * <p>A record that does not decode is logged, counted and skipped; its offset is committed with
 * the rest of its poll (Snuba drops such messages too: retrying cannot fix them). A failed INSERT
 * fails the futures of every poll with rows in that batch; the consumer retries those polls, and
 * since one INSERT of a batch is atomic, nothing is written twice.
 *
 * <p>Call it on one Vert.x context only, like the batcher.
 */
public final class RowBatchStep {

  private static final Logger LOG = LoggerFactory.getLogger(RowBatchStep.class);

  private final String name;
  private final String topic;
  private final RowDecoder decoder;
  private final Batcher<JsonObject> batcher;
  private final Counter invalid;

  /**
   * @param name the consumer's name; names the batcher in metrics, so it must be unique per registry
   * @param flusher writes one batch (normally {@link #inserter})
   */
  public RowBatchStep(String name, String topic, RowDecoder decoder, BatchConfig batch, Flusher<JsonObject> flusher,
      Vertx vertx, MeterRegistry registry) {
    this.name = name;
    this.topic = topic;
    this.decoder = decoder;
    this.batcher = Batcher.create(name, batch, flusher, vertx, registry);
    this.invalid = Counter.builder(RowConsumerMetrics.INVALID).tags("consumer", name, "topic", topic)
        .description("messages skipped because they could not become a row").register(registry);
  }

  /** A flusher that sends a batch as one INSERT into {@code table}, counting rows and failures. */
  public static Flusher<JsonObject> inserter(String name, String table,
      ClickHouseWriter writer, MeterRegistry registry) {
    Counter inserted = Counter.builder(RowConsumerMetrics.INSERTED).tags("consumer", name, "table", table)
        .description("rows written").register(registry);
    Counter failed = Counter.builder(RowConsumerMetrics.INSERT_FAILED).tags("consumer", name, "table", table)
        .description("INSERTs that failed").register(registry);
    return rows -> writer.insert(table, rows)
        .onSuccess(inserted::increment)
        .onFailure(e -> {
          failed.increment();
          LOG.error("{}: INSERT of {} rows into {} failed; the rows will be retried", name, rows.size(), table, e);
        })
        .mapEmpty();
  }

  /** The consumer's batch handler: succeeds once every row of {@code records} is in ClickHouse. */
  public Future<Void> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    List<JsonObject> rows = new ArrayList<>(records.size());
    List<Integer> sizes = new ArrayList<>(records.size());
    for (ConsumerRecord<byte[], byte[]> record : records) {
      JsonObject row = decode(record);
      if (row != null) {
        rows.add(row);
        sizes.add(record.value().length);
      }
    }
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    // all or nothing: a poll that was half added and then retried would insert its first half twice
    int room = batcher.config().maxPendingItems() - batcher.pendingItems();
    if (rows.size() > room) {
      return Future.failedFuture(new BatchFullException(batcher.name(), batcher.config().maxPendingItems()));
    }
    Map<Future<Void>, Boolean> batches = new IdentityHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      batches.put(batcher.add(rows.get(i), sizes.get(i)), Boolean.TRUE);
    }
    return batches.size() == 1 ? batches.keySet().iterator().next()
        : Future.all(new ArrayList<>(batches.keySet())).mapEmpty();
  }

  private JsonObject decode(ConsumerRecord<byte[], byte[]> record) {
    if (record.value() == null) {
      invalid.increment();
      LOG.warn("{}: skipped a message without a value at {}-{}@{}", name, topic, record.partition(), record.offset());
      return null;
    }
    try {
      return decoder.row(record.value());
    } catch (InvalidMessageException | IllegalArgumentException e) {
      invalid.increment();
      LOG.warn("{}: skipped an invalid message at {}-{}@{}: {}", name, topic, record.partition(), record.offset(),
          e.getMessage());
      return null;
    }
  }

  /** Closes the open batch now; completes once what was added before is inserted. */
  public Future<Void> flush() {
    return batcher.flush();
  }

  /** Inserts what is held and takes no more rows. */
  public Future<Void> stop() {
    return batcher.stop();
  }

  /** Rows accepted and not yet inserted. */
  public int pendingRows() {
    return batcher.pendingItems();
  }
}

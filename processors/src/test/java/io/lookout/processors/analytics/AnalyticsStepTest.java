package io.lookout.processors.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.clickhouse.ClickHouseStatementException;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.message.EventStreamCodec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The batching of {@link AnalyticsStep} against an in-memory writer; no services. */
class AnalyticsStepTest {

  private Vertx vertx;
  private Context context;
  private RecordingWriter writer;
  private long offset;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    writer = new RecordingWriter();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private AnalyticsStep step(JsonObject config) {
    return new AnalyticsStep(vertx, "events", new ErrorRowMapper(90, true), writer, AnalyticsConfig.fromJson(config),
        Clock.systemUTC(), new SimpleMeterRegistry());
  }

  private List<ConsumerRecord<byte[], byte[]>> poll(int errors) {
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int i = 0; i < errors; i++) {
      String id = UUID.randomUUID().toString().replace("-", "");
      JsonObject data = RowMapperTest.errorData().put("event_id", id);
      byte[] value = EventStreamCodec.encode(RowMapperTest.insert(data, 7L, "c4ca4238a0b923820dcc509a6f75849b",
          Instant.now()));
      records.add(new ConsumerRecord<>("events", 0, offset++, null, value));
    }
    return records;
  }

  private Future<Void> onContext(AnalyticsStep step, List<ConsumerRecord<byte[], byte[]>> records) {
    return Future.<Future<Void>>future(p -> context.runOnContext(v -> p.complete(step.handle(records))))
        .compose(f -> f);
  }

  @Test
  void aBatchClosesAtMaxBatchSizeAndSpansPolls() throws Exception {
    AnalyticsStep step = step(new JsonObject().put("max_batch_size", 5).put("max_batch_time_ms", 60_000));

    Future<Void> first = onContext(step, poll(3));
    // rows 4 and 5 fill the first batch, row 6 opens the next: this poll is done with the second
    Future<Void> second = onContext(step, poll(3));
    first.await(10, TimeUnit.SECONDS);

    assertThat(writer.batchSizes()).containsExactly(5);
    assertThat(second.isComplete()).isFalse();
    onContext(step, poll(4)).await(10, TimeUnit.SECONDS);
    assertThat(second.succeeded()).isTrue();
    assertThat(writer.batchSizes()).containsExactly(5, 5);
  }

  @Test
  void aBatchClosesWhenMaxBatchTimeElapses() throws Exception {
    AnalyticsStep step = step(new JsonObject().put("max_batch_size", 1000).put("max_batch_time_ms", 20));

    onContext(step, poll(2)).await(10, TimeUnit.SECONDS);

    assertThat(writer.batchSizes()).containsExactly(2);
  }

  @Test
  void aBatchClosesOnceItHoldsHalfTheConsumersPollsInFlight() throws Exception {
    AnalyticsStep step = step(new JsonObject().put("max_batch_size", 1000).put("max_batch_time_ms", 60_000)
        .put("max_batches_in_flight", 4));

    onContext(step, poll(1));
    onContext(step, poll(1)).await(10, TimeUnit.SECONDS);

    assertThat(writer.batchSizes()).containsExactly(2);
  }

  @Test
  void pollsWithoutRowsSucceedAtOnceAndUndecodableMessagesAreSkipped() throws Exception {
    AnalyticsStep step = step(new JsonObject().put("max_batch_size", 1000).put("max_batch_time_ms", 60_000));
    List<ConsumerRecord<byte[], byte[]>> junk = List.of(
        new ConsumerRecord<>("events", 0, offset++, null, "garbage".getBytes(StandardCharsets.UTF_8)),
        new ConsumerRecord<>("events", 0, offset++, null, null),
        new ConsumerRecord<>("events", 0, offset++, null, "[1, \"insert\", {}]".getBytes(StandardCharsets.UTF_8)));

    onContext(step, junk).await(10, TimeUnit.SECONDS);

    assertThat(writer.batchSizes()).isEmpty();
  }

  @Test
  void aFailedInsertIsRetriedUntilItSucceeds() throws Exception {
    writer.failures = 2;
    AnalyticsStep step = step(new JsonObject().put("max_batch_size", 3).put("retry_delay_ms", 1));

    onContext(step, poll(3)).await(10, TimeUnit.SECONDS);

    assertThat(writer.batchSizes()).containsExactly(3, 3, 3);
    assertThat(writer.stored).hasSize(3);
  }

  @Test
  void rowsClickHouseRefusesAreFoundByHalvingAndDroppedTheRestInserted() throws Exception {
    writer.refuse = row -> row.getString("event_id").startsWith(writer.refusedPrefix);
    AnalyticsStep step = step(new JsonObject().put("max_batch_size", 8));
    List<ConsumerRecord<byte[], byte[]>> records = poll(8);
    writer.refusedPrefix = ErrorRowMapperAccess.eventIdOf(records.get(5)).substring(0, 8);

    onContext(step, records).await(10, TimeUnit.SECONDS);

    assertThat(writer.stored).hasSize(7);
  }

  /** Reads a record's event id as the row will carry it. */
  static final class ErrorRowMapperAccess {
    static String eventIdOf(ConsumerRecord<byte[], byte[]> record) {
      String id = ((io.lookout.storage.kafka.message.EventStreamInsert) EventStreamCodec.decode(record.value()))
          .event().eventId();
      return ClickHouseWriter.uuid(id);
    }
  }

  /** Stores rows in memory; can fail the next inserts, or refuse rows as ClickHouse refuses bad data. */
  static final class RecordingWriter implements ClickHouseWriter {
    final List<List<JsonObject>> inserts = new CopyOnWriteArrayList<>();
    final List<JsonObject> stored = new CopyOnWriteArrayList<>();
    volatile int failures;
    volatile Predicate<JsonObject> refuse = row -> false;
    volatile String refusedPrefix = "";

    List<Integer> batchSizes() {
      return inserts.stream().map(List::size).toList();
    }

    @Override
    public Future<Integer> insert(String table, List<JsonObject> rows) {
      inserts.add(List.copyOf(rows));
      if (failures > 0) {
        failures--;
        return Future.failedFuture(new ClickHouseStatementException("no answer", 0, true, null));
      }
      if (rows.stream().anyMatch(refuse)) {
        return Future.failedFuture(new ClickHouseStatementException(
            "Code: 27, e.displayText() = DB::Exception: Cannot parse input", 27, false, null));
      }
      stored.addAll(rows);
      return Future.succeededFuture(rows.size());
    }

    @Override
    public Future<List<JsonObject>> query(String sql) {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Void> execute(String sql) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }
}

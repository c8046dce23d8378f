package io.lookout.storage.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

class BatcherTest {

  private static final String NAME = "test";

  private ManualBatchClock clock;
  private MeterRegistry registry;
  private RecordingFlusher flusher;

  @BeforeEach
  void setUp() {
    clock = new ManualBatchClock();
    registry = new SimpleMeterRegistry();
    flusher = new RecordingFlusher();
  }

  /** maxItems, maxBytes, maxAgeMs, maxFlushesInFlight, maxPendingItems. */
  private Batcher<String> batcher(int maxItems, long maxBytes, long maxAgeMs, int maxInFlight,
      int maxPending) {
    return Batcher.create(NAME,
        new BatchConfig(maxItems, maxBytes, maxAgeMs, maxInFlight, maxPending),
        flusher, clock, registry);
  }

  @Test
  void batchClosesWhenMaxItemsReached() {
    Batcher<String> batcher = batcher(3, 1_000, 200, 2, 100);

    Future<Void> a = batcher.add("a", 1);
    Future<Void> b = batcher.add("b", 1);
    assertThat(flusher.batches).isEmpty();

    Future<Void> c = batcher.add("c", 1);
    assertThat(flusher.batches).containsExactly(List.of("a", "b", "c"));
    assertThat(a.isComplete()).as("item future waits for the flush").isFalse();

    flusher.succeed(0);
    assertThat(a.succeeded()).isTrue();
    assertThat(b.succeeded()).isTrue();
    assertThat(c.succeeded()).isTrue();
    assertThat(batcher.pendingItems()).isZero();
  }

  @Test
  void batchClosesWhenMaxBytesWouldBeExceeded() {
    Batcher<String> batcher = batcher(100, 100, 200, 2, 1000);

    batcher.add("a", 40);
    batcher.add("b", 40);
    assertThat(flusher.batches).isEmpty();

    Future<Void> c = batcher.add("c", 30);
    assertThat(flusher.batches).containsExactly(List.of("a", "b"));
    assertThat(batcher.pendingItems()).isEqualTo(3);

    flusher.succeed(0);
    assertThat(c.isComplete()).as("c opened the next batch").isFalse();
    batcher.flush();
    assertThat(flusher.batches).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void batchClosesWhenItReachesMaxBytesExactly() {
    Batcher<String> batcher = batcher(100, 100, 200, 2, 1000);

    batcher.add("a", 60);
    batcher.add("b", 40);

    assertThat(flusher.batches).containsExactly(List.of("a", "b"));
  }

  @Test
  void oversizedItemGoesOutAlone() {
    Batcher<String> batcher = batcher(100, 100, 200, 2, 1000);

    batcher.add("a", 10);
    Future<Void> big = batcher.add("big", 500);
    assertThat(flusher.batches).containsExactly(List.of("a"), List.of("big"));

    batcher.add("c", 10);
    assertThat(flusher.batches).as("c starts a fresh batch").hasSize(2);

    flusher.succeed(1);
    assertThat(big.succeeded()).isTrue();
  }

  @Test
  void batchClosesWhenMaxAgeElapses() {
    Batcher<String> batcher = batcher(100, 1_000, 200, 2, 1000);

    Future<Void> a = batcher.add("a", 1);
    clock.advance(100);
    batcher.add("b", 1);
    clock.advance(99);
    assertThat(flusher.batches).isEmpty();

    clock.advance(1);
    assertThat(flusher.batches).as("age counts from the first item").containsExactly(
        List.of("a", "b"));

    flusher.succeed(0);
    assertThat(a.succeeded()).isTrue();
    assertThat(clock.scheduledTimers()).isZero();
  }

  @Test
  void ageTimerIsCancelledWhenBatchClosesEarly() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 2, 1000);

    batcher.add("a", 1);
    assertThat(clock.scheduledTimers()).isEqualTo(1);
    clock.advance(100);
    batcher.add("b", 1);
    assertThat(flusher.batches).containsExactly(List.of("a", "b"));
    assertThat(clock.scheduledTimers()).isZero();

    clock.advance(50);
    batcher.add("c", 1);
    // t=200: the first batch's timer would have fired here and closed c's batch early
    clock.advance(50);
    assertThat(flusher.batches).hasSize(1);

    // t=350: c's own age
    clock.advance(150);
    assertThat(flusher.batches).containsExactly(List.of("a", "b"), List.of("c"));
  }

  @Test
  void atMostMaxFlushesInFlight() {
    Batcher<String> batcher = batcher(1, 1_000, 200, 2, 1000);

    for (String item : List.of("a", "b", "c", "d")) {
      batcher.add(item, 1);
    }
    assertThat(flusher.batches).containsExactly(List.of("a"), List.of("b"));
    assertThat(batcher.inFlightFlushes()).isEqualTo(2);
    assertThat(batcher.pendingItems()).isEqualTo(4);

    flusher.succeed(1);
    assertThat(flusher.batches).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    assertThat(batcher.inFlightFlushes()).isEqualTo(2);

    flusher.fail(0, new RuntimeException("boom"));
    assertThat(flusher.batches).hasSize(4);
    assertThat(batcher.inFlightFlushes()).isEqualTo(2);

    flusher.succeed(2);
    flusher.succeed(3);
    assertThat(batcher.inFlightFlushes()).isZero();
    assertThat(batcher.pendingItems()).isZero();
  }

  @Test
  void waitingBatchesFlushInOrder() {
    Batcher<String> batcher = batcher(1, 1_000, 200, 1, 1000);

    List<String> items = List.of("a", "b", "c", "d", "e");
    for (String item : items) {
      batcher.add(item, 1);
    }
    for (int i = 0; i < items.size(); i++) {
      assertThat(flusher.batches).hasSize(i + 1);
      flusher.succeed(i);
    }

    assertThat(flusher.batches).extracting(batch -> batch.get(0))
        .containsExactlyElementsOf(items);
  }

  @Test
  void addRejectsWhenPendingIsFull() {
    // two batches of two: one flushing, one waiting for the only slot
    Batcher<String> batcher = batcher(2, 1_000, 200, 1, 4);
    for (String item : List.of("a", "b", "c", "d")) {
      assertThat(batcher.add(item, 1).failed()).isFalse();
    }
    assertThat(batcher.inFlightFlushes()).isEqualTo(1);

    Future<Void> refused = batcher.add("e", 1);
    assertThat(refused.failed()).as("refused at once, not after a flush").isTrue();
    assertThat(refused.cause()).isInstanceOf(BatchFullException.class)
        .hasMessageContaining(NAME);
    assertThat(batcher.pendingItems()).isEqualTo(4);
    assertThat(registry.get(BatchMetrics.REJECTED).tag(BatchMetrics.TAG_BATCHER, NAME)
        .counter().count()).isEqualTo(1.0);

    flusher.succeed(0);
    assertThat(batcher.pendingItems()).isEqualTo(2);
    Future<Void> accepted = batcher.add("e", 1);
    assertThat(accepted.failed()).isFalse();
    assertThat(batcher.pendingItems()).isEqualTo(3);

    flusher.succeed(1);
    batcher.flush();
    assertThat(flusher.batches).last().isEqualTo(List.of("e"));
  }

  @Test
  void inFlightItemsCountTowardPending() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 2, 2);
    batcher.add("a", 1);
    batcher.add("b", 1);
    assertThat(batcher.inFlightFlushes()).isEqualTo(1);

    assertThat(batcher.add("c", 1).cause()).isInstanceOf(BatchFullException.class);
  }

  @Test
  void flushFailureFailsItsItemsOnly() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 2, 1000);
    Future<Void> a = batcher.add("a", 1);
    Future<Void> b = batcher.add("b", 1);
    Future<Void> c = batcher.add("c", 1);
    Future<Void> d = batcher.add("d", 1);

    RuntimeException boom = new RuntimeException("database down");
    flusher.fail(0, boom);
    flusher.succeed(1);

    assertThat(a.cause()).isSameAs(boom);
    assertThat(b.cause()).isSameAs(boom);
    assertThat(c.succeeded()).isTrue();
    assertThat(d.succeeded()).isTrue();
    assertThat(registry.get(BatchMetrics.FLUSH_FAILED).tag(BatchMetrics.TAG_BATCHER, NAME)
        .counter().count()).isEqualTo(1.0);
    assertThat(batcher.pendingItems()).isZero();
  }

  @Test
  void synchronousThrowInFlusherDoesNotWedge() {
    RuntimeException bug = new IllegalStateException("flusher bug");
    List<List<String>> seen = new ArrayList<>();
    Flusher<String> throwsOnce = batch -> {
      seen.add(List.copyOf(batch));
      if (seen.size() == 1) {
        throw bug;
      }
      return Future.succeededFuture();
    };
    Batcher<String> batcher = Batcher.create(NAME, new BatchConfig(1, 1_000, 200, 1, 10),
        throwsOnce, clock, registry);

    Future<Void> a = batcher.add("a", 1);
    assertThat(a.cause()).isSameAs(bug);
    assertThat(batcher.inFlightFlushes()).as("slot given back").isZero();
    assertThat(batcher.pendingItems()).isZero();

    Future<Void> b = batcher.add("b", 1);
    assertThat(b.succeeded()).isTrue();
    assertThat(seen).containsExactly(List.of("a"), List.of("b"));
  }

  @Test
  void flusherReturningNullFailsItsBatch() {
    Batcher<String> batcher = Batcher.create(NAME, new BatchConfig(1, 1_000, 200, 1, 10),
        batch -> null, clock, registry);

    Future<Void> a = batcher.add("a", 1);

    assertThat(a.cause()).isInstanceOf(NullPointerException.class);
    assertThat(batcher.inFlightFlushes()).isZero();
  }

  @Test
  void synchronouslyCompletingFlusherLetsCallbacksAddAgain() {
    List<List<String>> seen = new ArrayList<>();
    Batcher<String> batcher = Batcher.create(NAME, new BatchConfig(1, 1_000, 200, 1, 10),
        batch -> {
          seen.add(List.copyOf(batch));
          return Future.succeededFuture();
        }, clock, registry);
    List<Future<Void>> chained = new ArrayList<>();

    // each completion adds the next item from inside the flush callback
    batcher.add("a", 1).onSuccess(v -> chained.add(batcher.add("b", 1)
        .onSuccess(w -> chained.add(batcher.add("c", 1)))));

    assertThat(seen).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    assertThat(chained).hasSize(2).allMatch(Future::succeeded);
    assertThat(batcher.pendingItems()).isZero();
    assertThat(batcher.inFlightFlushes()).isZero();
  }

  @Test
  void stopFromAFlushCallbackRejectsTheItemThatClosedTheBatch() {
    List<List<String>> seen = new ArrayList<>();
    Batcher<String> batcher = Batcher.create(NAME, new BatchConfig(10, 100, 200, 1, 10),
        batch -> {
          seen.add(List.copyOf(batch));
          return Future.succeededFuture();
        }, clock, registry);
    batcher.add("a", 60).onSuccess(v -> batcher.stop());

    // b does not fit, so adding it flushes a's batch, whose callback stops the batcher
    Future<Void> b = batcher.add("b", 60);

    assertThat(b.cause()).isInstanceOf(BatcherStoppedException.class);
    assertThat(seen).containsExactly(List.of("a"));
    assertThat(batcher.pendingItems()).isZero();
    assertThat(clock.scheduledTimers()).as("no batch left open after stop").isZero();
  }

  @Test
  void flushClosesOpenBatchAndWaitsForEarlierItemsOnly() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 2, 1000);
    batcher.add("a", 1);
    batcher.add("b", 1);
    batcher.add("c", 1);

    Future<Void> flushed = batcher.flush();
    assertThat(flusher.batches).containsExactly(List.of("a", "b"), List.of("c"));
    assertThat(clock.scheduledTimers()).isZero();

    batcher.add("d", 1);
    flusher.succeed(1);
    assertThat(flushed.isComplete()).isFalse();
    flusher.succeed(0);
    assertThat(flushed.succeeded()).as("d, added after the call, is not waited for").isTrue();
    assertThat(batcher.pendingItems()).isEqualTo(1);
  }

  @Test
  void flushFailsWhenABatchItWaitedForFailed() {
    Batcher<String> batcher = batcher(1, 1_000, 200, 2, 1000);
    batcher.add("a", 1);
    batcher.add("b", 1);

    Future<Void> flushed = batcher.flush();
    RuntimeException boom = new RuntimeException("boom");
    flusher.fail(0, boom);
    assertThat(flushed.isComplete()).as("waits for every batch, failed or not").isFalse();
    flusher.succeed(1);

    assertThat(flushed.cause()).isSameAs(boom);
  }

  @Test
  void flushWithNothingHeldSucceedsAtOnce() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 2, 1000);

    assertThat(batcher.flush().succeeded()).isTrue();
    assertThat(flusher.batches).isEmpty();
  }

  @Test
  void stopFlushesWhatItHolds() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 1, 1000);
    Future<Void> a = batcher.add("a", 1);
    batcher.add("b", 1);
    batcher.add("c", 1);
    batcher.add("d", 1);
    Future<Void> e = batcher.add("e", 1);
    assertThat(flusher.batches).hasSize(1);

    Future<Void> stopped = batcher.stop();
    assertThat(clock.scheduledTimers()).as("age timer cancelled").isZero();
    assertThat(batcher.stop()).isSameAs(stopped);

    flusher.succeed(0);
    flusher.fail(1, new RuntimeException("boom"));
    assertThat(stopped.isComplete()).isFalse();
    assertThat(flusher.batches).last().isEqualTo(List.of("e"));
    flusher.succeed(2);

    assertThat(stopped.succeeded()).as("a failed flush is reported to its items, not here")
        .isTrue();
    assertThat(a.succeeded()).isTrue();
    assertThat(e.succeeded()).isTrue();
    assertThat(batcher.pendingItems()).isZero();
    assertThat(batcher.inFlightFlushes()).isZero();
  }

  @Test
  void addAfterStopIsRejected() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 1, 1000);
    assertThat(batcher.stop().succeeded()).isTrue();

    Future<Void> late = batcher.add("late", 1);

    assertThat(late.cause()).isInstanceOf(BatcherStoppedException.class)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(NAME)
        .hasMessageContaining("stopped");
    assertThat(batcher.pendingItems()).isZero();
    assertThat(flusher.batches).isEmpty();
  }

  @Test
  void addRefusesInvalidArguments() {
    Batcher<String> batcher = batcher(2, 1_000, 200, 1, 1000);

    assertThatThrownBy(() -> batcher.add(null, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> batcher.add("a", -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(batcher.pendingItems()).isZero();
  }

  @Test
  void metricsReportBatchSizeAndFlushTime() {
    Batcher<String> batcher = batcher(3, 1_000, 200, 2, 1000);
    batcher.add("a", 10);
    batcher.add("b", 20);
    batcher.add("c", 30);
    batcher.add("d", 5);

    assertThat(gauge(BatchMetrics.PENDING)).isEqualTo(4.0);
    assertThat(gauge(BatchMetrics.IN_FLIGHT)).isEqualTo(1.0);

    clock.advance(25);
    flusher.succeed(0);

    var size = registry.get(BatchMetrics.SIZE).tag(BatchMetrics.TAG_BATCHER, NAME).summary();
    assertThat(size.count()).isEqualTo(1);
    assertThat(size.totalAmount()).isEqualTo(3.0);
    var bytes = registry.get(BatchMetrics.BYTES).tag(BatchMetrics.TAG_BATCHER, NAME).summary();
    assertThat(bytes.totalAmount()).isEqualTo(60.0);
    var time = registry.get(BatchMetrics.FLUSH_TIME).tag(BatchMetrics.TAG_BATCHER, NAME).timer();
    assertThat(time.count()).isEqualTo(1);
    assertThat(time.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(25.0);
    assertThat(gauge(BatchMetrics.PENDING)).isEqualTo(1.0);
    assertThat(gauge(BatchMetrics.IN_FLIGHT)).isZero();
  }

  @Test
  void nameIsUniqueAmongLiveBatchersAndFreeAgainAfterStop() {
    Batcher<String> first = batcher(2, 1_000, 200, 1, 1000);

    assertThatThrownBy(() -> batcher(2, 1_000, 200, 1, 1000))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(NAME);

    first.stop();
    Batcher<String> second = batcher(2, 1_000, 200, 1, 1000);
    second.add("a", 1);
    assertThat(gauge(BatchMetrics.PENDING)).as("the gauge follows the new batcher").isEqualTo(1.0);
  }

  @Test
  @ExtendWith(VertxExtension.class)
  void vertxClockClosesBatchOnAge(Vertx vertx, VertxTestContext testContext) {
    List<List<String>> flushed = new CopyOnWriteArrayList<>();
    BatchConfig config = new BatchConfig(100, 1_000_000, 20, 2, 1000);
    vertx.runOnContext(v -> {
      Context context = Vertx.currentContext();
      Batcher<String> batcher = Batcher.create("vertx-age", config, batch -> {
        flushed.add(List.copyOf(batch));
        return Future.succeededFuture();
      }, vertx, new SimpleMeterRegistry());

      batcher.add("a", 1);
      batcher.add("b", 1).onComplete(testContext.succeeding(ok -> testContext.verify(() -> {
        assertThat(flushed).containsExactly(List.of("a", "b"));
        assertThat(Vertx.currentContext()).as("timer ran on the batcher's context")
            .isSameAs(context);
        assertThat(batcher.pendingItems()).isZero();
        testContext.completeNow();
      })));
    });
  }

  private double gauge(String meter) {
    return registry.get(meter).tag(BatchMetrics.TAG_BATCHER, NAME).gauge().value();
  }

  /** Records each batch and holds its flush open until the test completes it. */
  private static final class RecordingFlusher implements Flusher<String> {
    final List<List<String>> batches = new ArrayList<>();
    final List<Promise<Void>> promises = new ArrayList<>();

    @Override
    public Future<Void> flush(List<String> batch) {
      batches.add(List.copyOf(batch));
      Promise<Void> promise = Promise.promise();
      promises.add(promise);
      return promise.future();
    }

    void succeed(int index) {
      promises.get(index).complete();
    }

    void fail(int index, Throwable cause) {
      promises.get(index).fail(cause);
    }
  }
}

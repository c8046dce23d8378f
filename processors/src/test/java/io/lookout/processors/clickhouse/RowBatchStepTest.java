package io.lookout.processors.clickhouse;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.batch.BatchConfig;
import io.lookout.storage.batch.BatchFullException;
import io.lookout.storage.kafka.message.InvalidMessageException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RowBatchStepTest {

  private static final RowDecoder DECODER = value -> {
    String s = new String(value, StandardCharsets.UTF_8);
    if (s.startsWith("bad")) {
      throw new InvalidMessageException("bad message");
    }
    return new JsonObject().put("v", s);
  };

  private static List<ConsumerRecord<byte[], byte[]>> records(String... values) {
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      out.add(new ConsumerRecord<>("t", 0, i, null, values[i].getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void batchClosesOnSizeAndThePollCompletesOnceEveryBatchIsWritten(Vertx vertx, VertxTestContext ctx) {
    List<List<JsonObject>> flushed = new ArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    vertx.runOnContext(v -> {
      // a long max age: only the size closes batches, then flush() closes the rest
      RowBatchStep step = new RowBatchStep("t-0", "t", DECODER, new BatchConfig(3, 1 << 20, 60_000, 2, 100),
          batch -> {
            flushed.add(batch);
            return Future.succeededFuture();
          }, vertx, registry);
      Future<Void> poll = step.handle(records("a", "bad-1", "b", "c", "d", "e", "f", "g"));
      step.flush();
      poll.onComplete(ctx.succeeding(x -> ctx.verify(() -> {
        assertThat(flushed).extracting(List::size).containsExactly(3, 3, 1);
        assertThat(registry.get(RowConsumerMetrics.INVALID).counter().count()).isEqualTo(1);
        assertThat(step.pendingRows()).isZero();
        ctx.completeNow();
      })));
    });
  }

  @Test
  void aPollWithOnlyInvalidMessagesCompletesAtOnce(Vertx vertx, VertxTestContext ctx) {
    vertx.runOnContext(v -> {
      RowBatchStep step = new RowBatchStep("t-1", "t", DECODER, BatchConfig.defaults(),
          batch -> Future.failedFuture("never called"), vertx, new SimpleMeterRegistry());
      step.handle(records("bad-1", "bad-2")).onComplete(ctx.succeedingThenComplete());
    });
  }

  @Test
  void aPollThatDoesNotFitIsRefusedWholeSoItsRetryCannotDuplicateRows(Vertx vertx, VertxTestContext ctx) {
    List<Promise<Void>> inserts = new ArrayList<>();
    vertx.runOnContext(v -> {
      RowBatchStep step = new RowBatchStep("t-2", "t", DECODER, new BatchConfig(2, 1 << 20, 60_000, 1, 4),
          batch -> {
            Promise<Void> p = Promise.promise();
            inserts.add(p);
            return p.future();
          }, vertx, new SimpleMeterRegistry());
      Future<Void> first = step.handle(records("a", "b", "c"));
      Future<Void> second = step.handle(records("d", "e"));
      ctx.verify(() -> {
        assertThat(second.failed()).isTrue();
        assertThat(second.cause()).isInstanceOf(BatchFullException.class);
        assertThat(step.pendingRows()).isEqualTo(3);
      });
      step.flush();
      // the inserts finish later, one after the other
      long timer = vertx.setPeriodic(20, t -> List.copyOf(inserts).forEach(Promise::tryComplete));
      first.onComplete(ctx.succeeding(x -> {
        vertx.cancelTimer(timer);
        ctx.verify(() -> assertThat(inserts).hasSize(2));
        ctx.completeNow();
      }));
    });
  }
}

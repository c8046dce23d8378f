package io.lookout.processors.postprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.config.StorageConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The forwarder's consumer against a real Kafka: it never passes the followed group's commit. */
class SynchronizedConsumerIT {

  static <T> T await(Supplier<T> value, T expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    T last = value.get();
    while (!expected.equals(last) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      last = value.get();
    }
    return last;
  }

  @Test
  void handsOnOnlyWhatTheFollowedGroupCommitted() throws Exception {
    String prefix = "it-sync-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "-";
    Vertx vertx = Vertx.vertx();
    try (KafkaTestSupport kafka = new KafkaTestSupport(StorageConfig.load(), prefix, List.of("events", "snuba-commit-log"))) {
      for (int i = 0; i < 6; i++) {
        kafka.send("events", null, ("e" + i).getBytes(StandardCharsets.UTF_8));
      }
      List<String> seen = new CopyOnWriteArrayList<>();
      Properties props = new Properties();
      props.put("bootstrap.servers", kafka.storage.kafka().bootstrapServers());
      props.put("group.id", prefix + "forwarder");
      SynchronizedConsumer consumer = new SynchronizedConsumer("it", vertx.getOrCreateContext(), prefix + "events",
          Set.of(prefix + "events"), prefix + "snuba-commit-log", "snuba-consumers", props, records -> {
            records.forEach(r -> seen.add(new String(r.value(), StandardCharsets.UTF_8)));
            return Future.succeededFuture();
          }, 2, 50, 100, new SimpleMeterRegistry());
      consumer.start();
      try {
        // another group far ahead, and another topic: neither moves this watermark
        kafka.commit("events", 0, "other-group", 100);
        kafka.commit("transactions", 0, "snuba-consumers", 100);
        kafka.commit("events", 0, "snuba-consumers", 3);
        assertThat(await(seen::size, 3)).isEqualTo(3);
        // the sentinel: the commit-log record after these is read, yet nothing beyond offset 2 passes
        kafka.commit("events", 0, "other-group", 200);
        kafka.commit("events", 0, "snuba-consumers", 2);
        assertThat(await(() -> consumer.watermark(0), 3L)).isEqualTo(3L);
        Thread.sleep(500);
        assertThat(seen).containsExactly("e0", "e1", "e2");

        kafka.commit("events", 0, "snuba-consumers", 6);
        assertThat(await(seen::size, 6)).isEqualTo(6);
        assertThat(seen).containsExactly("e0", "e1", "e2", "e3", "e4", "e5");
      } finally {
        consumer.stop().await(30, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}

package io.lookout.storage.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.StorageIt;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class RedisConnectorIT {

  private RedisConnector redis;
  private String prefix;

  @BeforeEach
  void connect(Vertx vertx) {
    prefix = StorageIt.uniqueName("it") + ":";
    redis = RedisConnector.create(vertx, StorageIt.config().redis().withKeyPrefix(prefix));
  }

  @AfterEach
  void cleanUp() throws Exception {
    Response keys = redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")).await(5, TimeUnit.SECONDS);
    if (keys.size() > 0) {
      Request del = Request.cmd(Command.DEL);
      keys.forEach(k -> del.arg(k.toString()));
      redis.send(del).await(5, TimeUnit.SECONDS);
    }
    redis.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void batchAnswersEveryCommandInRequestOrder() throws Exception {
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      requests.add(Request.cmd(Command.SET).arg(redis.key("k" + i)).arg("v" + i).arg("EX").arg(60));
    }
    for (int i = 0; i < 1000; i++) {
      requests.add(Request.cmd(Command.INCRBY).arg(redis.key("counter")).arg(i));
    }
    requests.add(Request.cmd(Command.GET).arg(redis.key("k999")));

    List<Response> responses = redis.batch(requests).await(10, TimeUnit.SECONDS);

    assertThat(responses).hasSize(2001);
    assertThat(responses.get(0).toString()).isEqualTo("OK");
    assertThat(responses.get(1999).toLong()).isEqualTo(999L * 1000 / 2);
    assertThat(responses.get(2000).toString()).isEqualTo("v999");
    assertThat(redis.key("x")).isEqualTo(prefix + "x");
  }

  @Test
  void aFailingCommandInABatchFailsTheBatchWithRedisError() {
    List<Request> requests = List.of(
        Request.cmd(Command.SET).arg(redis.key("s")).arg("text"),
        Request.cmd(Command.INCR).arg(redis.key("s")));
    assertThatThrownBy(() -> redis.batch(requests).await(5, TimeUnit.SECONDS))
        .hasMessageContaining("not an integer");
  }

  @Test
  void emptyBatchNeedsNoRoundTrip() throws Exception {
    assertThat(redis.batch(List.of()).await(1, TimeUnit.SECONDS)).isEmpty();
  }
}

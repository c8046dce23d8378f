package io.lookout.processors.broker.impl;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import io.lookout.processors.broker.Task;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisTaskCodecTest {

  @Test
  void frameCarriesAttemptAndBodyAndEqualBodiesStayDistinct() {
    Buffer body = Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xff});
    Buffer first = RedisTaskCodec.encode(body, 1);
    Buffer again = RedisTaskCodec.encode(body, 1);

    Task task = RedisTaskCodec.decode("q", RedisTaskCodec.encode(body, 4));

    assertThat(task.attempt()).isEqualTo(4);
    assertThat(task.body()).isEqualTo(body);
    assertThat(first).isNotEqualTo(again);
  }

  @Test
  void foreignItemIsAFirstAttemptWithTheWholeItemAsBody() {
    Task task = RedisTaskCodec.decode("q", Buffer.buffer("{\"plain\":true}"));

    assertThat(task.attempt()).isEqualTo(1);
    assertThat(task.body().toString()).isEqualTo("{\"plain\":true}");
  }

  @Test
  void deadLetterRecordsErrorAttemptAndBody() {
    JsonObject dead = new JsonObject(RedisTaskCodec.deadLetter(new Task("q", Buffer.buffer("b"), 5), "boom", "c1"));

    assertThat(dead.getString("queue")).isEqualTo("q");
    assertThat(dead.getInteger("attempt")).isEqualTo(5);
    assertThat(dead.getString("error")).isEqualTo("boom");
    assertThat(new String(Base64.getDecoder().decode(dead.getString("body")))).isEqualTo("b");
  }

  @Test
  void rabbitMqAttemptHeaderDefaultsToOne() {
    assertThat(RabbitMqConsumer.attempt(new AMQP.BasicProperties())).isEqualTo(1);
    assertThat(RabbitMqConsumer.attempt(new AMQP.BasicProperties.Builder()
        .headers(Map.of(RabbitMqPublisher.ATTEMPT_HEADER, 3)).build())).isEqualTo(3);
    assertThat(RabbitMqConsumer.errorMessage(new RuntimeException("x".repeat(5000)))).hasSize(1000);
  }
}

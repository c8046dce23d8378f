package io.lookout.processors.broker.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskBundleTest {

  @Test
  void tasksComeOutAsTheyWentIn() {
    List<Buffer> bodies = List.of(Buffer.buffer("{\"cache_key\":\"a\"}"), Buffer.buffer(""),
        Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xff}));
    RabbitMqPublisher.Message m = TaskBundle.message(bodies);

    assertThat(m.props().getDeliveryMode()).isEqualTo(2);
    assertThat(TaskBundle.count(m.props())).isEqualTo(3);
    List<byte[]> tasks = TaskBundle.tasks(m.body(), 3);
    assertThat(tasks).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(tasks.get(i)).isEqualTo(bodies.get(i).getBytes());
    }
  }

  @Test
  void aMessageWithoutTheHeaderIsOneTask() {
    assertThat(TaskBundle.count(RabbitMqPublisher.PERSISTENT)).isZero();
    assertThat(TaskBundle.count(null)).isZero();
  }

  @Test
  void aBodyThatDoesNotMatchItsHeaderIsRefused() {
    byte[] body = TaskBundle.message(List.of(Buffer.buffer("one"), Buffer.buffer("two"))).body();

    assertThatThrownBy(() -> TaskBundle.tasks(body, 3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("announces 3 tasks and holds 2");
    assertThatThrownBy(() -> TaskBundle.tasks(Arrays.copyOf(body, body.length - 1), 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes with");
    assertThatThrownBy(() -> TaskBundle.tasks(Arrays.copyOf(body, 2), 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inside a length");
    assertThatThrownBy(() -> TaskBundle.tasks("x".getBytes(StandardCharsets.UTF_8), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

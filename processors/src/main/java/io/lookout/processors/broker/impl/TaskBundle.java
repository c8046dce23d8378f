package io.lookout.processors.broker.impl;

import com.rabbitmq.client.AMQP;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several tasks in one RabbitMQ message: RabbitMQ's cost (persisting, confirming, delivering,
 * acking) is per message, so the tasks that one publish call hands over travel together, up to
 * {@code broker.rabbitmq_tasks_per_message} a message. The message carries the task count in the
 * {@link #TASKS_HEADER} header, and its body is each task's length (4 bytes, big-endian) followed by
 * the task's bytes. A message without the header is one task, as every task published with
 * {@code rabbitmq_tasks_per_message} 1 (or by an older version) is.
 *
 * <p>The consumer runs the tasks one by one through the handler, publishes each failed one alone
 * to the retry (or dead-letter) queue, and acks the message once all are settled; if it crashes
 * first, the whole message comes back and its tasks run again, which the handlers already allow
 * (a task may always be delivered twice).
 */
final class TaskBundle {

  static final String TASKS_HEADER = "x-lookout-tasks";

  private TaskBundle() {
  }

  static RabbitMqPublisher.Message message(List<Buffer> bodies) {
    int size = 0;
    for (Buffer b : bodies) {
      size += 4 + b.length();
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (Buffer b : bodies) {
      out.putInt(b.length());
      out.put(b.getBytes());
    }
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().deliveryMode(2)
        .headers(Map.of(TASKS_HEADER, bodies.size())).build();
    return new RabbitMqPublisher.Message(out.array(), props);
  }

  /** The task count a message's header announces, or 0 for a message that is one task. */
  static int count(AMQP.BasicProperties props) {
    Map<String, Object> headers = props == null ? null : props.getHeaders();
    Object value = headers == null ? null : headers.get(TASKS_HEADER);
    return value instanceof Number n ? n.intValue() : 0;
  }

  /**
   * The tasks of a bundle's body.
   *
   * @throws IllegalArgumentException when the body does not hold exactly {@code count} tasks
   */
  static List<byte[]> tasks(byte[] body, int count) {
    if (count < 1) {
      throw new IllegalArgumentException("a task bundle announces " + count + " tasks");
    }
    List<byte[]> tasks = new ArrayList<>(count);
    ByteBuffer in = ByteBuffer.wrap(body);
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        throw new IllegalArgumentException("a task bundle ends inside a length");
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("a task bundle announces a task of " + length + " bytes with "
            + in.remaining() + " left");
      }
      byte[] task = new byte[length];
      in.get(task);
      tasks.add(task);
    }
    if (tasks.size() != count) {
      throw new IllegalArgumentException("a task bundle announces " + count + " tasks and holds " + tasks.size());
    }
    return tasks;
  }
}

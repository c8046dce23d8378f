package io.lookout.processors.broker.impl;

import io.lookout.processors.broker.Task;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A task as stored in a Redis list: {@code "LKT" 0x01} (4 bytes), attempt (int32 big-endian), a
 * random id (int64, so two equal bodies stay distinct members of the delayed sorted set and
 * {@code LREM} removes exactly one), then the body unchanged. A dead-lettered task is a JSON
 * envelope instead ({@link #deadLetter}).
 */
final class RedisTaskCodec {

  static final int HEADER = 16;
  private static final byte[] MAGIC = {'L', 'K', 'T', 1};

  private RedisTaskCodec() {
  }

  static Buffer encode(Buffer body, int attempt) {
    return Buffer.buffer(HEADER + body.length())
        .appendBytes(MAGIC)
        .appendInt(attempt)
        .appendLong(ThreadLocalRandom.current().nextLong())
        .appendBuffer(body);
  }

  /** An item that is not in this format (pushed by hand) is a first attempt with the item as body. */
  static Task decode(String queue, Buffer item) {
    if (item.length() >= HEADER && item.getByte(0) == MAGIC[0] && item.getByte(1) == MAGIC[1]
        && item.getByte(2) == MAGIC[2] && item.getByte(3) == MAGIC[3]) {
      return new Task(queue, item.slice(HEADER, item.length()), Math.max(1, item.getInt(4)));
    }
    return new Task(queue, item, 1);
  }

  /**
   * {@code {"queue", "attempt", "error", "failed_at" (epoch ms), "consumer", "body" (standard
   * base64 of the task body)}}.
   */
  static Buffer deadLetter(Task task, String error, String consumerId) {
    return new JsonObject()
        .put("queue", task.queue())
        .put("attempt", task.attempt())
        .put("error", error)
        .put("failed_at", System.currentTimeMillis())
        .put("consumer", consumerId)
        .put("body", Base64.getEncoder().encodeToString(task.body().getBytes()))
        .toBuffer();
  }
}

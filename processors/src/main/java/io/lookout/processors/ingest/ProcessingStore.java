package io.lookout.processors.ingest;

import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Payloads between stages (Sentry's "processing store"): event messages waiting for
 * {@code process_event}, processed events waiting for {@code save_event}, and attachment chunks
 * waiting for their event. Redis, every key with a TTL so an abandoned entry cannot pile up; every
 * call one pipeline.
 */
public final class ProcessingStore {

  private final RedisConnector redis;
  private final long ttlSeconds;

  public ProcessingStore(RedisConnector redis, long ttlSeconds) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
  }

  /** Key of an event message (before processing) or a processed event (after). */
  public static String eventKey(String stage, long projectId, String eventId) {
    return "ps:" + stage + ":" + projectId + ":" + eventId;
  }

  /** Key of one attachment chunk, as Sentry's {@code attachment_cache} names them. */
  public static String chunkKey(long projectId, String eventId, String attachmentId, int index) {
    return "ps:c:" + projectId + ":" + eventId + ":" + attachmentId + ":" + index;
  }

  public Future<Void> putAll(Map<String, byte[]> values) {
    if (values.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> requests = new ArrayList<>(values.size());
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      requests.add(Request.cmd(Command.SET).arg(redis.key(e.getKey())).arg(Buffer.buffer(e.getValue()))
          .arg("EX").arg(ttlSeconds));
    }
    return redis.batch(requests).mapEmpty();
  }

  /** The values in key order; null where a key is missing or expired. */
  public Future<List<byte[]>> getAll(List<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Request mget = Request.cmd(Command.MGET);
    for (String key : keys) {
      mget.arg(redis.key(key));
    }
    return redis.send(mget).map(response -> {
      List<byte[]> values = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        Response value = response.get(i);
        values.add(value == null ? null : value.toBytes());
      }
      return values;
    });
  }

  public Future<Void> deleteAll(Collection<String> keys) {
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    Request del = Request.cmd(Command.UNLINK);
    for (String key : keys) {
      del.arg(redis.key(key));
    }
    return redis.send(del).mapEmpty();
  }
}

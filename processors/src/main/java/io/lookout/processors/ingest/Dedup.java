package io.lookout.processors.ingest;

import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops events whose (project, event id) was already taken by another Kafka message: an SDK that
 * retried, or a Relay that sent the same envelope twice. One Redis pipeline per poll batch.
 *
 * <p>Each claim stores the claiming message's coordinates ({@code topic:partition:offset}) as its
 * value: {@code SET key token NX EX ttl} then {@code GET key}. When a crash made the consumer read the
 * same message again, the stored token is its own, so the replay is processed again (the writes
 * after this step are idempotent) instead of being lost as a "duplicate", which is what a plain
 * set-if-absent would do.
 */
public final class Dedup {

  /** One event to claim. */
  public record Claim(long projectId, String eventId, String token) {
  }

  private final RedisConnector redis;
  private final long ttlSeconds;

  public Dedup(RedisConnector redis, long ttlSeconds) {
    this.redis = redis;
    this.ttlSeconds = ttlSeconds;
  }

  /** For each claim, in order: true when this message owns the event (first seen, or its own replay). */
  public Future<boolean[]> claim(List<Claim> claims) {
    if (claims.isEmpty()) {
      return Future.succeededFuture(new boolean[0]);
    }
    List<Request> requests = new ArrayList<>(claims.size() * 2);
    for (Claim claim : claims) {
      String key = redis.key("dedup:" + claim.projectId() + ":" + claim.eventId());
      requests.add(Request.cmd(Command.SET).arg(key).arg(claim.token()).arg("NX").arg("EX").arg(ttlSeconds));
      requests.add(Request.cmd(Command.GET).arg(key));
    }
    return redis.batch(requests).map(responses -> {
      boolean[] owned = new boolean[claims.size()];
      for (int i = 0; i < claims.size(); i++) {
        Response stored = responses.get(i * 2 + 1);
        owned[i] = stored != null && claims.get(i).token().equals(stored.toString());
      }
      return owned;
    });
  }
}

package io.lookout.storage.redis;

import io.lookout.storage.redis.impl.RedisConnectorImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * Lookout's Redis access: a pooled client whose every call has a deadline, a key prefix, and
 * pipelining as the normal way to talk to Redis (rate limits, dedup and the processing store send
 * one {@link #batch} per envelope or per poll, never one round trip per key).
 */
public interface RedisConnector {

  static RedisConnector create(Vertx vertx, RedisConfig config) {
    return new RedisConnectorImpl(vertx, config);
  }

  /** {@code key_prefix + suffix}: every key Lookout writes goes through this. */
  String key(String suffix);

  /** One command; fails after {@code command_timeout_ms}. */
  Future<Response> send(Request request);

  /**
   * All requests on one connection, written back to back and answered in one round trip
   * (pipelined, not a MULTI transaction). Responses come in request order; fails after
   * {@code command_timeout_ms}.
   */
  Future<List<Response>> batch(List<Request> requests);

  /**
   * A client of its own with a single connection, outside the pool, for blocking commands
   * (BLMOVE, BLPOP...) that would otherwise hold a pooled connection for their whole timeout and
   * starve the other callers. Same server, credentials and connect timeout; no command timeout
   * (a blocking command sets its own) and no key prefix (use {@link #key}). The caller closes it;
   * closing it closes the socket. (A default so that test doubles of this interface need not
   * implement it.)
   */
  default Redis dedicated() {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " has no dedicated connections");
  }

  Future<Void> close();
}

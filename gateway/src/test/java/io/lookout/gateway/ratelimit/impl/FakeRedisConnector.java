package io.lookout.gateway.ratelimit.impl;

import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.RequestImpl;
import io.vertx.redis.client.impl.types.MultiType;
import io.vertx.redis.client.impl.types.NumberType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A connector that records every request and answers with {@link #handler}; by default it fails. */
final class FakeRedisConnector implements RedisConnector {

  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Function<Request, Future<Response>> handler =
      r -> Future.failedFuture(new AssertionError("Redis must not be called, got " + r));

  @Override
  public String key(String suffix) {
    return "t:" + suffix;
  }

  @Override
  public Future<Response> send(Request request) {
    requests.add(request);
    return handler.apply(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> batch) {
    requests.addAll(batch);
    return Future.failedFuture(new AssertionError("the rate limiter never batches"));
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** A script answer: an array of integers. */
  static Response ints(long... values) {
    MultiType multi = MultiType.create(values.length, false);
    for (long value : values) {
      multi.add(NumberType.create(value));
    }
    return multi;
  }

  /** The arguments of a request after the command name, as text. */
  static List<String> args(Request request) {
    return ((RequestImpl) request).getArgs().stream()
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .toList();
  }
}

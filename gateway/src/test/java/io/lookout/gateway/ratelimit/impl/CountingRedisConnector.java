package io.lookout.gateway.ratelimit.impl;

import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Passes everything to a real connector and records each round trip's commands. */
final class CountingRedisConnector implements RedisConnector {

  private final RedisConnector delegate;
  /** One entry per round trip (a send, or a whole batch). */
  final List<List<Command>> roundTrips = new CopyOnWriteArrayList<>();

  CountingRedisConnector(RedisConnector delegate) {
    this.delegate = delegate;
  }

  @Override
  public String key(String suffix) {
    return delegate.key(suffix);
  }

  @Override
  public Future<Response> send(Request request) {
    roundTrips.add(List.of(request.command()));
    return delegate.send(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    roundTrips.add(requests.stream().map(Request::command).toList());
    return delegate.batch(requests);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}

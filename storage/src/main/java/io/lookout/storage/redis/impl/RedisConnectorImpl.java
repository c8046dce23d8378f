package io.lookout.storage.redis.impl;

import io.lookout.storage.redis.RedisConfig;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;

public final class RedisConnectorImpl implements RedisConnector {

  private final Vertx vertx;
  private final RedisConfig config;
  private final Redis redis;

  public RedisConnectorImpl(Vertx vertx, RedisConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.redis = Redis.createClient(vertx, options(config, config.poolSize()));
  }

  private static RedisOptions options(RedisConfig config, int poolSize) {
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.connectionString())
        .setMaxPoolSize(poolSize)
        .setMaxPoolWaiting(config.maxPoolWaiting())
        .setMaxWaitingHandlers(config.maxWaitingHandlers())
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(config.connectTimeoutMs())
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true));
    if (!config.password().isEmpty()) {
      options.setPassword(config.password());
    }
    return options;
  }

  @Override
  public String key(String suffix) {
    return config.keyPrefix() + suffix;
  }

  @Override
  public Future<Response> send(Request request) {
    return redis.send(request).timeout(config.commandTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return redis.batch(requests).timeout(config.commandTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Redis dedicated() {
    return Redis.createClient(vertx, options(config, 1));
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }
}

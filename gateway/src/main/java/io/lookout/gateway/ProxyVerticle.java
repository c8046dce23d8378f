package io.lookout.gateway;

import io.lookout.gateway.endpoint.Responses;
import io.lookout.gateway.http.Cors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relay's proxy mode: every request goes to {@code relay.upstream} unchanged (method, path, query,
 * headers, body), streamed both ways with backpressure; no Kafka, no Redis, no project state. For
 * a gateway in front of another Sentry or Lookout (an edge relay).
 */
public final class ProxyVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyVerticle.class);
  /** Hop-by-hop headers (RFC 9110 7.6.1) are not forwarded; the rest is. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
      "transfer-encoding", "te", "trailer", "upgrade", "host", "proxy-authorization", "proxy-authenticate");

  private final GatewayConfig config;
  private final MeterRegistry registry;
  private HttpServer server;
  private HttpClient client;
  private Counter forwarded;
  private Counter failed;

  public ProxyVerticle(GatewayConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    forwarded = Counter.builder("gateway.proxy.requests").tag("result", "forwarded").register(registry);
    failed = Counter.builder("gateway.proxy.requests").tag("result", "failed").register(registry);
    client = vertx.createHttpClient(new HttpClientOptions()
            .setConnectTimeout(5000)
            .setIdleTimeout(config.http().idleTimeout())
            .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(config.limits().maxConcurrentRequests()));
    server = vertx.createHttpServer(new HttpServerOptions()
            .setHost(config.relay().host())
            .setPort(config.relay().port())
            .setIdleTimeout(config.http().idleTimeout())
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setMaxHeaderSize(config.http().maxHeaderSize()))
        .requestHandler(this::forward);
    return server.listen().onSuccess(s -> LOG.info("gateway proxying 127.0.0.1:{} to {}", s.actualPort(),
        config.relay().upstream()));
  }

  @Override
  public Future<?> stop() {
    return server.shutdown(config.http().shutdownTimeout(), TimeUnit.SECONDS).eventually(() -> client.close());
  }

  private void forward(HttpServerRequest request) {
    if (request.method() == HttpMethod.OPTIONS && request.path().startsWith("/api/")
        && request.getHeader("Access-Control-Request-Method") != null) {
      Cors.preflight(request);
      return;
    }
    request.pause();
    String upstream = config.relay().upstream().replaceAll("/+$", "");
    RequestOptions options = new RequestOptions()
        .setMethod(request.method())
        .setAbsoluteURI(upstream + request.uri())
        .setTimeout(config.http().timeout() * 1000L);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    request.headers().forEach(h -> {
      if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
        headers.add(h.getKey(), h.getValue());
      }
    });
    String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (client != null) {
      String prior = request.getHeader("X-Forwarded-For");
      headers.set("X-Forwarded-For", prior == null ? client : prior + ", " + client);
    }
    options.setHeaders(headers);
    this.client.request(options)
        .compose(upstreamRequest -> upstreamRequest.send(request))
        .onSuccess(upstreamResponse -> {
          forwarded.increment();
          var response = request.response().setStatusCode(upstreamResponse.statusCode());
          upstreamResponse.headers().forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
              response.headers().add(h.getKey(), h.getValue());
            }
          });
          upstreamResponse.pipeTo(response);
        })
        .onFailure(err -> {
          failed.increment();
          LOG.warn("upstream {} failed: {}", upstream, err.toString());
          request.resume();
          Responses.json(request, 502, new JsonObject().put("detail", "upstream unavailable")
              .put("causes", new io.vertx.core.json.JsonArray().add(String.valueOf(err.getMessage()))));
        });
  }
}

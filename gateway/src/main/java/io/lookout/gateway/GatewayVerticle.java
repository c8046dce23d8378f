package io.lookout.gateway;

import io.lookout.gateway.endpoint.AttachmentsEndpoint;
import io.lookout.gateway.endpoint.CronEndpoint;
import io.lookout.gateway.endpoint.EnvelopeEndpoint;
import io.lookout.gateway.endpoint.IngestSupport;
import io.lookout.gateway.endpoint.MinidumpEndpoint;
import io.lookout.gateway.endpoint.Paths;
import io.lookout.gateway.endpoint.Rejection;
import io.lookout.gateway.endpoint.Responses;
import io.lookout.gateway.endpoint.SecurityEndpoint;
import io.lookout.gateway.endpoint.StoreEndpoint;
import io.lookout.gateway.http.Cors;
import io.lookout.gateway.http.RequestScopes;
import io.lookout.gateway.ingest.EnvelopeProcessor;
import io.lookout.gateway.limits.ItemLimits;
import io.lookout.gateway.outcome.OutcomeEmitter;
import io.lookout.gateway.produce.KafkaRouting;
import io.lookout.gateway.project.ProjectCache;
import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.ratelimit.EnvelopeRateLimiter;
import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.QuotaRequest;
import io.lookout.gateway.ratelimit.QuotaResult;
import io.lookout.gateway.ratelimit.RateLimiter;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop's HTTP server: routes Relay's paths to the endpoints, enforces the in-flight cap
 * and the request deadline, and owns the per-loop parts (project cache, Redis, outcome batches).
 */
public final class GatewayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayServices services;
  private final int index;
  private HttpServer server;
  private RedisConnector redis;
  private OutcomeEmitter outcomes;
  private EnvelopeEndpoint envelopeEndpoint;
  private StoreEndpoint storeEndpoint;
  private SecurityEndpoint securityEndpoint;
  private MinidumpEndpoint minidumpEndpoint;
  private AttachmentsEndpoint attachmentsEndpoint;
  private CronEndpoint cronEndpoint;
  private IngestSupport ingest;
  private final RequestScopes scopes = new RequestScopes();

  public GatewayVerticle(GatewayServices services, int index) {
    this.services = services;
    this.index = index;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = services.config();
    redis = RedisConnector.create(vertx, services.storage().redis());
    outcomes = OutcomeEmitter.create(vertx, services.producer().sender(), services.outcomeConfig(),
        services.topics(), services.registry(), "gateway-outcomes-" + index);
    ProjectCache projects = new ProjectCache(services.projects(), config.cache());
    EnvelopeProcessor processor = new EnvelopeProcessor(new ItemLimits(config.limits()),
        new EnvelopeRateLimiter(timed(RateLimiter.create(redis, services.rateLimitConfig(), services.registry()))),
        services.rateLimitConfig(),
        KafkaRouting.create(services.topics(), services.producerConfig()), services.producer(), outcomes);
    IngestSupport ingest = new IngestSupport(vertx, config.limits(), services.bodyBudget(), scopes, projects,
        processor, outcomes, services.metrics());
    this.ingest = ingest;
    envelopeEndpoint = new EnvelopeEndpoint(ingest);
    storeEndpoint = new StoreEndpoint(ingest);
    securityEndpoint = new SecurityEndpoint(ingest);
    minidumpEndpoint = new MinidumpEndpoint(ingest);
    attachmentsEndpoint = new AttachmentsEndpoint(ingest);
    cronEndpoint = new CronEndpoint(ingest);
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.relay().host())
        .setPort(config.relay().port())
        .setIdleTimeout(config.http().idleTimeout())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setMaxHeaderSize(config.http().maxHeaderSize())
        .setTcpNoDelay(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false); // bodies are decoded under a size cap, not by Netty
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    return server.listen().onSuccess(s -> {
      if (index == 0) {
        LOG.info("gateway listening on {}:{} ({} mode)", config.relay().host(), s.actualPort(),
            config.relay().mode().name().toLowerCase(java.util.Locale.ROOT));
      }
    });
  }

  @Override
  public Future<?> stop() {
    long grace = services.config().http().shutdownTimeout();
    Future<Void> closed = server == null ? Future.succeededFuture() : server.shutdown(grace, TimeUnit.SECONDS);
    return closed
        .eventually(() -> outcomes == null ? Future.succeededFuture() : outcomes.stop())
        .eventually(() -> redis == null ? Future.succeededFuture() : redis.close());
  }

  /** Records {@code gateway.redis.latency} (tag {@code op=quota_check}) around every quota check. */
  private RateLimiter timed(RateLimiter limiter) {
    Timer timer = Timer.builder("gateway.redis.latency")
        .tag("op", "quota_check").register(services.registry());
    return new RateLimiter() {
      @Override
      public Future<QuotaResult> check(Scoping scoping,
          List<Quota> quotas, QuotaRequest request) {
        long start = System.nanoTime();
        return limiter.check(scoping, quotas, request)
            .onComplete(ar -> timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
      }

      @Override
      public Future<Void> prepare() {
        return limiter.prepare();
      }
    };
  }

  /** The port actually bound (0 in the config means any free port, for tests). */
  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.OPTIONS) {
      Cors.preflight(request);
      return;
    }
    String path = request.path();
    if (path.startsWith("/api/relay/healthcheck/")) {
      health(request, path);
      return;
    }
    if (!services.tryEnter()) {
      Responses.reject(request, Rejection.unavailable("service unavailable",
          "too many requests in flight (limits.max_concurrent_requests)"));
      return;
    }
    List<String> parts = Paths.segments(path);
    String endpoint = endpointName(parts);
    long deadline = vertx.setTimer(services.config().http().timeout() * 1000L, id -> {
      if (!request.response().ended()) {
        Responses.reject(request, Rejection.unavailable("request timed out",
            "no answer within http.timeout"));
      }
    });
    scopes.open(request, () -> {
      vertx.cancelTimer(deadline);
      services.exit();
      services.metrics().request(endpoint, request.response().getStatusCode(), request.bytesRead());
    });
    try {
      route(request, parts);
    } catch (RuntimeException e) {
      ingest.respondFailure(request, e);
    }
  }

  /** The {@code endpoint} tag of a path: a fixed set, never the raw path (unbounded cardinality). */
  static String endpointName(List<String> parts) {
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      String name = parts.get(2);
      return switch (name) {
        case "envelope", "store", "security", "minidump", "cron" -> name;
        case "csp-report" -> "security";
        case "events" -> "attachments";
        default -> "other";
      };
    }
    return parts.size() == 2 && parts.get(1).equals("store") ? "store" : "other";
  }

  private void route(HttpServerRequest request, List<String> parts) {
    // /api/{project_id}/{endpoint}/...
    if (parts.size() < 2 || !parts.get(0).equals("api")) {
      notFound(request);
      return;
    }
    if (parts.get(1).equals("store") && parts.size() == 2) {
      storeEndpoint.handle(request, null);
      return;
    }
    Long projectId = Paths.projectId(parts.get(1));
    if (projectId == null || parts.size() < 3) {
      notFound(request);
      return;
    }
    String endpoint = parts.get(2);
    HttpMethod method = request.method();
    switch (endpoint) {
      case "envelope" -> {
        if (method == HttpMethod.POST && parts.size() == 3) {
          envelopeEndpoint.handle(request, projectId);
        } else {
          methodNotAllowed(request);
        }
      }
      case "store" -> storeEndpoint.handle(request, projectId);
      case "security", "csp-report" -> securityEndpoint.handle(request, projectId);
      case "minidump" -> minidumpEndpoint.handle(request, projectId);
      case "events" -> {
        if (parts.size() == 5 && parts.get(4).equals("attachments")) {
          attachmentsEndpoint.handle(request, projectId, parts.get(3));
        } else {
          notFound(request);
        }
      }
      case "cron" -> {
        if (parts.size() == 4 || parts.size() == 5) {
          cronEndpoint.handle(request, projectId, parts.get(3), parts.size() == 5 ? parts.get(4) : null);
        } else {
          notFound(request);
        }
      }
      default -> notFound(request);
    }
  }

  private void health(HttpServerRequest request, String path) {
    boolean live = path.equals("/api/relay/healthcheck/live/") || path.equals("/api/relay/healthcheck/live");
    boolean ready = services.health() == null || services.health().ready();
    boolean healthy = live || ready;
    Responses.json(request, healthy ? 200 : 503, new JsonObject().put("is_healthy", healthy));
  }

  private static void notFound(HttpServerRequest request) {
    Responses.json(request, 404, new JsonObject().put("detail", "not found"));
  }

  static void methodNotAllowed(HttpServerRequest request) {
    Responses.json(request, 405, new JsonObject().put("detail", "method not allowed"));
  }
}

package io.lookout.gateway.endpoint;

import io.lookout.gateway.GatewayMetrics;
import io.lookout.gateway.auth.AuthException;
import io.lookout.gateway.auth.AuthExtractor;
import io.lookout.gateway.auth.AuthInputs;
import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeException;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.EnvelopeParser;
import io.lookout.gateway.http.MemoryBudget;
import io.lookout.gateway.http.Multipart;
import io.lookout.gateway.http.RequestScopes;
import io.lookout.gateway.http.RequestBody;
import io.lookout.gateway.ingest.EnvelopeProcessor;
import io.lookout.gateway.ingest.IngestRequest;
import io.lookout.gateway.ingest.IngestResult;
import io.lookout.gateway.limits.LimitsConfig;
import io.lookout.gateway.outcome.OutcomeEmitter;
import io.lookout.gateway.outcome.Outcomes;
import io.lookout.gateway.project.ProjectCache;
import io.lookout.gateway.project.ProjectState;
import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.ratelimit.RateLimits;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps the ingest endpoints share (Relay's endpoints/common.rs): authenticate, look the key up
 * in the project cache, check the project takes data, hand the envelope to the
 * {@link EnvelopeProcessor}, and map every failure to one answer. One instance per event loop.
 */
public final class IngestSupport {

  private static final Logger LOG = LoggerFactory.getLogger(IngestSupport.class);

  private final Vertx vertx;
  private final LimitsConfig limits;
  private final MemoryBudget budget;
  private final ProjectCache projects;
  private final EnvelopeProcessor processor;
  private final OutcomeEmitter outcomes;

  private final GatewayMetrics metrics;

  private final RequestScopes scopes;

  public IngestSupport(Vertx vertx, LimitsConfig limits, MemoryBudget budget, RequestScopes scopes,
      ProjectCache projects, EnvelopeProcessor processor, OutcomeEmitter outcomes, GatewayMetrics metrics) {
    this.scopes = scopes;
    this.metrics = metrics;
    this.vertx = vertx;
    this.limits = limits;
    this.budget = budget;
    this.projects = projects;
    this.processor = processor;
    this.outcomes = outcomes;
  }

  public LimitsConfig limits() {
    return limits;
  }

  /** Reads the body under {@code limit}; the reservation is released when the response ends. */
  public Future<Buffer> readBody(HttpServerRequest request, long limit, String tooLargeReason) {
    return accounting(request).read(vertx, request, limit, tooLargeReason);
  }

  /** Reads a multipart body under {@code limit}; released like {@link #readBody}. */
  public Future<Multipart> readMultipart(HttpServerRequest request, long limit, String tooLargeReason) {
    return Multipart.read(request, limit, accounting(request), tooLargeReason);
  }

  private RequestBody accounting(HttpServerRequest request) {
    RequestBody body = new RequestBody(budget);
    scopes.onDone(request, body::release);
    return body;
  }

  public static Envelope parseEnvelope(Buffer body) {
    try {
      return EnvelopeParser.parse(body);
    } catch (EnvelopeException e) {
      throw new Rejection(400, "invalid event envelope", e.causes(), OutcomeType.INVALID,
          e.reason()).exception();
    }
  }

  /** Credentials from headers, query, the path key and (last) the envelope's {@code dsn}. */
  public static RequestAuth authenticate(HttpServerRequest request, Long pathProjectId, String pathKey,
      Supplier<String> envelopeDsn) {
    AuthInputs.Builder inputs = AuthInputs.builder().headers(request.headers()).query(request.query())
        .pathProjectId(pathProjectId);
    if (pathKey != null) {
      inputs.pathKey(pathKey);
    }
    if (envelopeDsn != null) {
      inputs.envelopeDsn(envelopeDsn);
    }
    try {
      RequestAuth auth = AuthExtractor.extract(inputs.build());
      if (envelopeDsn != null) {
        AuthExtractor.checkEnvelopeDsn(auth, pathProjectId, envelopeDsn.get());
      }
      return auth;
    } catch (AuthException e) {
      throw new Rejection(e.httpStatus(), e.detail(), e.causes(), null, e.reason()).exception();
    }
  }

  /** The project behind the key, checked against the path and its status. */
  public Future<ProjectState> project(RequestAuth auth, Long pathProjectId) {
    return projects.get(auth.publicKey())
        .recover(err -> {
          LOG.error("project state unavailable: {}", err.toString());
          return Future.failedFuture(Rejection.unavailable("failed to fetch project state",
              "project state source unavailable").exception());
        })
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new Rejection(401, "invalid authorization",
                List.of("unknown public key"), null, "project_id").exception());
          }
          ProjectState state = found.get();
          if (pathProjectId != null && state.projectId() != pathProjectId) {
            return Future.failedFuture(new Rejection(400, "invalid authorization",
                List.of("project id of the URL does not match the DSN's key"), null, "project_id")
                .exception());
          }
          if (!state.accepting()) {
            return Future.failedFuture(new Rejection(403, "event submission rejected with_reason: ProjectId",
                List.of(state.active() ? "the key is disabled" : "the project is disabled"),
                null, "project_id").exception());
          }
          return Future.succeededFuture(state);
        });
  }

  public Future<IngestResult> process(HttpServerRequest request, RequestAuth auth, ProjectState project,
      Envelope envelope) {
    IngestRequest ingest = new IngestRequest(project, auth, clientIp(request), Instant.now());
    for (EnvelopeItem item : envelope.items()) {
      metrics.item(item.typeName());
    }
    return processor.process(ingest, envelope)
        .onFailure(err -> {
          if (err instanceof Rejection.RejectedException rejected && rejected.rejection().outcome() != null
              && rejected.rejection().status() != 413) { // the processor emits its own 413 outcomes
            Outcomes factory = Outcomes.of(Scoping.of(project), ingest.receivedAt(),
                envelope.eventId().orElse(null), ingest.remoteAddr());
            outcomes.emitAll(factory.invalid(envelope.items(), rejected.rejection().reason()));
          }
        });
  }

  /** The address the request came from: the first X-Forwarded-For hop when a proxy set one. */
  public static String clientIp(HttpServerRequest request) {
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded != null && !forwarded.isBlank()) {
      int comma = forwarded.indexOf(',');
      return (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
    }
    return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
  }

  /** The answer to a processed envelope: 200 with the event id and the limits that dropped part of it. */
  public static void respondAccepted(HttpServerRequest request, IngestResult result) {
    JsonObject body = new JsonObject();
    if (result.eventId() != null) {
      body.put("id", result.eventId());
    }
    addRateLimitHeaders(request, result.limits(), false);
    Responses.json(request, 200, body);
  }

  static void addRateLimitHeaders(HttpServerRequest request, RateLimits limits, boolean retryAfter) {
    if (limits != null && limits.isLimited()) {
      request.response().putHeader(RateLimits.HEADER, limits.toHeader());
      if (retryAfter) {
        request.response().putHeader("Retry-After", limits.retryAfterHeader());
      }
    }
  }

  /** Answers any failure of the ingest chain: rejections, rate limits, and bugs (500, logged). */
  public void respondFailure(HttpServerRequest request, Throwable err) {
    if (err instanceof Rejection.RejectedException rejected) {
      Rejection r = rejected.rejection();
      metrics.rejected(r.reason() == null ? "status_" + r.status() : r.reason());
      if (r.status() >= 500) {
        LOG.error("{} {}: {} {}", request.method(), request.path(), r.status(), r.detail());
      } else {
        LOG.debug("{} {}: {} {} {}", request.method(), request.path(), r.status(), r.detail(), r.causes());
      }
      if (r.status() >= 400 && r.status() < 500) {
        request.response().putHeader("X-Sentry-Error", r.detail());
      }
      Responses.reject(request, r);
    } else if (err instanceof EnvelopeProcessor.RateLimitedException limited) {
      metrics.rejected("rate_limited");
      addRateLimitHeaders(request, limited.limits(), true);
      Responses.json(request, 429, new JsonObject().put("detail", "event submission rejected with_reason: RateLimited"));
    } else {
      metrics.rejected("internal");
      LOG.error("{} {} failed", request.method(), request.path(), err);
      Responses.reject(request, new Rejection(500, "internal error", List.of(), null, "internal"));
    }
  }
}

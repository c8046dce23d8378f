package io.lookout.processors.api;

import io.lookout.processors.postprocess.RuleStore;
import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.nodestore.Nodestore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read API, in the shape of Sentry's web API ({@code /api/0/...}, bearer tokens, Sentry's field
 * names, {@code Link} header pagination), served from Postgres and the nodestore, and the organization
 * stats from ClickHouse.
 *
 * <p>A verticle: deploy it with its configuration, the pool (whose {@code search_path} leads to the
 * migrated schema) and the nodestore; {@link #deploy} does that and hands back the started instance
 * ({@link #actualPort()} tells the port when {@code api.port} is 0). Each instance keeps its own
 * token cache, so deploying several instances is safe. Every answer is JSON; a failure that is not a
 * client's mistake is a 500 {@code {"detail": "Internal Error"}}, logged at ERROR, never a stack trace.
 *
 * <p>Routes (all need a token; read routes {@code event:read}, PUT {@code event:write}, feedback
 * {@code project:read}):
 * <pre>
 * GET      /api/0/projects/{org}/{project}/issues/
 * GET|PUT  /api/0/issues/{issue_id}/
 * GET|PUT  /api/0/organizations/{org}/issues/{issue_id}/          (issue_id may be a short id)
 * GET      /api/0/issues/{issue_id}/events/latest/
 * GET      /api/0/organizations/{org}/issues/{issue_id}/events/latest/
 * GET      /api/0/projects/{org}/{project}/events/{event_id}/
 * GET      /api/0/projects/{org}/{project}/events/{event_id}/attachments/
 * GET      /api/0/projects/{org}/{project}/events/{event_id}/attachments/{attachment_id}/[?download=1]
 * GET      /api/0/projects/{org}/{project}/user-feedback/
 * GET      /api/0/organizations/{org}/monitors/                       (org:read)
 * GET      /api/0/organizations/{org}/monitors/{monitor_slug}/checkins/   (org:read)
 * GET|POST /api/0/projects/{org}/{project}/rules/                      (project:read / project:write)
 * GET|PUT|DELETE /api/0/projects/{org}/{project}/rules/{rule_id}/
 * GET      /api/0/organizations/{org}/stats_v2/                    (org:read; needs ClickHouse)
 * GET      /api/0/organizations/{org}/sessions/                    (event:read; needs ClickHouse)
 * </pre>
 */
public final class ApiServer extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  private final ApiConfig config;
  private final Pool pool;
  private final Nodestore nodestore;
  private final ClickHouseWriter clickhouse;
  private HttpServer server;

  /** Without ClickHouse: the stats routes ({@code stats_v2}, {@code sessions}) answer 404. */
  public ApiServer(ApiConfig config, Pool pool, Nodestore nodestore) {
    this(config, pool, nodestore, null);
  }

  /** @param clickhouse where the stats routes read outcomes and sessions; null leaves them out */
  public ApiServer(ApiConfig config, Pool pool, Nodestore nodestore, ClickHouseWriter clickhouse) {
    this.config = config;
    this.pool = pool;
    this.nodestore = nodestore;
    this.clickhouse = clickhouse;
  }

  /** Deploys one instance and completes with it once it listens. */
  public static Future<ApiServer> deploy(Vertx vertx, ApiConfig config, Pool pool, Nodestore nodestore) {
    return deploy(vertx, config, pool, nodestore, null);
  }

  /** Deploys one instance with the stats routes reading {@code clickhouse}. */
  public static Future<ApiServer> deploy(Vertx vertx, ApiConfig config, Pool pool, Nodestore nodestore,
      ClickHouseWriter clickhouse) {
    ApiServer verticle = new ApiServer(config, pool, nodestore, clickhouse);
    return vertx.deployVerticle(verticle).map(id -> verticle);
  }

  @Override
  public Future<?> start() {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.host())
        .setPort(config.port())
        .setCompressionSupported(true)
        .setIdleTimeout(60);
    server = vertx.createHttpServer(options).requestHandler(router());
    return server.listen().onSuccess(s -> LOG.info("API listening on {}:{}", config.host(), s.actualPort()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** The port the server listens on (useful when {@code api.port} is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  Router router() {
    ApiContext api = new ApiContext(config);
    ApiStore store = new ApiStore(pool);
    ApiTokens tokens = new ApiTokens(pool, config.tokenCacheSize(), config.tokenCacheTtlMs(), System::nanoTime);
    IssueListEndpoint issueList = new IssueListEndpoint(store, api);
    IssueDetailsEndpoint issue = new IssueDetailsEndpoint(store, api);
    EventEndpoints events = new EventEndpoints(store, nodestore);
    AttachmentEndpoints attachments = new AttachmentEndpoints(store, events);
    UserFeedbackEndpoint feedback = new UserFeedbackEndpoint(store, api);
    MonitorEndpoints monitors = new MonitorEndpoints(store, api);
    // the API reads and writes rules directly; the workers' rule cache picks changes up within its TTL
    RuleEndpoints rules = new RuleEndpoints(store, new RuleStore(pool, 1, 1, System::currentTimeMillis));

    Router router = Router.router(vertx);
    String[] issuePaths = {"/api/0/issues/:issue_id/", "/api/0/organizations/:org/issues/:issue_id/"};
    router.route().handler(TimeoutHandler.create(config.requestTimeoutMs(), 503));
    // Sentry's URLs end in '/', and Django redirects those that do not; answering them directly
    // saves the client a round trip
    router.route("/api/0/*").handler(ctx -> {
      String path = ctx.request().path();
      if (path.endsWith("/")) {
        ctx.next();
      } else {
        String query = ctx.request().query();
        ctx.reroute(path + "/" + (query == null ? "" : "?" + query));
      }
    });
    // the body handler must see the request before anything asynchronous (the token lookup) runs;
    // it is on the PUT routes only, so other paths still tell 404 from 405
    BodyHandler body = BodyHandler.create(false).setBodyLimit(config.maxBodyBytes());
    for (String path : issuePaths) {
      router.put(path).handler(body);
    }
    String rulesPath = "/api/0/projects/:org/:project/rules/";
    router.post(rulesPath).handler(body);
    router.put(rulesPath + ":rule_id/").handler(body);
    router.route("/api/0/*").handler(new TokenAuthHandler(tokens));

    router.get("/api/0/projects/:org/:project/issues/").handler(ApiContext.async(issueList::handle));
    for (String prefix : issuePaths) {
      router.get(prefix).handler(ApiContext.async(issue::get));
      router.put(prefix).handler(ApiContext.async(issue::put));
      router.get(prefix + "events/latest/").handler(ApiContext.async(events::latest));
    }
    router.get("/api/0/projects/:org/:project/events/:event_id/").handler(ApiContext.async(events::byId));
    router.get("/api/0/projects/:org/:project/events/:event_id/attachments/")
        .handler(ApiContext.async(attachments::list));
    router.get("/api/0/projects/:org/:project/events/:event_id/attachments/:attachment_id/")
        .handler(ApiContext.async(attachments::get));
    router.get("/api/0/projects/:org/:project/user-feedback/").handler(ApiContext.async(feedback::handle));
    router.get("/api/0/organizations/:org/monitors/").handler(ApiContext.async(monitors::list));
    router.get("/api/0/organizations/:org/monitors/:slug/checkins/").handler(ApiContext.async(monitors::checkins));
    router.get(rulesPath).handler(ApiContext.async(rules::list));
    router.post(rulesPath).handler(ApiContext.async(rules::create));
    router.get(rulesPath + ":rule_id/").handler(ApiContext.async(rules::get));
    router.put(rulesPath + ":rule_id/").handler(ApiContext.async(rules::update));
    router.delete(rulesPath + ":rule_id/").handler(ApiContext.async(rules::delete));
    if (clickhouse != null) {
      StatsEndpoints stats = new StatsEndpoints(pool, clickhouse, Instant::now);
      router.get("/api/0/organizations/:org/stats_v2/").handler(ApiContext.async(stats::outcomes));
      router.get("/api/0/organizations/:org/sessions/").handler(ApiContext.async(stats::sessions));
    }

    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> error(ctx, 404, ApiError.NOT_FOUND));
    router.errorHandler(405, ctx -> error(ctx, 405, "Method \"" + ctx.request().method() + "\" not allowed."));
    router.errorHandler(500, this::failure);
    return router;
  }

  private void failure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    if (cause instanceof ApiError e) {
      if (e.status() == 401) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"api\"");
      }
      LOG.debug("{} {} -> {} {}", ctx.request().method(), ctx.request().path(), e.status(), e.detail());
      error(ctx, e.status(), e.detail());
      return;
    }
    int status = ctx.statusCode();
    if (cause == null && status >= 400 && status < 500) {
      error(ctx, status, switch (status) {
        case 404 -> ApiError.NOT_FOUND;
        case 405 -> "Method \"" + ctx.request().method() + "\" not allowed.";
        case 413 -> "Request body too large: at most " + config.maxBodyBytes() + " bytes";
        default -> "Bad request";
      });
      return;
    }
    if (cause == null && status == 503) {
      LOG.warn("{} {} not answered within {} ms", ctx.request().method(), ctx.request().path(),
          config.requestTimeoutMs());
      error(ctx, 503, "The request took too long");
      return;
    }
    LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), cause);
    error(ctx, 500, "Internal Error");
  }

  private static void error(RoutingContext ctx, int status, String detail) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ApiContext.json(ctx, status, new JsonObject().put("detail", detail));
  }
}

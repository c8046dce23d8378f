package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Function;

/** What every endpoint shares: async handlers, JSON responses, scopes, URLs, paging parameters. */
final class ApiContext {

  static final String TOKEN_KEY = "lookout.api.token";
  private static final String JSON = "application/json";

  private final ApiConfig config;

  ApiContext(ApiConfig config) {
    this.config = config;
  }

  ApiConfig config() {
    return config;
  }

  /**
   * A route handler from an endpoint method: an {@link ApiError} thrown or failed with becomes the
   * failure handler's 4xx; the endpoint answers the request itself when its future succeeds.
   */
  static Handler<RoutingContext> async(Function<RoutingContext, Future<?>> endpoint) {
    return ctx -> {
      Future<?> done;
      try {
        done = endpoint.apply(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
        return;
      }
      done.onFailure(e -> {
        if (!ctx.response().ended() && !ctx.failed()) {
          ctx.fail(e);
        }
      });
    };
  }

  /** A 403 unless the request's token has {@code scope}. */
  static void require(RoutingContext ctx, String scope) {
    ApiTokens.Token token = ctx.get(TOKEN_KEY);
    if (token == null || !token.allows(scope)) {
      throw new ApiError(403, ApiError.NO_PERMISSION);
    }
  }

  static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    String text = body instanceof JsonObject o ? o.encode() : body instanceof JsonArray a ? a.encode()
        : String.valueOf(body);
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(text);
  }

  static void ok(RoutingContext ctx, Object body) {
    json(ctx, 200, body);
  }

  /** Where links point: {@code api.public_url}, else the scheme and Host of this request. */
  String baseUrl(RoutingContext ctx) {
    if (!config.publicUrl().isEmpty()) {
      return config.publicUrl();
    }
    HttpServerRequest request = ctx.request();
    String host = request.authority() != null ? request.authority().toString() : config.host() + ":" + config.port();
    return request.scheme() + "://" + host;
  }

  /** This request's absolute URL without its {@code cursor} parameter, for the {@code Link} header. */
  String urlWithoutCursor(RoutingContext ctx) {
    String query = ctx.request().query();
    StringBuilder kept = new StringBuilder();
    if (query != null) {
      for (String part : query.split("&")) {
        int eq = part.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
        if (!part.isEmpty() && !name.equals("cursor")) {
          kept.append(kept.isEmpty() ? "" : "&").append(part);
        }
      }
    }
    return baseUrl(ctx) + ctx.request().path() + (kept.isEmpty() ? "" : "?" + kept);
  }

  /** {@code limit}: the default when absent, clamped to the maximum, a 400 when not a positive number. */
  int limit(RoutingContext ctx) {
    String raw = ctx.request().getParam("limit");
    if (raw == null || raw.isEmpty()) {
      return config.defaultPageSize();
    }
    try {
      int limit = Integer.parseInt(raw.strip());
      if (limit < 1) {
        throw ApiError.badRequest("Invalid limit: must be at least 1");
      }
      return Math.min(limit, config.maxPageSize());
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Invalid limit: '" + raw + "' is not a number");
    }
  }

  static void link(RoutingContext ctx, String header) {
    ctx.response().putHeader("Link", header);
  }

  /** An event id from a URL as the 32 lower-case hex digits stored everywhere; a 404 if it is not one. */
  static String eventId(String raw) {
    String hex = raw == null ? "" : raw.replace("-", "").toLowerCase(Locale.ROOT);
    if (!hex.matches("[0-9a-f]{32}")) {
      throw ApiError.notFound();
    }
    return hex;
  }

  /** A numeric id from a URL; a 404 if it is not one. */
  static long id(String raw) {
    if (raw == null || !raw.matches("\\d{1,18}")) {
      throw ApiError.notFound();
    }
    return Long.parseLong(raw);
  }
}

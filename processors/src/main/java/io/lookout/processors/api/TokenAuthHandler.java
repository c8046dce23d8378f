package io.lookout.processors.api;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks {@code Authorization: Bearer <token>} before any route runs, with Sentry's answers: 401
 * {@code "Authentication credentials were not provided."} without a bearer token, 401
 * {@code "Invalid token"} for one that is not in {@code api_tokens}. The valid token is left in the
 * routing context for the scope checks.
 */
final class TokenAuthHandler implements Handler<RoutingContext> {

  /** Longer than any token Lookout or Sentry issues; longer ones are rejected before hashing. */
  private static final int MAX_TOKEN_LENGTH = 512;

  private final ApiTokens tokens;

  TokenAuthHandler(ApiTokens tokens) {
    this.tokens = tokens;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    String token = bearer(header);
    if (token == null) {
      ctx.fail(new ApiError(401, ApiError.NO_CREDENTIALS));
      return;
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      ctx.fail(new ApiError(401, ApiError.INVALID_TOKEN));
      return;
    }
    tokens.authenticate(token).onComplete(result -> {
      if (result.succeeded()) {
        ctx.put(ApiContext.TOKEN_KEY, result.result());
        ctx.next();
      } else {
        ctx.fail(result.cause());
      }
    });
  }

  /** The token of a {@code Bearer} header (scheme case-insensitive), or null. */
  static String bearer(String header) {
    if (header == null) {
      return null;
    }
    String h = header.strip();
    if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = h.substring(7).strip();
    return token.isEmpty() ? null : token;
  }
}

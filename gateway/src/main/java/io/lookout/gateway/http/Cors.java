package io.lookout.gateway.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * CORS as Relay answers browser SDKs (relay-server middlewares/cors.rs): any origin may POST;
 * the headers SDKs send are allowed; the rate-limit and error headers are exposed so a browser SDK
 * can back off.
 */
public final class Cors {

  static final String ALLOW_HEADERS = "x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept, "
      + "content-type, authentication, authorization, content-encoding, transfer-encoding";
  static final String EXPOSE_HEADERS = "x-sentry-error, x-sentry-rate-limits, retry-after";
  static final String METHODS = "GET, POST, OPTIONS";
  static final String MAX_AGE = "3600";

  private Cors() {
  }

  /** Adds the CORS response headers when the request comes from a browser (has an Origin). */
  public static void decorate(HttpServerRequest request, HttpServerResponse response) {
    String origin = request.getHeader("Origin");
    if (origin == null) {
      return;
    }
    MultiMap h = response.headers();
    h.set("Access-Control-Allow-Origin", origin);
    h.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    h.add("Vary", "Origin");
  }

  /** Answers a preflight {@code OPTIONS} request. */
  public static void preflight(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    String origin = request.getHeader("Origin");
    MultiMap h = response.headers();
    h.set("Access-Control-Allow-Origin", origin == null ? "*" : origin);
    h.set("Access-Control-Allow-Methods", METHODS);
    h.set("Access-Control-Allow-Headers", ALLOW_HEADERS);
    h.set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    h.set("Access-Control-Max-Age", MAX_AGE);
    h.add("Vary", "Origin");
    response.setStatusCode(200).end();
  }
}

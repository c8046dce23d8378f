package io.lookout.gateway.endpoint;

import io.lookout.gateway.http.Cors;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes the gateway's answers: JSON bodies, rejections, CORS headers. */
public final class Responses {

  private static final String JSON = "application/json";

  private Responses() {
  }

  public static void json(HttpServerRequest request, int status, JsonObject body) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    Cors.decorate(request, response);
    response.setStatusCode(status).putHeader("Content-Type", JSON).end(body.toBuffer());
  }

  public static void raw(HttpServerRequest request, int status, String contentType, Buffer body) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    Cors.decorate(request, response);
    response.setStatusCode(status).putHeader("Content-Type", contentType).end(body);
  }

  /**
   * Writes a rejection. When the request body was not read to its end (413 mid-body, overload),
   * the connection is closed after the answer: reading the rest only to discard it would let a
   * client keep the server busy.
   */
  public static void reject(HttpServerRequest request, Rejection rejection) {
    HttpServerResponse response = request.response();
    if (response.ended() || response.closed()) {
      return;
    }
    if (!request.isEnded() && request.version() != io.vertx.core.http.HttpVersion.HTTP_2) {
      response.putHeader("Connection", "close");
      response.endHandler(v -> request.connection().close());
    }
    json(request, rejection.status(), rejection.body());
  }
}

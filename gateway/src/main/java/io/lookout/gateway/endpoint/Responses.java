package io.lookout.gateway.endpoint;

import io.lookout.gateway.http.Cors;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
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

  /** How long a rejected request's unread body is still read and discarded before the close. */
  static final long LINGER_MS = 2000;

  /**
   * Closes the connection once the client has finished sending (or after {@link #LINGER_MS}),
   * discarding what it sends meanwhile. Closing at once would make the client's TCP stack reset
   * the connection while it is still writing, and a reset can destroy the answer before the client
   * reads it (the classic lingering-close problem of HTTP servers).
   */
  private static void lingeringClose(HttpServerRequest request) {
    request.response().putHeader("Connection", "close");
    Context context = Vertx.currentContext();
    Runnable close = () -> request.connection().close();
    long timer = context == null ? -1 : context.owner().setTimer(LINGER_MS, id -> close.run());
    request.handler(chunk -> { });
    request.endHandler(v -> {
      if (timer >= 0) {
        context.owner().cancelTimer(timer);
      }
      close.run();
    });
    request.resume();
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
    if (!request.isEnded() && request.version() != HttpVersion.HTTP_2) {
      lingeringClose(request);
    }
    json(request, rejection.status(), rejection.body());
  }
}

package io.lookout.gateway.http;

import io.lookout.gateway.endpoint.Rejection;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code multipart/form-data} body read into memory under the endpoint's size limit and the
 * process {@link MemoryBudget} (through a {@link RequestBody}'s reservation): files as {@link Part}s, plain fields as attributes.
 */
public record Multipart(List<Part> files, MultiMap attributes) {

  /** One uploaded file. */
  public record Part(String name, String filename, String contentType, Buffer data) {
  }

  /**
   * @param limit the most all files together may hold (413 beyond it)
   */
  public static Future<Multipart> read(HttpServerRequest request, long limit, RequestBody accounting,
      String tooLargeReason) {
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
      return Future.failedFuture(Rejection.invalid(415, "invalid_multipart", "invalid multipart data",
          "expected Content-Type multipart/form-data").exception());
    }
    Promise<Multipart> promise = Promise.promise();
    List<Part> files = new ArrayList<>();
    long[] total = {0};
    request.setExpectMultipart(true);
    request.uploadHandler(upload -> {
      Buffer data = Buffer.buffer();
      upload.handler(chunk -> {
        if (promise.future().isComplete()) {
          return;
        }
        total[0] += chunk.length();
        if (total[0] > limit) {
          promise.tryFail(Rejection.tooLarge(tooLargeReason, "payload too large",
              "multipart files exceed " + limit + " bytes").exception());
          return;
        }
        if (!accounting.reserve(chunk.length())) {
          promise.tryFail(Rejection.unavailable("failed to buffer request body",
              "request body memory budget exhausted").exception());
          return;
        }
        data.appendBuffer(chunk);
      });
      upload.endHandler(v -> files.add(new Part(upload.name(), upload.filename(), upload.contentType(), data)));
      upload.exceptionHandler(err -> promise.tryFail(Rejection.badRequest("invalid_multipart",
          "invalid multipart data", String.valueOf(err.getMessage())).exception()));
    });
    request.exceptionHandler(err -> promise.tryFail(Rejection.badRequest("invalid_multipart",
        "invalid multipart data", String.valueOf(err.getMessage())).exception()));
    request.endHandler(v -> promise.tryComplete(new Multipart(files, request.formAttributes())));
    return promise.future();
  }
}

package io.lookout.gateway.http;

import io.lookout.gateway.endpoint.Rejection;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a request body into memory under two bounds: the endpoint's size limit (413) and the
 * process-wide {@link MemoryBudget} (503), then decodes its {@code Content-Encoding} under the
 * same size limit. Bodies are read whole because envelopes are framed by length; the bounds keep
 * that safe. Whatever this reserves is released by {@link #release()} when the request ends.
 */
public final class RequestBody {

  /** Compressed bodies above this decode on a worker thread, not the event loop. */
  static final int INLINE_DECODE_MAX = 64 * 1024;

  private final MemoryBudget budget;
  private long reserved;
  private boolean released;

  public RequestBody(MemoryBudget budget) {
    this.budget = budget;
  }

  /**
   * @param limit the most the body may be, on the wire and decoded
   * @param tooLargeReason the outcome reason of a 413 (e.g. {@code too_large:envelope})
   */
  public Future<Buffer> read(Vertx vertx, HttpServerRequest request, long limit, String tooLargeReason) {
    String declared = request.getHeader("Content-Length");
    long declaredLength = 4096;
    if (declared != null) {
      try {
        declaredLength = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        return Future.failedFuture(Rejection.badRequest("payload", "invalid Content-Length").exception());
      }
      if (declaredLength > limit) {
        return Future.failedFuture(tooLarge(tooLargeReason, limit).exception());
      }
    }
    Promise<Buffer> promise = Promise.promise();
    // sized from the header, but only up to a bound: the memory budget is charged as bytes arrive,
    // so a mere claim of a large body must not allocate it
    Buffer body = Buffer.buffer(ContentDecoder.initialCapacity(declaredLength, limit));
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (body.length() + (long) chunk.length() > limit) {
        request.handler(null);
        promise.tryFail(tooLarge(tooLargeReason, limit).exception());
        return;
      }
      if (!reserve(chunk.length())) {
        request.handler(null);
        promise.tryFail(Rejection.unavailable("failed to buffer request body",
            "request body memory budget exhausted").exception());
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(err -> promise.tryFail(Rejection.badRequest("payload",
        "failed to read request body", err.getMessage() == null ? err.toString() : err.getMessage()).exception()));
    request.endHandler(v -> promise.tryComplete(body));
    return promise.future().compose(raw -> decode(vertx, raw, request.getHeader("Content-Encoding"), limit,
        tooLargeReason));
  }

  private Future<Buffer> decode(Vertx vertx, Buffer raw, String encoding, long limit, String tooLargeReason) {
    if (!ContentDecoder.isEncoded(encoding)) {
      return Future.succeededFuture(raw);
    }
    if (raw.length() <= INLINE_DECODE_MAX) {
      try {
        return Future.succeededFuture(decodeNow(raw, encoding, limit, tooLargeReason));
      } catch (Rejection.RejectedException e) {
        return Future.failedFuture(e);
      }
    }
    return vertx.executeBlocking(() -> decodeNow(raw, encoding, limit, tooLargeReason), false);
  }

  private Buffer decodeNow(Buffer raw, String encoding, long limit, String tooLargeReason) {
    try {
      Buffer decoded = ContentDecoder.decode(raw, encoding, limit);
      if (decoded != raw && !reserve(decoded.length())) {
        throw Rejection.unavailable("failed to buffer request body", "request body memory budget exhausted")
            .exception();
      }
      return decoded;
    } catch (ContentDecoder.TooLargeException e) {
      throw tooLarge(tooLargeReason, limit).exception();
    } catch (ContentDecoder.MalformedException e) {
      throw Rejection.badRequest("payload", "failed to decompress request body", e.getMessage()).exception();
    } catch (ContentDecoder.UnsupportedEncodingException e) {
      throw Rejection.invalid(415, "payload", "unsupported content encoding", e.getMessage()).exception();
    }
  }

  private static Rejection tooLarge(String reason, long limit) {
    return Rejection.tooLarge(reason, "payload too large", "request body exceeds " + limit + " bytes");
  }

  /** Reserves {@code bytes} more of the budget for this request; false when the budget is spent. */
  public synchronized boolean reserve(long bytes) {
    if (released || !budget.tryReserve(bytes)) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  /** Gives back what this body reserved; safe to call twice. */
  public synchronized void release() {
    if (!released) {
      released = true;
      budget.release(reserved);
    }
  }
}

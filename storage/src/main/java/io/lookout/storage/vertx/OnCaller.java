package io.lookout.storage.vertx;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * Brings the completion of a client's future back to the thread that made the call.
 *
 * <p>Pooled clients (Redis, Postgres) answer on the event loop of the connection that carried the
 * call, which is the event loop that opened it. When verticles on several event loops share a
 * client, a continuation chained on its future (parsing, grouping, encoding...) runs on that one
 * thread while the others idle: on two cores the inline pipeline used one event loop for all its
 * consumers. Capture the caller's context with {@link #capture()} before the call, then complete
 * the future there.
 */
public final class OnCaller {

  private final Context context;
  private final Thread thread;

  private OnCaller(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }

  /** The current thread's context; completions pass through unchanged when there is none. */
  public static OnCaller capture() {
    return new OnCaller(Vertx.currentContext(), Thread.currentThread());
  }

  /**
   * {@code future}, completed on the captured context's thread: at once when it completes there,
   * else through that context's task queue.
   */
  public <T> Future<T> resume(Future<T> future) {
    if (context == null || (future.isComplete() && Thread.currentThread() == thread)) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> {
      if (Thread.currentThread() == thread) {
        promise.handle(result);
      } else {
        context.runOnContext(v -> promise.handle(result));
      }
    });
    return promise.future();
  }
}

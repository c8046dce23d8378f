package io.lookout.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What must happen once a request is over, whichever way it ends: its response was written, or its
 * connection closed first (the client went away, or pipelined and HTTP/2 requests share a
 * connection). A response has one end and one close handler; this owns both, so the parts of a
 * request (the in-flight slot, the body's memory reservation) can each register their cleanup
 * without replacing another's. One instance per event loop, no locks.
 */
public final class RequestScopes {

  private final Map<HttpServerRequest, List<Runnable>> open = new IdentityHashMap<>();

  /** Starts tracking {@code request}; {@code onDone} and later cleanups run once when it is over. */
  public void open(HttpServerRequest request, Runnable onDone) {
    List<Runnable> cleanups = new ArrayList<>(2);
    cleanups.add(onDone);
    open.put(request, cleanups);
    Handler<Void> done = v -> {
      List<Runnable> toRun = open.remove(request);
      if (toRun != null) {
        toRun.forEach(Runnable::run);
      }
    };
    request.response().endHandler(done);
    request.response().closeHandler(done);
  }

  /** Runs {@code cleanup} when the request is over, or now if it already is (or is not tracked). */
  public void onDone(HttpServerRequest request, Runnable cleanup) {
    List<Runnable> cleanups = open.get(request);
    if (cleanups == null) {
      cleanup.run();
    } else {
      cleanups.add(cleanup);
    }
  }

  /** Requests not over yet (a gauge of this loop's share of the in-flight requests). */
  public int size() {
    return open.size();
  }
}

package io.lookout.loadtest;

import io.lookout.loadtest.SdkEnvelopes.Body;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientConnection;
import io.vertx.core.http.HttpConnectOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load generator: {@code connections} keep-alive connections to
 * 127.0.0.1, each with one request in flight, each sending the next body as soon as the previous
 * answer has been read. A run stops issuing requests when its time is up and ends when the last
 * answer is in; the same connections serve the next run. Each connection lives on one event loop
 * and keeps its own counters, merged at the end, so recording takes no lock.
 */
public final class ClosedLoopLoad {

  /** Answers and transport failures slower than this are recorded as this. */
  private static final long MAX_LATENCY_MICROS = TimeUnit.SECONDS.toMicros(60);
  /** Every request gets its answer within this or counts as a failure. */
  private static final long REQUEST_TIMEOUT_MS = 30_000;

  /** What one run measured. */
  public record Result(long requests, long elapsedNanos, SortedMap<Integer, Long> statuses, long failures,
      String firstFailure, Histogram latencyMicros, long[] okPerBody) {

    public double requestsPerSecond() {
      return requests * 1e9 / elapsedNanos;
    }

    /** Answers other than 200 plus requests that got no answer. */
    public long notOk() {
      return requests - statuses.getOrDefault(200, 0L);
    }

    public double percentileMillis(double percentile) {
      return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    /** 200s of the body at {@code index} in the body list. */
    public long ok(int index) {
      return okPerBody[index];
    }
  }

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final int port;
  private final SdkEnvelopes.Bodies bodies;
  private final MultiMap headers;
  private final List<Worker> workers = new ArrayList<>();

  private ClosedLoopLoad(Vertx vertx, HttpClientAgent client, int port, SdkEnvelopes.Bodies bodies) {
    this.vertx = vertx;
    this.client = client;
    this.port = port;
    this.bodies = bodies;
    this.headers = MultiMap.caseInsensitiveMultiMap().addAll(bodies.headers());
  }

  /**
   * Opens {@code connections} connections to {@code 127.0.0.1:port}, spread evenly over
   * {@code eventLoops} contexts (see {@link #eventLoopContexts}).
   */
  public static Future<ClosedLoopLoad> open(Vertx vertx, HttpClientAgent client, List<Context> eventLoops,
      int port, SdkEnvelopes.Bodies bodies, int connections) {
    if (connections < 1) {
      throw new IllegalArgumentException("at least one connection, got " + connections);
    }
    ClosedLoopLoad load = new ClosedLoopLoad(vertx, client, port, bodies);
    List<Future<Void>> opened = new ArrayList<>(connections);
    int stride = Math.max(1, bodies.bodies().size() / connections);
    for (int i = 0; i < connections; i++) {
      Worker worker = load.new Worker(eventLoops.get(i % eventLoops.size()), i * stride);
      load.workers.add(worker);
      opened.add(worker.connect());
    }
    return Future.all(opened).map(load);
  }

  /**
   * One context on each of {@code count} event loops. {@code vertx.getOrCreateContext()} called
   * from a thread outside Vert.x answers the same (sticky) context every time, which would put
   * every connection on one event loop; each instance of a verticle gets the next event loop.
   */
  public static Future<List<Context>> eventLoopContexts(Vertx vertx, int count) {
    List<Context> contexts = Collections.synchronizedList(new ArrayList<>());
    return vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(count)).map(id -> List.copyOf(contexts));
  }

  /**
   * Runs every connection's loop for {@code duration}; the result counts every request issued
   * before the end, including the answers that arrive after it.
   */
  public Future<Result> run(Duration duration) {
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    List<Future<Void>> loops = new ArrayList<>(workers.size());
    for (Worker worker : workers) {
      loops.add(worker.run(deadline));
    }
    return Future.all(loops).map(done -> merge(System.nanoTime() - start));
  }

  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    for (Worker worker : workers) {
      if (worker.connection != null) {
        closed.add(worker.connection.close());
      }
    }
    return Future.join(closed).mapEmpty();
  }

  private Result merge(long elapsedNanos) {
    Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    SortedMap<Integer, Long> statuses = new TreeMap<>();
    long[] okPerBody = new long[bodies.bodies().size()];
    long requests = 0;
    long failures = 0;
    String firstFailure = null;
    for (Worker w : workers) {
      latency.add(w.latency);
      requests += w.requests;
      failures += w.failures;
      if (firstFailure == null) {
        firstFailure = w.firstFailure;
      }
      for (int s = 0; s < w.statuses.length; s++) {
        if (w.statuses[s] > 0) {
          statuses.merge(s, w.statuses[s], Long::sum);
        }
      }
      for (int b = 0; b < okPerBody.length; b++) {
        okPerBody[b] += w.okPerBody[b];
      }
    }
    return new Result(requests, elapsedNanos, Collections.unmodifiableSortedMap(statuses), failures,
        firstFailure, latency, okPerBody);
  }

  /** One connection and its loop; touched only on its context's event loop. */
  private final class Worker {

    private final Context context;
    private final RequestOptions options;
    private int next;
    private HttpClientConnection connection;
    private Promise<Void> done;
    private long deadline;
    private Histogram latency;
    private long requests;
    private long failures;
    private String firstFailure;
    private long[] statuses;
    private long[] okPerBody;

    Worker(Context context, int firstBody) {
      this.context = context;
      this.next = firstBody;
      this.options = new RequestOptions().setMethod(HttpMethod.POST).setURI(bodies.path())
          .setHeaders(headers).setTimeout(REQUEST_TIMEOUT_MS);
    }

    Future<Void> connect() {
      Promise<Void> connected = Promise.promise();
      context.runOnContext(v -> client.connect(new HttpConnectOptions().setHost("127.0.0.1").setPort(port)
              .setConnectTimeout(10_000))
          .onSuccess(c -> connection = c)
          .<Void>mapEmpty()
          .onComplete(connected));
      return connected.future();
    }

    Future<Void> run(long deadline) {
      Promise<Void> finished = Promise.promise();
      context.runOnContext(v -> {
        this.deadline = deadline;
        this.done = finished;
        latency = new Histogram(MAX_LATENCY_MICROS, 3);
        requests = 0;
        failures = 0;
        firstFailure = null;
        statuses = new long[600];
        okPerBody = new long[bodies.bodies().size()];
        send();
      });
      return finished.future();
    }

    private void send() {
      if (System.nanoTime() - deadline >= 0) {
        done.complete();
        return;
      }
      if (connection == null) {
        connect().onComplete(ar -> {
          if (ar.failed()) {
            requests++;
            fail(ar.cause(), System.nanoTime());
          } else {
            send();
          }
        });
        return;
      }
      int index = next++ % bodies.bodies().size();
      Body body = bodies.bodies().get(index);
      long start = System.nanoTime();
      requests++;
      connection.request(options)
          .compose(request -> request.send(Buffer.buffer(body.gzipped())))
          .compose(response -> response.body().map(b -> response.statusCode()))
          .onComplete(ar -> {
            if (ar.succeeded()) {
              record(start);
              int status = ar.result();
              statuses[Math.min(status, statuses.length - 1)]++;
              if (status == 200) {
                okPerBody[index]++;
              }
              send();
            } else {
              fail(ar.cause(), start);
            }
          });
    }

    /** A request without an answer: counted, then the loop goes on over a new connection. */
    private void fail(Throwable cause, long start) {
      record(start);
      failures++;
      if (firstFailure == null) {
        firstFailure = cause.toString();
      }
      HttpClientConnection broken = connection;
      connection = null;
      if (broken != null) {
        broken.close();
      }
      // a refused connection would spin: give the server a moment
      vertx.setTimer(10, t -> context.runOnContext(v -> send()));
    }

    private void record(long start) {
      latency.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - start) / 1000));
    }
  }
}

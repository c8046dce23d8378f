package io.lookout.loadtest;

import io.sentry.Attachment;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.ISpan;
import io.sentry.ITransaction;
import io.sentry.Instrumenter;
import io.sentry.RequestDetails;
import io.sentry.Sentry;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryEvent;
import io.sentry.SentryInstantDate;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.SpanStatus;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;
import io.sentry.protocol.Request;
import io.sentry.protocol.TransactionNameSource;
import io.sentry.protocol.User;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.zip.GZIPOutputStream;

/**
 * Request bodies made by the real Sentry Java SDK ({@code io.sentry:sentry}): the SDK captures
 * errors, transactions, sessions and errors with an attachment through its own event processors
 * and scope, and hands each envelope to a transport of ours, which serializes it with the SDK's
 * serializer and gzips it exactly as the SDK's {@code HttpConnection} does. The headers are the
 * SDK's too ({@code X-Sentry-Auth}, {@code User-Agent} from its {@link RequestDetails}, plus the
 * fixed ones its connection sets) except {@code Connection: close}, which the SDK sends and a
 * keep-alive load generator must not.
 *
 * <p>The mix, per 20 bodies: 14 errors, 4 transactions, 1 session update (a session's start or
 * its end), 1 error with an attachment. The same seed gives the same shapes (ids and timestamps differ per run).
 */
public final class SdkEnvelopes {

  /** What an envelope carries, and so where the gateway writes it. */
  public enum Kind {
    /** an exception event: one record on {@code ingest-events} */
    ERROR,
    /** a transaction with spans: one record on {@code ingest-transactions} */
    TRANSACTION,
    /** a session update: one record on {@code ingest-sessions} */
    SESSION,
    /** an exception with a small log attachment: a chunk and the event on {@code ingest-attachments} */
    ATTACHMENT
  }

  /**
   * One request body: gzipped envelope bytes, their uncompressed size, and how many items of each
   * type ({@code event}, {@code session}...) the SDK put in: an error captured while a session is
   * open also carries the session's update.
   */
  public record Body(Kind kind, byte[] gzipped, int rawSize, Map<String, Integer> items) {

    public int items(String type) {
      return items.getOrDefault(type, 0);
    }
  }

  /** The bodies and the HTTP request they go in. */
  public record Bodies(String path, Map<String, String> headers, List<Body> bodies) {

    public long totalGzipped() {
      return bodies.stream().mapToLong(b -> b.gzipped().length).sum();
    }

    public long totalRaw() {
      return bodies.stream().mapToLong(Body::rawSize).sum();
    }

    public long count(Kind kind) {
      return bodies.stream().filter(b -> b.kind() == kind).count();
    }
  }

  private static final Kind[] MIX = {
      Kind.ERROR, Kind.TRANSACTION, Kind.ERROR, Kind.ERROR, Kind.ERROR, Kind.TRANSACTION, Kind.ERROR,
      Kind.ERROR, Kind.SESSION, Kind.ERROR, Kind.TRANSACTION, Kind.ERROR, Kind.ERROR, Kind.ERROR,
      Kind.ATTACHMENT, Kind.ERROR, Kind.TRANSACTION, Kind.ERROR, Kind.ERROR, Kind.ERROR};

  private static final String[] ROUTES = {"/api/orders", "/api/orders/{id}/pay", "/api/cart/{id}/items",
      "/api/invoices/{id}", "/api/search", "/api/customers/{id}"};
  private static final String[] METHODS = {"GET", "GET", "POST", "PUT"};
  private static final String[] BROWSERS = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "okhttp/4.12.0", "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"};
  private static final String[] QUERIES = {
      "select o.id, o.status, o.total from orders o where o.customer_id = ? and o.created_at > ?",
      "update stock set reserved = reserved + ? where sku = ? and reserved + ? <= quantity",
      "select c.* from customers c where c.id = ?",
      "insert into invoices (order_id, amount, currency, issued_at) values (?, ?, ?, ?)",
      "select p.id, p.name, p.price from products p where p.sku in (?, ?, ?, ?, ?, ?)"};

  private final Random random;

  private SdkEnvelopes(long seed) {
    this.random = new Random(seed);
  }

  /**
   * {@code count} bodies for the project of {@code dsn} (the SDK puts its key into
   * {@code X-Sentry-Auth} and the envelope's trace header).
   */
  public static Bodies build(String dsn, int count, long seed) {
    if (count < 1) {
      throw new IllegalArgumentException("at least one body, got " + count);
    }
    return new SdkEnvelopes(seed).capture(dsn, count);
  }

  private Bodies capture(String dsn, int count) {
    CapturingTransport transport = new CapturingTransport();
    RequestDetails[] details = new RequestDetails[1];
    Sentry.init(options -> {
      options.setDsn(dsn);
      options.setRelease("shop-backend@2.14.3");
      options.setEnvironment("production");
      options.setServerName("shop-web-3");
      options.setTracesSampleRate(1.0);
      options.addInAppInclude("com.acme");
      options.setEnableAutoSessionTracking(false);
      options.setSendClientReports(false);
      options.setEnableUncaughtExceptionHandler(false);
      options.setEnableShutdownHook(false);
      options.setEnableExternalConfiguration(false);
      options.setTransportFactory((opts, requestDetails) -> {
        transport.options = opts;
        details[0] = requestDetails;
        return transport;
      });
    });
    try {
      boolean sessionOpen = false;
      List<Body> bodies = new ArrayList<>(count);
      for (int i = 0; bodies.size() < count; i++) {
        Kind kind = MIX[i % MIX.length];
        transport.captured.clear();
        switch (kind) {
          case ERROR -> captureError(null);
          case ATTACHMENT -> captureError(logAttachment());
          case TRANSACTION -> captureTransaction();
          case SESSION -> {
            // one update per body: the session's start, then (next time) its end
            if (sessionOpen) {
              Sentry.endSession();
            } else {
              Sentry.startSession();
            }
            sessionOpen = !sessionOpen;
          }
        }
        for (Captured c : transport.captured) {
          if (bodies.size() < count) {
            bodies.add(new Body(kind, gzip(c.raw()), c.raw().length, c.items()));
          }
        }
      }
      Map<String, String> headers = new LinkedHashMap<>(details[0].getHeaders());
      // HttpConnection.createConnection sets these on every request (and Connection: close)
      headers.put("Content-Encoding", "gzip");
      headers.put("Content-Type", "application/x-sentry-envelope");
      headers.put("Accept", "application/json");
      return new Bodies(details[0].getUrl().getPath(), Collections.unmodifiableMap(headers),
          List.copyOf(bodies));
    } finally {
      Sentry.close();
    }
  }

  private void captureError(Attachment attachment) {
    Throwable error = throwable();
    SentryEvent event = new SentryEvent(error);
    event.setLevel(random.nextInt(10) == 0 ? SentryLevel.FATAL : SentryLevel.ERROR);
    event.setLogger(pick(SentryEventGenerator.APP_FRAMES)[0]);
    event.setRequest(request());
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("order_id", 100_000 + random.nextInt(900_000));
    extra.put("cart_size", 1 + random.nextInt(20));
    event.setExtras(extra);
    Hint hint = attachment == null ? new Hint() : Hint.withAttachment(attachment);
    Sentry.captureEvent(event, hint, scope -> {
      scope.setUser(user());
      scope.setTag("region", pick(new String[] {"eu-west-1", "us-east-1", "ap-south-1"}));
      scope.setTag("feature", pick(new String[] {"checkout", "search", "billing", "inventory"}));
      scope.setTag("tenant", "tenant-" + random.nextInt(200));
      scope.setTag("pod", "shop-web-" + random.nextInt(12) + "-" + Integer.toHexString(random.nextInt()));
      scope.setTag("http.method", pick(METHODS));
      scope.setContexts("order", Map.of("id", random.nextInt(1_000_000), "currency", "EUR",
          "items", 1 + random.nextInt(12)));
      Instant start = Instant.now().minusSeconds(30);
      int crumbs = 10 + random.nextInt(31);
      for (int c = 0; c < crumbs; c++) {
        scope.addBreadcrumb(breadcrumb(start.plusMillis(c * 700L + random.nextInt(700))));
      }
    });
  }

  private void captureTransaction() {
    Instant start = Instant.now().minusMillis(50 + random.nextInt(2000));
    TransactionOptions options = new TransactionOptions();
    options.setBindToScope(false);
    options.setStartTimestamp(new SentryInstantDate(start));
    String route = pick(ROUTES);
    String method = pick(METHODS);
    ITransaction tx = Sentry.startTransaction(
        new TransactionContext(method + " " + route, TransactionNameSource.ROUTE, "http.server"), options);
    tx.setTag("http.method", method);
    tx.setTag("region", pick(new String[] {"eu-west-1", "us-east-1"}));
    tx.setData("http.route", route);
    int spans = 5 + random.nextInt(26);
    long offset = 1;
    for (int s = 0; s < spans; s++) {
      boolean db = random.nextInt(3) > 0;
      Instant spanStart = start.plusMillis(offset);
      ISpan span = db
          ? tx.startChild("db.sql.query", pick(QUERIES), new SentryInstantDate(spanStart), Instrumenter.SENTRY)
          : tx.startChild("http.client", "GET http://pricing.internal/api/v2/quote?sku=SKU-"
              + random.nextInt(99_999), new SentryInstantDate(spanStart), Instrumenter.SENTRY);
      if (db) {
        span.setData("db.system", "postgresql");
        span.setData("db.name", "shop");
      } else {
        span.setData("http.response.status_code", 200);
      }
      long duration = 1 + random.nextInt(db ? 40 : 200);
      offset += duration + random.nextInt(5);
      span.finish(SpanStatus.OK, new SentryInstantDate(spanStart.plusMillis(duration)));
    }
    tx.finish(random.nextInt(20) == 0 ? SpanStatus.INTERNAL_ERROR : SpanStatus.OK,
        new SentryInstantDate(start.plusMillis(offset + 2)));
  }

  private Throwable throwable() {
    int depth = random.nextInt(3) == 0 ? 2 : 1;
    Throwable cause = null;
    for (int d = 0; d < depth; d++) {
      int n = 1_000 + random.nextInt(90_000);
      int m = 1 + random.nextInt(64);
      Throwable t = switch (random.nextInt(6)) {
        case 0 -> new IllegalStateException("Order " + n + " is already being processed by worker " + m, cause);
        case 1 -> new NullPointerException(
            "Cannot invoke \"Customer.getAddress()\" because \"c\" is null (id " + n + ")");
        case 2 -> new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request "
            + "timed out after " + n + "ms (total=" + m + ")", "08001", cause);
        case 3 -> new TimeoutException("Payment provider did not answer within " + n + " ms (attempt " + m + ")");
        case 4 -> new UncheckedIOException("Connection reset by peer reading invoice INV-" + n,
            new IOException("Connection reset"));
        default -> new IllegalArgumentException("Unknown SKU 'SKU-" + n + "' in cart of size " + m, cause);
      };
      if (cause != null && t.getCause() == null) {
        t.initCause(cause);
      }
      t.setStackTrace(stackTrace());
      cause = t;
    }
    return cause;
  }

  /** 10-40 frames: the thrower's app frames on top of a framework's, shallow traces more often. */
  private StackTraceElement[] stackTrace() {
    int frames = 10 + Math.min(random.nextInt(31), random.nextInt(31));
    List<StackTraceElement> trace = new ArrayList<>(frames);
    int app = 2 + random.nextInt(Math.max(1, frames / 3));
    for (int f = 0; f < frames; f++) {
      String[][] lib = SentryEventGenerator.LIB_FRAMES;
      String[] frame = f < app ? pick(SentryEventGenerator.APP_FRAMES) : lib[(f - app) % lib.length];
      trace.add(new StackTraceElement(frame[0], frame[2], frame[1], 20 + random.nextInt(400)));
    }
    return trace.toArray(StackTraceElement[]::new);
  }

  private Breadcrumb breadcrumb(Instant at) {
    Breadcrumb crumb = new Breadcrumb(Date.from(at));
    switch (random.nextInt(4)) {
      case 0 -> {
        crumb.setType("http");
        crumb.setCategory("http");
        crumb.setData("url", "http://pricing.internal/api/v2/quote?sku=SKU-" + random.nextInt(99_999));
        crumb.setData("method", "GET");
        crumb.setData("status_code", random.nextInt(10) == 0 ? 503 : 200);
      }
      case 1 -> {
        crumb.setType("query");
        crumb.setCategory("db.sql.query");
        crumb.setMessage(pick(QUERIES));
      }
      case 2 -> {
        crumb.setCategory(pick(SentryEventGenerator.APP_FRAMES)[0]);
        crumb.setMessage("reserved " + (1 + random.nextInt(5)) + " item(s) of SKU-" + random.nextInt(99_999)
            + " for order " + random.nextInt(1_000_000));
        crumb.setLevel(SentryLevel.INFO);
      }
      default -> {
        crumb.setCategory("com.zaxxer.hikari.pool.HikariPool");
        crumb.setMessage("HikariPool-1 - Pool stats (total=10, active=" + random.nextInt(11)
            + ", idle=" + random.nextInt(11) + ", waiting=" + random.nextInt(4) + ")");
        crumb.setLevel(SentryLevel.DEBUG);
      }
    }
    return crumb;
  }

  private Request request() {
    Request request = new Request();
    String route = pick(ROUTES).replace("{id}", Integer.toString(random.nextInt(1_000_000)));
    request.setUrl("https://shop.example.com" + route);
    request.setMethod(pick(METHODS));
    request.setQueryString("page=" + random.nextInt(20) + "&size=50");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("User-Agent", pick(BROWSERS));
    headers.put("Accept", "application/json");
    headers.put("Accept-Language", "en-US,en;q=0.9");
    headers.put("X-Request-Id", Long.toHexString(random.nextLong()));
    request.setHeaders(headers);
    return request;
  }

  private User user() {
    User user = new User();
    int id = random.nextInt(500_000);
    user.setId(Integer.toString(id));
    user.setUsername("customer" + id);
    user.setEmail("customer" + id + "@example.com");
    user.setIpAddress("10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
    return user;
  }

  private Attachment logAttachment() {
    StringBuilder log = new StringBuilder();
    int lines = 50 + random.nextInt(200);
    for (int l = 0; l < lines; l++) {
      log.append("2025-06-01T12:00:").append(String.format("%02d", l % 60)).append(".123Z INFO  [http-nio-8080-exec-")
          .append(random.nextInt(200)).append("] c.a.s.o.OrderService - processed order ")
          .append(random.nextInt(1_000_000)).append('\n');
    }
    return new Attachment(log.toString().getBytes(StandardCharsets.UTF_8), "app.log", "text/plain");
  }

  private <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Gzip as the SDK's HttpConnection does: a default {@link GZIPOutputStream} over the serialized envelope. */
  private static byte[] gzip(byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 3 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private record Captured(byte[] raw, Map<String, Integer> items) {
  }

  /**
   * Receives what the SDK would send: sets {@code sent_at} as the SDK's {@code AsyncHttpTransport}
   * does, then serializes with the SDK's serializer.
   */
  private static final class CapturingTransport implements ITransport {

    private final List<Captured> captured = new ArrayList<>();
    private SentryOptions options;
    private RateLimiter rateLimiter;

    @Override
    public void send(SentryEnvelope envelope, Hint hint) throws IOException {
      envelope.getHeader().setSentAt(new Date());
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      try {
        options.getSerializer().serialize(envelope, out);
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException("the SDK could not serialize an envelope", e);
      }
      Map<String, Integer> items = new TreeMap<>();
      for (SentryEnvelopeItem item : envelope.getItems()) {
        items.merge(item.getHeader().getType().getItemType(), 1, Integer::sum);
      }
      captured.add(new Captured(out.toByteArray(), Collections.unmodifiableMap(items)));
    }

    @Override
    public void flush(long timeoutMillis) {
    }

    @Override
    public RateLimiter getRateLimiter() {
      if (rateLimiter == null) {
        rateLimiter = new RateLimiter(options);
      }
      return rateLimiter;
    }

    @Override
    public void close(boolean isRestarting) {
    }

    @Override
    public void close() {
    }
  }
}

package io.lookout.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Sentry error events as the Java SDK sends them after normalization: an exception (sometimes with a
 * cause) with a stack trace of 10-40 frames, breadcrumbs, tags, contexts, user, request and sdk.
 * Each event aims at a size drawn between 2 and 5 KB: a deep trace that would pass 5 KB loses its
 * oldest frames (as SDKs trim long traces), a shallow one gets more breadcrumbs. The same seed gives
 * the same events.
 *
 * <p>By default every event draws its exception chain afresh, so nearly every event is an issue of
 * its own. With {@code issues > 0} the chains come from that many fixed "issue shapes" (exception
 * types, frames, line numbers; only the messages, thread ids and {@code handled} vary), picked
 * uniformly: Sentry's grouping puts the events into exactly that many issues. A shape's trace is
 * trimmed once, when the shape is made, so that no event needs trimming and every event of a shape
 * keeps the same frames.
 */
public final class SentryEventGenerator {

  /** Shared with {@link SdkEnvelopes}: the same realistic stack frames. */
  static final String[][] APP_FRAMES = {
      {"com.acme.shop.orders.OrderController", "OrderController.java", "placeOrder"},
      {"com.acme.shop.orders.OrderService", "OrderService.java", "submit"},
      {"com.acme.shop.orders.OrderService", "OrderService.java", "lambda$submit$3"},
      {"com.acme.shop.billing.PaymentGateway", "PaymentGateway.java", "charge"},
      {"com.acme.shop.billing.InvoiceRenderer", "InvoiceRenderer.java", "render"},
      {"com.acme.shop.inventory.StockRepository", "StockRepository.java", "reserve"},
      {"com.acme.shop.inventory.StockRepository", "StockRepository.java", "findBySku"},
      {"com.acme.shop.customers.CustomerCache", "CustomerCache.java", "get"},
      {"com.acme.shop.search.ProductIndexer", "ProductIndexer.java", "reindex"},
      {"com.acme.shop.shipping.RateCalculator", "RateCalculator.java", "quote"},
  };
  /** Shared with {@link SdkEnvelopes}: the same realistic stack frames. */
  static final String[][] LIB_FRAMES = {
      {"java.lang.Thread", "Thread.java", "run"},
      {"java.util.concurrent.ThreadPoolExecutor$Worker", "ThreadPoolExecutor.java", "run"},
      {"java.util.concurrent.ThreadPoolExecutor", "ThreadPoolExecutor.java", "runWorker"},
      {"org.apache.tomcat.util.threads.TaskThread$WrappingRunnable", "TaskThread.java", "run"},
      {"org.apache.coyote.AbstractProtocol$ConnectionHandler", "AbstractProtocol.java", "process"},
      {"org.apache.catalina.core.StandardWrapperValve", "StandardWrapperValve.java", "invoke"},
      {"org.apache.catalina.core.ApplicationFilterChain", "ApplicationFilterChain.java", "doFilter"},
      {"org.springframework.web.filter.OncePerRequestFilter", "OncePerRequestFilter.java", "doFilter"},
      {"org.springframework.web.servlet.FrameworkServlet", "FrameworkServlet.java", "processRequest"},
      {"org.springframework.web.servlet.DispatcherServlet", "DispatcherServlet.java", "doDispatch"},
      {"org.springframework.web.method.support.InvocableHandlerMethod", "InvocableHandlerMethod.java",
          "invokeForRequest"},
      {"jdk.internal.reflect.DirectMethodHandleAccessor", "DirectMethodHandleAccessor.java", "invoke"},
      {"java.lang.reflect.Method", "Method.java", "invoke"},
      {"org.springframework.aop.framework.ReflectiveMethodInvocation", "ReflectiveMethodInvocation.java",
          "proceed"},
      {"org.springframework.transaction.interceptor.TransactionInterceptor", "TransactionInterceptor.java",
          "invoke"},
      {"com.zaxxer.hikari.pool.HikariProxyPreparedStatement", "HikariProxyPreparedStatement.java",
          "executeQuery"},
      {"org.hibernate.engine.jdbc.internal.ResultSetReturnImpl", "ResultSetReturnImpl.java", "extract"},
      {"com.fasterxml.jackson.databind.ObjectMapper", "ObjectMapper.java", "readValue"},
  };
  private static final String[][] EXCEPTIONS = {
      {"java.lang", "IllegalStateException", "Order %d is already being processed by worker %d"},
      {"java.lang", "NullPointerException", "Cannot invoke \"Customer.getAddress()\" because \"c\" is null (id %d/%d)"},
      {"java.sql", "SQLTransientConnectionException", "HikariPool-1 - Connection is not available, request timed "
          + "out after %dms (total=%d)"},
      {"java.util.concurrent", "TimeoutException", "Payment provider did not answer within %d ms (attempt %d)"},
      {"com.acme.shop.billing", "CardDeclinedException", "Card declined: code %d for invoice INV-%d"},
      {"java.lang", "IllegalArgumentException", "Unknown SKU 'SKU-%d' in cart of size %d"},
  };
  private static final String[] URLS = {"/api/orders", "/api/orders/%d/pay", "/api/cart/%d/items",
      "/api/invoices/%d", "/api/search?q=item%d", "/api/customers/%d"};
  private static final String[] ENVIRONMENTS = {"production", "production", "production", "staging"};
  private static final String[] BROWSERS = {
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "okhttp/4.12.0", "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"};

  private static final int MIN_SIZE = 2 * 1024;
  private static final int MAX_SIZE = 5 * 1024;
  /**
   * The most an issue shape's exception chain may weigh (encoded, with the longest messages): the
   * rest of an event without breadcrumbs stays below {@code MAX_SIZE} minus this.
   */
  static final int SHAPE_MAX_BYTES = 3 * 1024;
  /** The shapes come from a random of their own, so that they do not depend on the events drawn. */
  private static final long SHAPE_SALT = 0x155E_5EEDL;

  private final Random random;
  private final HexFormat hex = HexFormat.of();
  /** The issue shapes' exception chains (oldest first); empty when every event draws its own. */
  private final List<JsonArray> shapes;

  public SentryEventGenerator(long seed) {
    this(seed, 0);
  }

  /**
   * @param issues 0: every event draws its exception chain afresh (nearly every event is its own
   *     issue); N: the chains come from N distinct issue shapes
   */
  public SentryEventGenerator(long seed, int issues) {
    if (issues < 0) {
      throw new IllegalArgumentException("issues must be >= 0, got " + issues);
    }
    this.random = new Random(seed);
    this.shapes = issues == 0 ? List.of() : shapes(new Random(seed ^ SHAPE_SALT), issues);
  }

  /** How many issue shapes the events are drawn from; 0 when every event draws its own chain. */
  public int issues() {
    return shapes.size();
  }

  public String eventId() {
    return hex(16);
  }

  private String hex(int bytes) {
    byte[] b = new byte[bytes];
    random.nextBytes(b);
    return hex.formatHex(b);
  }

  /** One event's JSON. */
  public byte[] event(String eventId, Instant timestamp) {
    int target = MIN_SIZE + random.nextInt(MAX_SIZE - MIN_SIZE);
    JsonObject event = new JsonObject()
        .put("event_id", eventId)
        .put("timestamp", timestamp.toEpochMilli() / 1000.0)
        .put("received", timestamp.toEpochMilli() / 1000.0 + random.nextInt(500) / 1000.0)
        .put("platform", "java")
        .put("level", random.nextInt(10) == 0 ? "fatal" : "error")
        .put("logger", pick(APP_FRAMES)[0])
        .put("server_name", "shop-web-" + random.nextInt(12))
        .put("release", "shop-backend@2." + random.nextInt(30) + "." + random.nextInt(10))
        .put("environment", ENVIRONMENTS[random.nextInt(ENVIRONMENTS.length)])
        .put("exception", new JsonObject().put("values", exceptions()))
        .put("tags", tags())
        .put("contexts", contexts())
        .put("user", user())
        .put("request", request())
        .put("sdk", new JsonObject().put("name", "sentry.java.spring-boot.jakarta").put("version", "8.63.0")
            .put("packages", new JsonArray().add(new JsonObject().put("name", "maven:io.sentry:sentry")
                .put("version", "8.63.0"))));
    int size = event.encode().length() + 30;
    if (size > MAX_SIZE) {
      // a deep trace alone can pass the size: drop its oldest frames, as the SDKs trim long traces
      size = trimFrames(event, size);
    }
    // fill up to the target size with breadcrumbs, as a long-running request collects them
    JsonArray crumbs = new JsonArray();
    double ts = timestamp.toEpochMilli() / 1000.0 - 30;
    while (size < target && crumbs.size() < 60) {
      JsonObject crumb = breadcrumb(ts += random.nextInt(2000) / 1000.0);
      int grown = size + crumb.encode().length() + 1;
      if (grown > MAX_SIZE) {
        break;
      }
      size = grown;
      crumbs.add(crumb);
    }
    event.put("breadcrumbs", new JsonObject().put("values", crumbs));
    return event.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static int trimFrames(JsonObject event, int size) {
    JsonArray values = event.getJsonObject("exception").getJsonArray("values");
    // the thrown exception keeps at least 10 frames, a cause at least 4
    for (int v = values.size() - 1; v >= 0 && size > MAX_SIZE; v--) {
      JsonArray frames = values.getJsonObject(v).getJsonObject("stacktrace").getJsonArray("frames");
      int keep = v == values.size() - 1 ? 10 : 4;
      while (size > MAX_SIZE && frames.size() > keep) {
        size -= frames.getJsonObject(0).encode().length() + 1;
        frames.remove(0);
      }
    }
    return size;
  }

  private JsonArray exceptions() {
    if (shapes.isEmpty()) {
      JsonArray values = randomChain(random);
      for (int v = 0; v < values.size(); v++) {
        fillIn(values.getJsonObject(v));
      }
      return values;
    }
    JsonArray shape = shapes.get(random.nextInt(shapes.size()));
    JsonArray values = new JsonArray();
    for (int v = 0; v < shape.size(); v++) {
      JsonObject template = shape.getJsonObject(v);
      // the frames are shared, read-only: encode() only reads them
      JsonObject exception = new JsonObject()
          .put("type", template.getString("type"))
          .put("module", template.getString("module"))
          .put("value", template.getString("value"))
          .put("mechanism", template.getJsonObject("mechanism").copy())
          .put("stacktrace", template.getJsonObject("stacktrace"));
      values.add(fillIn(exception));
    }
    return values;
  }

  /** What varies between the events of one issue: the message's numbers, the thread, handled. */
  private JsonObject fillIn(JsonObject exception) {
    exception.put("value", String.format(exception.getString("value"), random.nextInt(1_000_000), random.nextInt(64)))
        .put("thread_id", 30 + random.nextInt(200));
    exception.getJsonObject("mechanism").put("handled", random.nextBoolean());
    // keep the SDK's key order: value and thread before mechanism and stacktrace
    JsonObject mechanism = (JsonObject) exception.remove("mechanism");
    JsonObject stacktrace = (JsonObject) exception.remove("stacktrace");
    return exception.put("mechanism", mechanism).put("stacktrace", stacktrace);
  }

  /** An exception chain, oldest first, whose {@code value}s are still format strings. */
  private static JsonArray randomChain(Random random) {
    JsonArray values = new JsonArray();
    // 10-40 frames, shallow traces more often than deep ones
    int depth = 10 + Math.min(random.nextInt(31), random.nextInt(31));
    boolean chained = random.nextInt(4) == 0;
    if (chained) {
      // the cause comes first, with a shorter trace of its own
      values.add(exception(random, Math.max(4, depth / 3), true));
      depth = Math.max(10, depth - depth / 3);
    }
    values.add(exception(random, depth, false));
    return values;
  }

  private static JsonObject exception(Random random, int frames, boolean cause) {
    String[] type = pick(random, EXCEPTIONS);
    JsonArray list = new JsonArray();
    for (int i = 0; i < frames; i++) {
      // oldest frame first: framework frames at the bottom of the stack, application frames on top
      boolean inApp = i >= frames * 2 / 3 ? random.nextInt(4) > 0 : random.nextInt(6) == 0;
      String[] f = inApp ? pick(random, APP_FRAMES) : pick(random, LIB_FRAMES);
      list.add(new JsonObject().put("filename", f[1]).put("module", f[0]).put("function", f[2])
          .put("lineno", 20 + random.nextInt(900)).put("in_app", inApp));
    }
    return new JsonObject()
        .put("type", type[1])
        .put("module", type[0])
        .put("value", type[2])
        .put("mechanism", new JsonObject().put("type", cause ? "chained" : "UncaughtExceptionHandler"))
        .put("stacktrace", new JsonObject().put("frames", list));
  }

  /**
   * {@code count} exception chains that Sentry's grouping tells apart: each has at least one in-app
   * frame, and differs from every other one in its in-app frames and in its whole trace (the app
   * and the system grouping variants), as {@link #groupingKey} reads them.
   */
  private static List<JsonArray> shapes(Random random, int count) {
    List<JsonArray> shapes = new ArrayList<>(count);
    Set<String> seen = new HashSet<>();
    int attempts = 0;
    while (shapes.size() < count) {
      if (++attempts > 100 * count + 1_000) {
        throw new IllegalArgumentException("cannot make " + count + " distinct issue shapes");
      }
      JsonArray chain = randomChain(random);
      trimShape(chain);
      String app = groupingKey(chain, true);
      String system = groupingKey(chain, false);
      if (app.isEmpty() || seen.contains(app) || seen.contains(system)) {
        continue;
      }
      seen.add(app);
      seen.add(system);
      shapes.add(chain);
    }
    return shapes;
  }

  /** Drops the oldest frames of a chain until it weighs at most {@link #SHAPE_MAX_BYTES}. */
  private static void trimShape(JsonArray chain) {
    // the messages at their longest: 6-digit and 2-digit numbers
    int size = 0;
    for (int v = 0; v < chain.size(); v++) {
      JsonObject e = chain.getJsonObject(v);
      size += e.encode().length() - e.getString("value").length()
          + String.format(e.getString("value"), 999_999, 99).length() + ",\"thread_id\":229,\"handled\":false".length();
    }
    // the thrown exception keeps at least 10 frames, a cause at least 4
    for (int v = chain.size() - 1; v >= 0 && size > SHAPE_MAX_BYTES; v--) {
      JsonArray frames = chain.getJsonObject(v).getJsonObject("stacktrace").getJsonArray("frames");
      int keep = v == chain.size() - 1 ? 10 : 4;
      while (size > SHAPE_MAX_BYTES && frames.size() > keep) {
        size -= frames.getJsonObject(0).encode().length() + 1;
        frames.remove(0);
      }
    }
  }

  /**
   * What Sentry's grouping hashes for a Java exception chain, per exception: the type and the
   * contributing frames' module and function (a {@code lambda$} function does not contribute; nor
   * do {@code java.lang.reflect} frames). {@code app}: only in-app frames; "" when there are none.
   */
  static String groupingKey(JsonArray chain, boolean app) {
    StringBuilder key = new StringBuilder();
    boolean anyFrame = false;
    for (int v = 0; v < chain.size(); v++) {
      JsonObject e = chain.getJsonObject(v);
      key.append(e.getString("type")).append('[');
      JsonArray frames = e.getJsonObject("stacktrace").getJsonArray("frames");
      for (int i = 0; i < frames.size(); i++) {
        JsonObject f = frames.getJsonObject(i);
        String module = f.getString("module");
        if ((app && !f.getBoolean("in_app")) || module.startsWith("java.lang.reflect.")) {
          continue;
        }
        String function = f.getString("function");
        key.append(module).append('.').append(function.startsWith("lambda$") ? "" : function).append(' ');
        anyFrame = true;
      }
      key.append(']');
    }
    return anyFrame ? key.toString() : "";
  }

  private JsonObject breadcrumb(double ts) {
    switch (random.nextInt(3)) {
      case 0:
        return new JsonObject().put("timestamp", ts).put("type", "http").put("category", "http")
            .put("level", "info").put("data", new JsonObject().put("method", random.nextBoolean() ? "GET" : "POST")
                .put("url", "https://payments.example.net/v2/charges/" + hex(6))
                .put("status_code", random.nextInt(8) == 0 ? 503 : 200));
      case 1:
        return new JsonObject().put("timestamp", ts).put("type", "default").put("category", "query")
            .put("level", "info").put("message", "select o.id, o.status, o.total from orders o where o.customer_id = ? "
                + "and o.created_at > ? limit " + (10 + random.nextInt(90)));
      default:
        return new JsonObject().put("timestamp", ts).put("type", "default").put("category", pick(APP_FRAMES)[0])
            .put("level", random.nextInt(5) == 0 ? "warning" : "info")
            .put("message", "cart " + random.nextInt(100_000) + " recalculated in " + random.nextInt(400) + " ms");
    }
  }

  private JsonObject tags() {
    return new JsonObject()
        .put("thread", "http-nio-8080-exec-" + random.nextInt(200))
        .put("customer_tier", random.nextBoolean() ? "gold" : "standard")
        .put("region", random.nextBoolean() ? "eu-west-1" : "us-east-1")
        .put("feature.checkout_v2", Boolean.toString(random.nextBoolean()));
  }

  private JsonObject contexts() {
    return new JsonObject()
        .put("os", new JsonObject().put("name", "Linux").put("version", "6.1.0-" + (10 + random.nextInt(20)) + "-amd64"))
        .put("runtime", new JsonObject().put("name", "OpenJDK Runtime Environment").put("version", "17.0.15+6"))
        .put("trace", new JsonObject().put("trace_id", hex(16)).put("span_id", hex(8)).put("op", "http.server")
            .put("status", "internal_error"));
  }

  private JsonObject user() {
    int id = random.nextInt(250_000);
    return new JsonObject().put("id", Integer.toString(id)).put("email", "customer" + id + "@example.com")
        .put("ip_address", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256))
        .put("geo", new JsonObject().put("country_code", random.nextBoolean() ? "DE" : "US"));
  }

  private JsonObject request() {
    String url = String.format(URLS[random.nextInt(URLS.length)], random.nextInt(1_000_000));
    return new JsonObject()
        .put("url", "https://shop.example.com" + url)
        .put("method", random.nextInt(3) == 0 ? "GET" : "POST")
        .put("headers", new JsonObject()
            .put("User-Agent", BROWSERS[random.nextInt(BROWSERS.length)])
            .put("Content-Type", "application/json")
            .put("X-Request-Id", hex(8)))
        .put("env", new JsonObject().put("REMOTE_ADDR", "10.1.0." + random.nextInt(256)));
  }

  private String[] pick(String[][] choices) {
    return pick(random, choices);
  }

  private static String[] pick(Random random, String[][] choices) {
    return choices[random.nextInt(choices.length)];
  }
}

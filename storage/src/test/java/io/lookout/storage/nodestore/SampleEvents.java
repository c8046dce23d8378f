package io.lookout.storage.nodestore;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/** Sentry-shaped Java error events of a few KB, reproducible from a seed. */
final class SampleEvents {

  private static final String[] PACKAGES = {"com.acme.orders", "com.acme.billing", "com.acme.web", "com.acme.db"};
  private static final String[] CLASSES = {"OrderService", "InvoiceController", "PaymentGateway", "CartRepository"};
  private static final String[] METHODS = {"place", "handle", "charge", "findById", "lambda$submit$0", "apply"};
  private static final String[] EXCEPTIONS = {"java.lang.IllegalStateException", "java.lang.NullPointerException",
      "java.sql.SQLTransientConnectionException", "java.util.concurrent.TimeoutException"};

  private final Random random;

  SampleEvents(long seed) {
    this.random = new Random(seed);
  }

  String eventId() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  byte[] event(String eventId, Instant timestamp) {
    JsonArray frames = new JsonArray();
    int depth = 10 + random.nextInt(31);
    for (int i = 0; i < depth; i++) {
      String cls = CLASSES[random.nextInt(CLASSES.length)];
      frames.add(new JsonObject()
          .put("module", PACKAGES[random.nextInt(PACKAGES.length)] + "." + cls)
          .put("function", METHODS[random.nextInt(METHODS.length)])
          .put("filename", cls + ".java")
          .put("lineno", 1 + random.nextInt(900))
          .put("in_app", random.nextInt(3) > 0));
    }
    JsonArray breadcrumbs = new JsonArray();
    for (int i = 0, n = random.nextInt(6); i < n; i++) {
      breadcrumbs.add(new JsonObject().put("timestamp", timestamp.minusSeconds(n - i).toString())
          .put("category", "http").put("message", "GET /api/orders/" + random.nextInt(100_000)));
    }
    JsonObject event = new JsonObject()
        .put("event_id", eventId)
        .put("timestamp", timestamp.toString())
        .put("platform", "java")
        .put("level", "error")
        .put("release", "shop@1." + random.nextInt(20) + ".0")
        .put("environment", "production")
        .put("exception", new JsonObject().put("values", new JsonArray().add(new JsonObject()
            .put("type", EXCEPTIONS[random.nextInt(EXCEPTIONS.length)])
            .put("value", "order " + random.nextInt(1_000_000) + " cannot be placed: état invalide")
            .put("stacktrace", new JsonObject().put("frames", frames)))))
        .put("breadcrumbs", new JsonObject().put("values", breadcrumbs))
        .put("tags", new JsonObject().put("server_name", "web-" + random.nextInt(8)).put("locale", "fr_FR"))
        .put("user", new JsonObject().put("id", Integer.toString(random.nextInt(50_000)))
            .put("ip_address", "10.0." + random.nextInt(256) + "." + random.nextInt(256)))
        .put("contexts", new JsonObject()
            .put("os", new JsonObject().put("name", "Linux").put("version", "6.1.0"))
            .put("runtime", new JsonObject().put("name", "OpenJDK").put("version", "17.0.15")));
    return event.encode().getBytes(StandardCharsets.UTF_8);
  }
}

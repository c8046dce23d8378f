package io.lookout.gateway.filter;

import static io.lookout.gateway.filter.FilterEvents.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundFiltersTest {

  private static final FilterConfig EVERYTHING_ON = config("""
      {
        "browserExtensions": {"isEnabled": true},
        "localhost": {"isEnabled": true},
        "webCrawlers": {"isEnabled": true},
        "legacyBrowsers": {"isEnabled": true, "options": ["default"]},
        "errorMessages": {"patterns": ["*ignored error*"]},
        "releases": {"releases": ["0.0.*"]},
        "clientIps": {"blacklistedIps": ["192.0.2.0/24"]},
        "ignoreTransactions": {"isEnabled": true, "patterns": ["*healthcheck*", "*/health"]}
      }
      """);

  private static final String JAVA_ERROR = """
      {
        "event_id": "0123456789abcdef0123456789abcdef",
        "platform": "java",
        "level": "error",
        "release": "backend@2.4.1",
        "exception": {"values": [{"type": "java.lang.IllegalStateException", "value": "boom",
          "stacktrace": {"frames": [{"module": "com.example.Main", "function": "main", "in_app": true}]}}]},
        "user": {"ip_address": "{{auto}}"}
      }
      """;

  @Test
  void anOrdinaryErrorPassesEveryFilter() {
    assertThat(InboundFilters.check(new JsonObject(JAVA_ERROR), EVERYTHING_ON, "198.51.100.20")).isEmpty();
  }

  @Test
  void disabledFiltersPassEverything() {
    JsonObject event = new JsonObject(JAVA_ERROR).put("release", "0.0.1")
        .put("request", new JsonObject().put("url", "http://localhost/")
            .put("headers", new JsonObject().put("User-Agent", "Googlebot/2.1")));

    assertThat(InboundFilters.check(event, FilterConfig.DISABLED, "192.0.2.1")).isEmpty();
    assertThat(InboundFilters.check(event, EVERYTHING_ON, "198.51.100.20")).isPresent();
  }

  @Test
  void anEventWithNoRelevantDataPasses() {
    assertThat(InboundFilters.check(new JsonObject(), EVERYTHING_ON, null)).isEmpty();
    assertThat(InboundFilters.check(new JsonObject().put("request", "not an object").put("exception", 5)
        .put("user", List.of()), EVERYTHING_ON, "not an ip")).isEmpty();
  }

  @Test
  void filtersRunInRelaysOrder() {
    JsonObject event = new JsonObject()
        .put("release", "0.0.1")
        .put("message", "an ignored error")
        .put("user", new JsonObject().put("ip_address", "127.0.0.1"))
        .put("request", new JsonObject().put("headers", new JsonObject().put("User-Agent", "Googlebot/2.1")));

    assertThat(InboundFilters.check(event, EVERYTHING_ON, "192.0.2.9")).contains(FilterStatKey.IP_ADDRESS);
    assertThat(InboundFilters.check(event, EVERYTHING_ON, "198.51.100.20")).contains(FilterStatKey.RELEASE_VERSION);
    event.remove("release");
    assertThat(InboundFilters.check(event, EVERYTHING_ON, null)).contains(FilterStatKey.ERROR_MESSAGE);
    event.remove("message");
    assertThat(InboundFilters.check(event, EVERYTHING_ON, null)).contains(FilterStatKey.LOCALHOST);
    event.remove("user");
    assertThat(InboundFilters.check(event, EVERYTHING_ON, null)).contains(FilterStatKey.WEB_CRAWLERS);
  }

  @Test
  void transactionsAreFilteredByNameAndByTheCommonFilters() {
    JsonObject health = new JsonObject().put("type", "transaction").put("transaction", "GET /api/health");
    JsonObject checkout = new JsonObject().put("type", "transaction").put("transaction", "POST /checkout")
        .put("release", "0.0.3");
    JsonObject errorNamedHealth = new JsonObject().put("transaction", "GET /api/health");

    assertThat(InboundFilters.check(health, EVERYTHING_ON, null)).contains(FilterStatKey.FILTERED_TRANSACTIONS);
    assertThat(InboundFilters.check(checkout, EVERYTHING_ON, null)).contains(FilterStatKey.RELEASE_VERSION);
    assertThat(InboundFilters.check(errorNamedHealth, EVERYTHING_ON, null)).isEmpty();
  }

  @Test
  void transactionNamesAreMatchedLikeRelay() {
    FilterConfig config = config("{\"ignoreTransactions\": {\"isEnabled\": true, \"patterns\": [\"*healthcheck*\", \"*/health\"]}}");
    for (String name : List.of("a/b/healthcheck/c", "a_HEALTHCHECK_b", "healthcheck", "/health", "a/HEALTH")) {
      assertThat(InboundFilters.check(new JsonObject().put("type", "transaction").put("transaction", name),
          config, null)).as(name).contains(FilterStatKey.FILTERED_TRANSACTIONS);
    }
    for (String name : List.of("bad", "/bad", "a/b/c", "health", "healthz", "/health/", "/healthz/", "/healthx")) {
      assertThat(InboundFilters.check(new JsonObject().put("type", "transaction").put("transaction", name),
          config, null)).as(name).isEmpty();
    }
  }

  @Test
  void ignoreTransactionsNeedsTheFlagAndPatterns() {
    JsonObject health = new JsonObject().put("type", "transaction").put("transaction", "/health");

    assertThat(InboundFilters.check(health,
        config("{\"ignoreTransactions\": {\"isEnabled\": false, \"patterns\": [\"*/health\"]}}"), null)).isEmpty();
    assertThat(InboundFilters.check(health,
        config("{\"ignoreTransactions\": {\"isEnabled\": true, \"patterns\": []}}"), null)).isEmpty();
  }

  @Test
  void reasonsAreRelaysOutcomeReasons() {
    assertThat(List.of(FilterStatKey.values())).extracting(FilterStatKey::reason).containsExactly(
        "ip-address", "release-version", "error-message", "browser-extensions", "legacy-browsers",
        "localhost", "web-crawlers", "invalid-csp", "filtered-transaction");
  }
}

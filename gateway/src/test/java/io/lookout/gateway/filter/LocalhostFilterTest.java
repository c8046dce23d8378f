package io.lookout.gateway.filter;

import static io.lookout.gateway.filter.FilterEvents.config;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Cases from Relay's relay-filter localhost.rs. */
class LocalhostFilterTest {

  private static final FilterConfig ON = config("{\"localhost\": {\"isEnabled\": true}}");
  private static final FilterConfig OFF = config("{\"localhost\": {\"isEnabled\": false}}");

  private static Optional<FilterStatKey> check(JsonObject event) {
    return InboundFilters.check(event, ON, "203.0.113.9");
  }

  @Test
  void doesNotFilterWhenDisabled() {
    assertThat(InboundFilters.check(FilterEvents.withIp("127.0.0.1"), OFF, null)).isEmpty();
    assertThat(InboundFilters.check(FilterEvents.withUrl("http://localhost:8080/"), OFF, null)).isEmpty();
  }

  @Test
  void filtersLocalUserAddresses() {
    for (String ip : List.of("127.0.0.1", "::1")) {
      assertThat(check(FilterEvents.withIp(ip))).as(ip).contains(FilterStatKey.LOCALHOST);
    }
    for (String ip : List.of("133.12.12.1", "2001:db8:0:0:0:ff00:42:8329")) {
      assertThat(check(FilterEvents.withIp(ip))).as(ip).isEmpty();
    }
  }

  @Test
  void autoIpIsTheClientAddress() {
    JsonObject event = FilterEvents.withIp("{{auto}}");

    assertThat(InboundFilters.check(event, ON, "127.0.0.1")).contains(FilterStatKey.LOCALHOST);
    assertThat(InboundFilters.check(event, ON, "198.51.100.1")).isEmpty();
  }

  @Test
  void filtersLocalDomainsAndTheirSubdomains() {
    for (String domain : List.of("127.0.0.1", "localhost", "foo.localhost", "foo.bar.baz.localhost", "LOCALHOST", "127.1")) {
      assertThat(check(FilterEvents.withUrl("http://" + domain + ":8080/"))).as(domain)
          .contains(FilterStatKey.LOCALHOST);
    }
    for (String domain : List.of("my.dom.com", "123.123.123.44", "localhost.com", "foolocalhost",
        "localhostbar", "alocalhostgoesintoabar")) {
      assertThat(check(FilterEvents.withUrl("http://" + domain + ":8080/"))).as(domain).isEmpty();
    }
  }

  @Test
  void filtersFileUrls() {
    assertThat(check(FilterEvents.withUrl("file:///Users/Maisey/work/squirrelchasers/src/leaderboard.html")))
        .contains(FilterStatKey.LOCALHOST);
    assertThat(check(FilterEvents.withUrl("http://www.squirrelchasers.com/leaderboard"))).isEmpty();
  }

  @Test
  void filtersLocalHostAndForwardedHeaders() {
    for (String host : List.of("localhost:3000", "127.0.0.1:3000")) {
      assertThat(check(FilterEvents.withHeader("Host", host))).contains(FilterStatKey.LOCALHOST);
      assertThat(check(FilterEvents.withHeader("X-Forwarded-Host", host))).contains(FilterStatKey.LOCALHOST);
      assertThat(check(FilterEvents.withHeader("host", host))).contains(FilterStatKey.LOCALHOST);
    }
    for (String ip : List.of("127.0.0.1", "::1")) {
      assertThat(check(FilterEvents.withHeader("X-Forwarded-For", ip))).contains(FilterStatKey.LOCALHOST);
    }
    for (String host : List.of("localhost.sentry.io", "localhost.sentry.io:3000")) {
      assertThat(check(FilterEvents.withHeader("Host", host))).isEmpty();
      assertThat(check(FilterEvents.withHeader("X-Forwarded-Host", host))).isEmpty();
    }
  }

  @Test
  void theHostHeaderCountsOnlyWithoutAUrl() {
    JsonObject event = FilterEvents.withUrl("https://app.example.com/");
    event.getJsonObject("request").put("headers", new JsonObject().put("Host", "localhost:3000"));

    assertThat(check(event)).isEmpty();
  }

  @Test
  void anEventWithoutAddressOrUrlPasses() {
    assertThat(check(new JsonObject())).isEmpty();
  }
}

package io.lookout.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from Relay's relay-filter releases.rs and client_ips.rs. */
class ReleaseAndClientIpFilterTest {

  private static FilterConfig releases(List<String> releases) {
    return FilterConfig.fromJson(new JsonObject().put("releases",
        new JsonObject().put("releases", new JsonArray(releases))));
  }

  private static FilterConfig blocked(List<String> ips) {
    return FilterConfig.fromJson(new JsonObject().put("clientIps",
        new JsonObject().put("blacklistedIps", new JsonArray(ips))));
  }

  @Test
  void filtersReleasesByGlob() {
    Object[][] cases = {
        {"1.2.3", List.of("1.3.0", "1.2.3", "1.3.1"), true},
        {"1.2.3", List.of("1.3.0", "1.3.1", "1.2.3"), true},
        {"1.2.3", List.of("1.2.3", "1.3.0", "1.3.1"), true},
        {"1.2.3", List.of("1.3.0", "1.2.*", "1.3.1"), true},
        {"1.2.3", List.of("1.3.0", "1.3.*", "1.*"), true},
        {"1.2.3", List.of("*", "1.3.0", "1.3.*"), true},
        {"1.2.3", List.of("1.3.0", "1.2.4", "1.3.1"), false},
        {"1.2.3", List.of("1.4.0", "1.3.*", "3.*"), false},
        {"1.2.3", List.of(), false},
        {"1.2.3", List.of("1.1.1", "1.1.2", "1.3.1"), false},
        {"1.2.3", List.of("1.2.3"), true},
        {"1.2.3", List.of("1.2.*", "1.3.0", "1.3.1"), true},
        {"1.2.3", List.of("1.3.0", "1.*", "1.3.1"), true},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> patterns = (List<String>) c[1];
      boolean filtered = InboundFilters.check(new JsonObject().put("release", c[0]), releases(patterns), null)
          .isPresent();
      assertThat(filtered).as(c[0] + " " + patterns).isEqualTo(c[2]);
    }
  }

  @Test
  void releaseFilterReasonAndNumericRelease() {
    assertThat(InboundFilters.check(new JsonObject().put("release", "backend@1.2.3"),
        releases(List.of("BACKEND@1.*")), null)).contains(FilterStatKey.RELEASE_VERSION);
    assertThat(InboundFilters.check(new JsonObject().put("release", 42), releases(List.of("42")), null))
        .contains(FilterStatKey.RELEASE_VERSION);
    assertThat(InboundFilters.check(new JsonObject(), releases(List.of("*")), null)).isEmpty();
  }

  @Test
  void filtersBlockedClientIps() {
    Object[][] cases = {
        {"1.2.3.4", List.of(), false},
        {"122.33.230.14", List.of("122.33.230.14"), true},
        {"122.33.230.14", List.of("112.133.110.33", "122.33.230.14"), true},
        {"aaaa:bbbb::cccc", List.of("aaaa:bbbb::cccc"), true},
        {"aaaa:bbbb::cccc", List.of("121.121.12.121", "aaaa:bbbb::cccc"), true},
        {"aaaa:bbbb::ccce", List.of("aaaa:bbbb::cccc"), false},
        {"122.33.230.1", List.of("122.33.230.0/30"), true},
        {"122.33.230.2", List.of("122.33.230.0/30"), true},
        {"122.33.230.4", List.of("122.33.230.0/30"), false},
        {"122.33.230.5", List.of("122.33.230.4/30"), true},
        {"a:b:c::1", List.of("a:b:c::0/126"), true},
        {"a:b:c::2", List.of("a:b:c::0/126"), true},
        {"a:b:c::4", List.of("a:b:c::0/126"), false},
        {"a:b:c::5", List.of("a:b:c::4/126"), true},
        {"127.0.0.1", List.of(), false},
        {"127.0.0.1", List.of("0.0.0.0", "192.168.1.1", "10.0.0.0/8"), false},
        {"127.0.0.1", List.of("127.0.0.1"), true},
        {"127.0.0.1", List.of("0.0.0.0", "127.0.0.1", "192.168.1.1"), true},
        {"127.0.0.1", List.of("127.0.0.0/8"), true},
        {"127.0.0.1", List.of("0.0.0.0", "127.0.0.0/8", "192.168.1.0/8"), true},
        {"127.0.0.1", List.of("lol/bar"), false},
        {"10.1.2.3", List.of("10/8"), true},
        {"::ffff:10.1.2.3", List.of("10.0.0.0/8"), false},
        {"::ffff:10.1.2.3", List.of("::ffff:10.0.0.0/104"), true},
        {"not an ip", List.of("0.0.0.0/0"), false},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> ips = (List<String>) c[1];
      boolean filtered = InboundFilters.check(new JsonObject(), blocked(ips), (String) c[0]).isPresent();
      assertThat(filtered).as(c[0] + " " + ips).isEqualTo(c[2]);
    }
    assertThat(InboundFilters.check(new JsonObject(), blocked(List.of("0.0.0.0/0")), null)).isEmpty();
  }

  @Test
  void clientIpFilterReason() {
    assertThat(InboundFilters.check(new JsonObject(), blocked(List.of("203.0.113.0/24")), "203.0.113.7"))
        .contains(FilterStatKey.IP_ADDRESS);
  }
}

package io.lookout.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class FilterConfigTest {

  private static final String RELAY_SHAPE = """
      {
        "browserExtensions": {"isEnabled": true},
        "clientIps": {"blacklistedIps": ["127.0.0.1"]},
        "webCrawlers": {"isEnabled": true},
        "csp": {"disallowedSources": ["https://*"]},
        "errorMessages": {"patterns": ["Panic"]},
        "legacyBrowsers": {"isEnabled": false, "options": ["ie9"]},
        "localhost": {"isEnabled": true},
        "releases": {"releases": ["1.2.3"]},
        "ignoreTransactions": {"patterns": ["*health*"], "isEnabled": true},
        "generic": {"version": 1, "filters": []}
      }
      """;

  @Test
  void readsRelaysFilterSettings() {
    FilterConfig config = FilterConfig.fromJson(new JsonObject(RELAY_SHAPE));

    assertThat(config.browserExtensions()).isTrue();
    assertThat(config.webCrawlers()).isTrue();
    assertThat(config.localhost()).isTrue();
    assertThat(config.clientIps().entries()).containsExactly("127.0.0.1");
    assertThat(config.errorMessages().patterns()).containsExactly("Panic");
    assertThat(config.legacyBrowsers().enabled()).isFalse();
    assertThat(config.legacyBrowsers().browsers()).containsExactly(LegacyBrowser.IE9);
    assertThat(config.legacyBrowsers().active()).isFalse();
    assertThat(config.releases().patterns()).containsExactly("1.2.3");
    assertThat(config.ignoreTransactions().enabled()).isTrue();
    assertThat(config.ignoreTransactions().patterns().patterns()).containsExactly("*health*");
  }

  @Test
  void printsRelaysShapeBack() {
    JsonObject expected = new JsonObject(RELAY_SHAPE);
    expected.remove("csp");
    expected.remove("generic");

    assertThat(FilterConfig.fromJson(new JsonObject(RELAY_SHAPE)).toJson()).isEqualTo(expected);
    assertThat(FilterConfig.DISABLED.toJson()).isEqualTo(new JsonObject());
  }

  @Test
  void acceptsSnakeCaseAndAWrapper() {
    FilterConfig config = FilterConfig.fromJson(new JsonObject("""
        {"filters": {
          "browser_extensions": {"is_enabled": true},
          "legacy_browsers": {"is_enabled": true, "options": ["default", "some_future_browser"]},
          "error_messages": {"patterns": ["*timeout*"]},
          "client_ips": {"blacklisted_ips": ["10.0.0.0/8"]},
          "ignore_transactions": {"is_enabled": true, "patterns": ["*/health"]}
        }}
        """));

    assertThat(config.browserExtensions()).isTrue();
    assertThat(config.legacyBrowsers().active()).isTrue();
    assertThat(config.legacyBrowsers().browsers()).containsExactly(LegacyBrowser.DEFAULT);
    assertThat(config.legacyBrowsers().unknownOptions()).containsExactly("some_future_browser");
    assertThat(config.errorMessages().isMatch("Read TIMEOUT")).isTrue();
    assertThat(config.clientIps().contains("10.1.2.3")).isTrue();
    assertThat(config.ignoreTransactions().patterns().isMatch("/api/health")).isTrue();
  }

  @Test
  void readsTheFilterSettingsOfAProjectConfig() {
    FilterConfig config = FilterConfig.fromJson(new JsonObject()
        .put("filterSettings", new JsonObject().put("localhost", new JsonObject().put("isEnabled", true))));

    assertThat(config.localhost()).isTrue();
  }

  @Test
  void missingOrEmptySettingsDisableEverything() {
    assertThat(FilterConfig.fromJson(null)).isEqualTo(FilterConfig.DISABLED);
    assertThat(FilterConfig.fromJson(new JsonObject())).isEqualTo(FilterConfig.DISABLED);
    assertThat(FilterConfig.fromJson(new JsonObject().put("localhost", new JsonObject())))
        .isEqualTo(FilterConfig.DISABLED);
  }

  @Test
  void refusesWrongTypesNamingTheField() {
    assertThatThrownBy(() -> FilterConfig.fromJson(new JsonObject()
        .put("localhost", new JsonObject().put("isEnabled", "yes"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("localhost.isEnabled");
    assertThatThrownBy(() -> FilterConfig.fromJson(new JsonObject("{\"releases\": {\"releases\": [1]}}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("releases.releases");
    assertThatThrownBy(() -> FilterConfig.fromJson(new JsonObject("{\"webCrawlers\": true}")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("webCrawlers");
  }
}

package io.lookout.gateway.filter;

import static io.lookout.gateway.filter.FilterEvents.config;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from Relay's relay-filter browser_extensions.rs. */
class BrowserExtensionsFilterTest {

  private static final FilterConfig ON = config("{\"browserExtensions\": {\"isEnabled\": true}}");
  private static final FilterConfig OFF = config("{\"browserExtensions\": {\"isEnabled\": false}}");

  @Test
  void doesNotFilterWhenDisabled() {
    assertThat(InboundFilters.check(FilterEvents.withFrames(
        List.of("https://fscr.kaspersky-labs.com/B-9B72-7B7/main.js")), OFF, null)).isEmpty();
    assertThat(InboundFilters.check(FilterEvents.withException(null, "fb_xd_fragment"), OFF, null)).isEmpty();
  }

  @Test
  void filtersKnownExtensionSources() {
    for (String source : List.of(
        "https://graph.facebook.com/",
        "https://connect.facebook.net/en_US/sdk.js",
        "https://eatdifferent.com.woopra-ns.com/main.js",
        "https://static.woopra.com/js/woopra.js",
        "chrome-extension://my-extension/or/something",
        "chrome://my-extension/or/something",
        "moz-extension://my-extension/or/something",
        "safari-extension://my-extension/or/something",
        "safari-web-extension://my-extension/or/something",
        "127.0.0.1:4001/isrunning",
        "webappstoolbarba.texthelp.com/",
        "http://metrics.itunes.apple.com.edgesuite.net/itunespreview/itunes/browser:firefo",
        "https://fscr.kaspersky-labs.com/B-9B72-7B7/main.js",
        "webkit-masked-url:")) {
      // the extension frame is the innermost one with a name; anonymous frames after it are skipped
      assertThat(InboundFilters.check(FilterEvents.withFrames(List.of(source, "<anonymous>", "[native code]")),
          ON, null)).as(source).contains(FilterStatKey.BROWSER_EXTENSIONS);
    }
  }

  @Test
  void filtersKnownExtensionValues() {
    for (String value : List.of(
        "what does conduitPage even do",
        "null is not an object (evaluating 'elt.parentNode')",
        "some error on top.GLOBALS",
        "biiig problem on originalCreateNotification",
        "canvas.contentDocument",
        "MyApp_RemoveAllHighlights",
        "http://tt.epicplay.com/not/very/good",
        "Can't find variable: ZiteReader, I wonder why?",
        "jigsaw is not defined and I'm not happy about it",
        "ComboSearch is not defined",
        "http://loading.retry.widdit.com/some/obscure/error",
        "atomicFindClose has messed up",
        "bad news, we have a fb_xd_fragment",
        "oh no! we have a case of: bmi_SafeAddOnload, again !",
        "watch out ! EBCallBackMessageReceived",
        "error _gCrWeb",
        "conduitPage",
        "plugin.setSuspendState is not a function",
        "Extension context invalidated",
        "useless error webkit-masked-url: please filter",
        "TypeError: can't access dead object because dead stuff smells bad")) {
      assertThat(InboundFilters.check(FilterEvents.withException("Error", value), ON, null)).as(value)
          .contains(FilterStatKey.BROWSER_EXTENSIONS);
    }
  }

  @Test
  void passesOrdinaryErrors() {
    assertThat(InboundFilters.check(FilterEvents.withFrames(List.of("https://some/resonable/source.js")),
        ON, null)).isEmpty();
    assertThat(InboundFilters.check(FilterEvents.withException("Error", "some perfectly reasonable value"),
        ON, null)).isEmpty();
  }

  @Test
  void looksOnlyAtTheInnermostNamedFrame() {
    assertThat(InboundFilters.check(FilterEvents.withFrames(
        List.of("chrome-extension://abc/x.js", "https://app.example.com/main.js")), ON, null)).isEmpty();
  }
}

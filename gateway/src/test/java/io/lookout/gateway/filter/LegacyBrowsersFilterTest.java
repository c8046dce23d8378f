package io.lookout.gateway.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases from Relay's relay-filter legacy_browsers.rs, including its Sentry-compatibility set. */
class LegacyBrowsersFilterTest {

  static final String IE8 = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.0; Trident/4.0)";
  static final String IE_MOBILE9 =
      "Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Trident/5.0; IEMobile/9.0; NOKIA; Lumia 710)";
  static final String IE9 = "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 7.1; Trident/5.0)";
  static final String IE10 = "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; Trident/6.0)";
  static final String IE11 = "Mozilla/5.0 (Windows NT 6.3; Trident/7.0; rv:11.0) like Gecko";
  static final String OPERA_MINI_PRE8 =
      "Opera/9.80 (J2ME/MIDP; Opera Mini/7.0.32796/59.323; U; fr) Presto/2.12.423 Version/12.16";
  static final String OPERA_MINI_8 =
      "Opera/9.80 (J2ME/MIDP; Opera Mini/8.0.35158/36.2534; U; en) Presto/2.12.423 Version/12.16";
  static final String OPERA_PRE15 = "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/27.0.1453.12 Safari/537.36 OPR/14.0.1116.4";
  static final String OPERA_15 = "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/28.0.1500.45 Safari/537.36 OPR/15.0.1147.61 (Edition Next)";
  static final String ANDROID_PRE4 = "Mozilla/5.0 (Linux; U; Android 3.2; nl-nl; GT-P6800 Build/HTJ85B) "
      + "AppleWebKit/534.13 (KHTML, like Gecko) Version/4.0 Safari/534.13";
  static final String ANDROID_4 = "Mozilla/5.0 (Linux; U; Android 4.1.1; en-gb; Build/KLP) "
      + "AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Safari/534.30";
  static final String SAFARI_PRE6 = "Mozilla/5.0 (Macintosh; U; Intel Mac OS X 1063; tr-DE) "
      + "AppleWebKit/533.16 (KHTML like Gecko) Version/5.0 Safari/533.16";
  static final String SAFARI_6 = "Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.17.4; en-GB) "
      + "AppleWebKit/605.1.5 (KHTML, like Gecko) Version/6.0 Safari/605.1.5";

  // Sentry's own test user agents
  static final String ANDROID2_S = "Mozilla/5.0 (Linux; U; Android 2.3.5; en-us; HTC Vision Build/GRI40) "
      + "AppleWebKit/533.1 (KHTML, like Gecko) Version/4.0 Mobile Safari/533.1";
  static final String ANDROID4_S = "Mozilla/5.0 (Linux; Android 4.0.4; Galaxy Nexus Build/IMM76B) "
      + "AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.133 Mobile Safari/535.19";
  static final String IE5_S = "Mozilla/4.0 (compatible; MSIE 5.50; Windows NT; SiteKiosk 4.9; SiteCoach 1.0)";
  static final String IE8_S = "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Win64; x64; Trident/4.0; "
      + ".NET CLR 2.0.50727; SLCC2; .NET CLR 3.5.30729; .NET CLR 3.0.30729; Media Center PC 6.0; MDDC; Tablet PC 2.0)";
  static final String IE9_S = "Mozilla/5.0 (Windows; U; MSIE 9.0; WIndows NT 9.0; en-US))";
  static final String IE10_S = "Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 7.0; InfoPath.3; "
      + ".NET CLR 3.1.40767; Trident/6.0; en-IN)";
  static final String IE_MOBILE10_S = "Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; "
      + "IEMobile/10.0; ARM; Touch; NOKIA; Lumia 520)";
  static final String OPERA11_S = "Opera/9.80 (Windows NT 5.1; U; it) Presto/2.7.62 Version/11.00";
  static final String OPERA_12_S = "Opera/9.80 (X11; Linux i686; Ubuntu/14.10) Presto/2.12.388 Version/12.16";
  static final String OPERA_15_S = "Mozilla/5.0 (X11; Linux x86_64; Debian) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/28.0.1500.52 Safari/537.36 OPR/15.0.1147.100";
  static final String CHROME_S = "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/41.0.2228.0 Safari/537.36";
  static final String EDGE_S = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/42.0.2311.135 Safari/537.36 Edge/12.10136";
  static final String SAFARI5_S = "Mozilla/5.0 (Windows; U; Windows NT 6.1; zh-HK) AppleWebKit/533.18.1 "
      + "(KHTML, like Gecko) Version/5.0.2 Safari/533.18.5";
  static final String SAFARI7_S = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_3) AppleWebKit/537.75.14 "
      + "(KHTML, like Gecko) Version/7.0.3 Safari/7046A194A";

  // current browsers
  static final String CHROME_131 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
  static final String CHROME_60 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
      + "(KHTML, like Gecko) Chrome/60.0.3112.113 Safari/537.36";
  static final String CHROME_MOBILE_60 = "Mozilla/5.0 (Linux; Android 7.0; SM-G930V) AppleWebKit/537.36 "
      + "(KHTML, like Gecko) Chrome/60.0.3112.107 Mobile Safari/537.36";
  static final String FIREFOX_60 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:60.0) Gecko/20100101 Firefox/60.0";
  static final String FIREFOX_133 = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
  static final String EDGE_18 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/70.0.3538.102 Safari/537.36 Edge/18.17763";
  static final String EDGE_131 = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0";
  static final String SAMSUNG = "Mozilla/5.0 (Linux; Android 9; SM-G960F) AppleWebKit/537.36 (KHTML, like Gecko) "
      + "SamsungBrowser/9.2 Chrome/60.0.3112.107 Mobile Safari/537.36";
  static final String MOBILE_SAFARI_9 = "Mozilla/5.0 (iPad; CPU OS 9_3_6 like Mac OS X) AppleWebKit/601.1.46 "
      + "(KHTML, like Gecko) Version/9.0 Mobile/13G37 Safari/601.1";
  static final String SAFARI_11 = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6) AppleWebKit/605.1.15 "
      + "(KHTML, like Gecko) Version/11.1.2 Safari/605.1.15";

  private static FilterConfig config(boolean enabled, String... options) {
    return FilterConfig.fromJson(new JsonObject().put("legacyBrowsers",
        new JsonObject().put("isEnabled", enabled).put("options", new JsonArray(List.of(options)))));
  }

  private static boolean filtered(String userAgent, FilterConfig config) {
    return InboundFilters.check(FilterEvents.withUserAgent(userAgent), config, null)
        .filter(key -> key == FilterStatKey.LEGACY_BROWSERS).isPresent();
  }

  @Test
  void doesNotFilterWhenDisabledOrWithoutOptions() {
    assertThat(filtered(IE8, config(false, "default"))).isFalse();
    assertThat(filtered(IE8, config(true))).isFalse();
    assertThat(filtered(IE8, config(true, "some_future_option"))).isFalse();
  }

  @Test
  void defaultFiltersOldVersions() {
    for (String ua : List.of(IE9, IE_MOBILE9, SAFARI_PRE6, OPERA_PRE15, ANDROID_PRE4, OPERA_MINI_PRE8)) {
      assertThat(filtered(ua, config(true, "default"))).as(ua).isTrue();
    }
  }

  @Test
  void defaultPassesVersionsAtTheMinimum() {
    for (String ua : List.of(IE10, SAFARI_6, OPERA_15, ANDROID_4, OPERA_MINI_8)) {
      assertThat(filtered(ua, config(true, "default"))).as(ua).isFalse();
    }
  }

  @Test
  void filtersConfiguredBrowsers() {
    Object[][] cases = {
        {IE10, new String[] {"android_pre_4", "ie10"}},
        {IE11, new String[] {"ie11"}},
        {IE10, new String[] {"ie10"}},
        {IE9, new String[] {"ie9"}},
        {IE_MOBILE9, new String[] {"ie9"}},
        {IE9, new String[] {"android_pre_4", "ie9"}},
        {IE8, new String[] {"ie_pre_9"}},
        {IE8, new String[] {"opera_pre_15", "ie_pre_9"}},
        {OPERA_PRE15, new String[] {"opera_pre_15"}},
        {OPERA_PRE15, new String[] {"ie10", "opera_pre_15"}},
        {OPERA_MINI_PRE8, new String[] {"opera_mini_pre_8"}},
        {OPERA_MINI_PRE8, new String[] {"ie10", "opera_mini_pre_8"}},
        {ANDROID_PRE4, new String[] {"android_pre_4"}},
        {ANDROID_PRE4, new String[] {"ie10", "android_pre_4"}},
        {SAFARI_PRE6, new String[] {"safari_pre_6"}},
        {SAFARI_PRE6, new String[] {"opera_pre_15", "safari_pre_6"}},
    };
    for (Object[] c : cases) {
      assertThat(filtered((String) c[0], config(true, (String[]) c[1]))).as(c[0] + " " + List.of((String[]) c[1]))
          .isTrue();
    }
  }

  @Test
  void passesUnconfiguredBrowsers() {
    Object[][] cases = {
        {IE11, "ie10"}, {IE10, "ie9"}, {IE10, "ie11"}, {IE9, "ie_pre_9"}, {OPERA_15, "opera_pre_15"},
        {OPERA_MINI_8, "opera_mini_pre_8"}, {ANDROID_4, "android_pre_4"}, {SAFARI_6, "safari_pre_6"},
    };
    for (Object[] c : cases) {
      assertThat(filtered((String) c[0], config(true, (String) c[1]))).as(c[0] + " " + c[1]).isFalse();
    }
  }

  @Test
  void filtersSentrysUserAgents() {
    Object[][] cases = {
        {ANDROID2_S, "default"}, {IE9_S, "default"}, {IE_MOBILE9, "default"}, {IE5_S, "default"},
        {OPERA11_S, "default"}, {OPERA_12_S, "default"}, {OPERA_MINI_PRE8, "default"},
        {OPERA_12_S, "opera_pre_15"}, {OPERA_MINI_PRE8, "opera_mini_pre_8"}, {IE8_S, "ie_pre_9"},
        {IE8_S, "default"}, {IE9_S, "ie9"}, {IE_MOBILE9, "ie9"}, {IE10_S, "ie10"},
        {IE_MOBILE10_S, "ie10"}, {SAFARI5_S, "safari_pre_6"}, {SAFARI5_S, "default"},
        {ANDROID2_S, "android_pre_4"},
    };
    for (Object[] c : cases) {
      assertThat(filtered((String) c[0], config(true, (String) c[1]))).as(c[0] + " " + c[1]).isTrue();
    }
  }

  @Test
  void passesSentrysAllowedUserAgents() {
    for (String ua : List.of(ANDROID4_S, IE10_S, IE_MOBILE10_S, OPERA_15_S, CHROME_S, EDGE_S, SAFARI7_S,
        OPERA_MINI_8)) {
      assertThat(filtered(ua, config(true, "default"))).as(ua).isFalse();
    }
  }

  @Test
  void filtersByTheCurrentBrowserClasses() {
    assertThat(filtered(IE11, config(true, "ie"))).isTrue();
    assertThat(filtered(IE_MOBILE10_S, config(true, "ie"))).isTrue();
    assertThat(filtered(CHROME_60, config(true, "chrome"))).isTrue();
    assertThat(filtered(CHROME_131, config(true, "chrome"))).isFalse();
    assertThat(filtered(FIREFOX_60, config(true, "firefox"))).isTrue();
    assertThat(filtered(FIREFOX_133, config(true, "firefox"))).isFalse();
    assertThat(filtered(EDGE_18, config(true, "edge"))).isTrue();
    assertThat(filtered(EDGE_18, config(true, "edge_pre_79"))).isTrue();
    assertThat(filtered(EDGE_131, config(true, "edge"))).isFalse();
    assertThat(filtered(SAFARI_11, config(true, "safari"))).isTrue();
    assertThat(filtered(SAFARI_PRE6, config(true, "safari"))).isTrue();
    assertThat(filtered(OPERA_12_S, config(true, "opera"))).isTrue();
    assertThat(filtered(OPERA_MINI_8, config(true, "opera_mini"))).isTrue();
    assertThat(filtered(ANDROID2_S, config(true, "android"))).isTrue();
    assertThat(filtered(ANDROID_4, config(true, "android"))).isFalse();
  }

  @Test
  void doesNotTakeLookAlikesForDesktopBrowsers() {
    FilterConfig all = config(true, "chrome", "safari", "firefox", "edge", "ie", "opera", "android");

    assertThat(filtered(CHROME_MOBILE_60, all)).isFalse();
    assertThat(filtered(SAMSUNG, all)).isFalse();
    assertThat(filtered(MOBILE_SAFARI_9, all)).isFalse();
    assertThat(filtered("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) Chrome/41.0", all))
        .isFalse();
  }

  @Test
  void parsesFamiliesAndVersions() {
    assertThat(UserAgents.parse(IE11)).isEqualTo(new UserAgents.Browser("IE", 11));
    assertThat(UserAgents.parse(IE_MOBILE9)).isEqualTo(new UserAgents.Browser("IE Mobile", 9));
    assertThat(UserAgents.parse(EDGE_S)).isEqualTo(new UserAgents.Browser("Edge", 12));
    assertThat(UserAgents.parse(EDGE_131)).isEqualTo(new UserAgents.Browser("Edge", 131));
    assertThat(UserAgents.parse(OPERA_PRE15)).isEqualTo(new UserAgents.Browser("Opera", 14));
    assertThat(UserAgents.parse(OPERA_12_S)).isEqualTo(new UserAgents.Browser("Opera", 12));
    assertThat(UserAgents.parse(OPERA_MINI_PRE8)).isEqualTo(new UserAgents.Browser("Opera Mini", 7));
    assertThat(UserAgents.parse(ANDROID2_S)).isEqualTo(new UserAgents.Browser("Android", 2));
    assertThat(UserAgents.parse(ANDROID4_S).family()).isEqualTo("Chrome Mobile");
    assertThat(UserAgents.parse(SAFARI5_S)).isEqualTo(new UserAgents.Browser("Safari", 5));
    assertThat(UserAgents.parse(MOBILE_SAFARI_9).family()).isEqualTo("Mobile Safari");
    assertThat(UserAgents.parse(CHROME_S)).isEqualTo(new UserAgents.Browser("Chrome", 41));
    assertThat(UserAgents.parse(FIREFOX_60)).isEqualTo(new UserAgents.Browser("Firefox", 60));
    assertThat(UserAgents.parse(null).family()).isEqualTo(UserAgents.OTHER);
  }

  @Test
  void anEventWithoutUserAgentPasses() {
    assertThat(InboundFilters.check(new JsonObject(), config(true, "default", "ie"), null)).isEmpty();
  }
}

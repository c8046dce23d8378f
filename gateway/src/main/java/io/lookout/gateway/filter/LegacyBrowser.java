package io.lookout.gateway.filter;

import java.util.HashMap;
import java.util.Map;

/**
 * The browser classes of the legacy-browsers filter, by the names Sentry sends in
 * {@code legacyBrowsers.options}. Names Lookout does not know are kept as written and filter
 * nothing, as Relay's {@code LegacyBrowser::Unknown}.
 */
public enum LegacyBrowser {
  /** Relay's default minimum versions for every known browser. */
  DEFAULT("default"),
  IE_PRE_9("ie_pre_9"),
  IE9("ie9"),
  IE10("ie10"),
  IE11("ie11"),
  OPERA_PRE_15("opera_pre_15"),
  OPERA_MINI_PRE_8("opera_mini_pre_8"),
  ANDROID_PRE_4("android_pre_4"),
  SAFARI_PRE_6("safari_pre_6"),
  /** Edge 12 to 18, before it became Chromium (79). */
  EDGE_PRE_79("edge_pre_79"),
  /** Internet Explorer 11 and lower. */
  IE("ie"),
  /** Safari 11 and lower. */
  SAFARI("safari"),
  /** Opera 50 and lower. */
  OPERA("opera"),
  /** Opera Mini 34 and lower. */
  OPERA_MINI("opera_mini"),
  /** Android browser 3 and lower. */
  ANDROID("android"),
  /** Firefox 66 and lower. */
  FIREFOX("firefox"),
  /** Chrome 62 and lower. */
  CHROME("chrome"),
  /** Edge 18 and lower (the last version before 79). */
  EDGE("edge");

  private static final Map<String, LegacyBrowser> BY_NAME = new HashMap<>();

  static {
    for (LegacyBrowser browser : values()) {
      BY_NAME.put(browser.configName, browser);
    }
  }

  private final String configName;

  LegacyBrowser(String configName) {
    this.configName = configName;
  }

  /** The name in the project config, e.g. {@code "ie_pre_9"}. */
  public String configName() {
    return configName;
  }

  /** The class of a config name, {@code null} for a name Lookout does not know. */
  public static LegacyBrowser fromConfigName(String name) {
    return BY_NAME.get(name);
  }
}

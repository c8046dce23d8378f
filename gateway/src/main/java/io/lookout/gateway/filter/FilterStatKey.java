package io.lookout.gateway.filter;

/**
 * Which inbound filter dropped an event: the {@code reason} of its filtered outcome (outcome 1),
 * as Relay's {@code FilterStatKey} names it in kebab-case.
 */
public enum FilterStatKey {
  /** The client IP is on the project's list ({@code clientIps.blacklistedIps}). */
  IP_ADDRESS("ip-address"),
  /** The release matches one of {@code releases.releases}. */
  RELEASE_VERSION("release-version"),
  /** The message or an exception matches one of {@code errorMessages.patterns}. */
  ERROR_MESSAGE("error-message"),
  /** An error known to come from a browser extension. */
  BROWSER_EXTENSIONS("browser-extensions"),
  /** An old browser version, per {@code legacyBrowsers}. */
  LEGACY_BROWSERS("legacy-browsers"),
  /** Sent from, or about, the local machine. */
  LOCALHOST("localhost"),
  /** A known web crawler's user agent. */
  WEB_CRAWLERS("web-crawlers"),
  /** A CSP report from a disallowed source (not evaluated by Lookout yet). */
  INVALID_CSP("invalid-csp"),
  /** A transaction whose name matches {@code ignoreTransactions.patterns} (health checks). */
  FILTERED_TRANSACTIONS("filtered-transaction");

  private final String reason;

  FilterStatKey(String reason) {
    this.reason = reason;
  }

  /** The outcome reason, e.g. {@code "browser-extensions"}. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return reason;
  }
}

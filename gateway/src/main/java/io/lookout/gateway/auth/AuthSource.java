package io.lookout.gateway.auth;

/** Where a request's credentials came from; Relay accepts exactly one of these per request. */
public enum AuthSource {
  /** {@code X-Sentry-Auth: Sentry sentry_key=...} (the SDKs' header). */
  HEADER("x-sentry-auth"),
  /** {@code Authorization: Sentry sentry_key=...}. */
  AUTHORIZATION("authorization"),
  /** {@code Authorization: Basic base64(key:secret)}. */
  BASIC("basic"),
  /** {@code ?sentry_key=...&sentry_version=...} (browser and Node SDKs). */
  QUERY("query"),
  /** The key as a path segment ({@code /api/{pid}/cron/{slug}/{key}/}, the Unreal endpoint). */
  PATH("path"),
  /** The {@code dsn} of the envelope header, used only when nothing else was sent. */
  ENVELOPE_DSN("envelope_dsn");

  private final String wireName;

  AuthSource(String wireName) {
    this.wireName = wireName;
  }

  /** A short lower-case name for logs and metric tags. */
  public String wireName() {
    return wireName;
  }
}

package io.lookout.gateway.auth;

import java.util.Locale;
import java.util.Objects;

/**
 * A Sentry DSN, {@code http(s)://PUBLIC_KEY[:SECRET]@HOST[:PORT]/[PATH/]PROJECT_ID}.
 *
 * <p>Parsed as Relay parses the {@code dsn} of an envelope header (sentry-types' {@code Dsn} read by
 * the {@code url} crate, then Relay's {@code PartialDsn}, which insists on a numeric project id and
 * a valid public key), and printed as sentry-types prints it: {@code scheme://key:[secret]@host},
 * the port only when it is not the scheme's default, then the path and the project id. Parsing then
 * printing gives the same text for any DSN an SDK is given.
 *
 * @param scheme {@code http} or {@code https}
 * @param publicKey 32 hex digits
 * @param secretKey the legacy secret, {@code null} when there is none (or it is empty)
 * @param host lower-case host name or address (an IPv6 address keeps its brackets)
 * @param port the explicit port, {@code null} when absent or the scheme's default
 * @param path {@code "/"} or {@code "/some/prefix/"}: what stands between host and project id
 * @param projectId the numeric project id
 */
public record Dsn(String scheme, String publicKey, String secretKey, String host, Integer port,
    String path, long projectId) {

  public Dsn {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("no valid scheme");
    }
    if (!isValidPublicKey(publicKey)) {
      throw new IllegalArgumentException("invalid project key");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no valid url provided");
    }
    if (!path.startsWith("/") || !path.endsWith("/")) {
      throw new IllegalArgumentException("path must start and end with '/': " + path);
    }
    if (projectId < 0) {
      throw new IllegalArgumentException("invalid project id");
    }
    if (secretKey != null && secretKey.isEmpty()) {
      secretKey = null;
    }
    if (port != null && port == defaultPort(scheme)) {
      port = null;
    }
    if (port != null && (port < 0 || port > 65535)) {
      throw new IllegalArgumentException("no valid url provided");
    }
  }

  /** A DSN without secret and path prefix, as Lookout prints the DSN of a project key. */
  public static Dsn of(String scheme, String publicKey, String host, Integer port, long projectId) {
    return new Dsn(scheme, publicKey, null, host.toLowerCase(Locale.ROOT), port, "/", projectId);
  }

  /**
   * Whether a public key is usable: 32 ASCII hex digits (either case), as Sentry creates them.
   * Relay's {@code ProjectKey::parse} accepts any 32 ASCII characters; we refuse the non-hex ones at
   * the door instead of after a failed project look-up.
   */
  public static boolean isValidPublicKey(String key) {
    if (key == null || key.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      char c = key.charAt(i);
      boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a DSN.
   *
   * @throws IllegalArgumentException with the text of sentry-types' {@code ParseDsnError} as Relay's
   *     {@code PartialDsn} reports it: "no valid url provided", "no valid scheme", "username is
   *     empty" (also for a key that is not 32 hex digits), "empty path" (also for a project id
   *     that is not a number)
   */
  public static Dsn parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.strip();
    int schemeEnd = s.indexOf("://");
    if (schemeEnd <= 0 || !isScheme(s, schemeEnd)) {
      throw new IllegalArgumentException("no valid url provided");
    }
    String scheme = s.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = s.substring(schemeEnd + 3);
    int authorityEnd = indexOfAny(rest, "/?#");
    String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
    String afterAuthority = authorityEnd < 0 ? "" : rest.substring(authorityEnd);

    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? "" : authority.substring(0, at);
    String hostPort = at < 0 ? authority : authority.substring(at + 1);
    int colon = userInfo.indexOf(':');
    String username = colon < 0 ? userInfo : userInfo.substring(0, colon);
    String password = colon < 0 ? null : userInfo.substring(colon + 1);

    String host;
    String portText;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("no valid url provided");
      }
      host = hostPort.substring(0, close + 1);
      String tail = hostPort.substring(close + 1);
      if (!tail.isEmpty() && !tail.startsWith(":")) {
        throw new IllegalArgumentException("no valid url provided");
      }
      portText = tail.isEmpty() ? "" : tail.substring(1);
    } else {
      int portColon = hostPort.lastIndexOf(':');
      host = portColon < 0 ? hostPort : hostPort.substring(0, portColon);
      portText = portColon < 0 ? "" : hostPort.substring(portColon + 1);
    }
    if (host.isEmpty() || !isHost(host)) {
      throw new IllegalArgumentException("no valid url provided");
    }
    Integer port = null;
    if (!portText.isEmpty()) {
      if (portText.length() > 5 || !allDigits(portText)) {
        throw new IllegalArgumentException("no valid url provided");
      }
      port = Integer.parseInt(portText);
      if (port > 65535) {
        throw new IllegalArgumentException("no valid url provided");
      }
    }

    int queryStart = indexOfAny(afterAuthority, "?#");
    String urlPath = queryStart < 0 ? afterAuthority : afterAuthority.substring(0, queryStart);
    if (urlPath.isEmpty() || urlPath.equals("/")) {
      throw new IllegalArgumentException("empty path");
    }
    String trimmed = trimSlashes(urlPath);
    int lastSlash = trimmed.lastIndexOf('/');
    String projectText = lastSlash < 0 ? trimmed : trimmed.substring(lastSlash + 1);
    String prefix = lastSlash < 0 ? "" : trimmed.substring(0, lastSlash);
    if (projectText.isEmpty() || projectText.length() > 18 || !allDigits(projectText)) {
      // Relay's PartialDsn reports a project id that is not a u64 as NoProjectId ("empty path").
      throw new IllegalArgumentException("empty path");
    }
    String path = prefix.isEmpty() || prefix.equals("/") ? "/" : "/" + prefix + "/";

    if (username.isEmpty()) {
      throw new IllegalArgumentException("username is empty");
    }
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("no valid scheme");
    }
    if (!isValidPublicKey(username)) {
      // PartialDsn maps an unparsable public key to NoUsername as well.
      throw new IllegalArgumentException("username is empty");
    }
    return new Dsn(scheme, username, password, host.toLowerCase(Locale.ROOT), port, path,
        Long.parseLong(projectText));
  }

  /** The port requests go to: the explicit one or the scheme's default. */
  public int effectivePort() {
    return port != null ? port : defaultPort(scheme);
  }

  /** The URL of an API endpoint for this DSN, e.g. {@code apiUrl("envelope")}. */
  public String apiUrl(String endpoint) {
    StringBuilder url = new StringBuilder().append(scheme).append("://").append(host);
    if (port != null) {
      url.append(':').append(port);
    }
    return url.append(path).append("api/").append(projectId).append('/').append(endpoint).append('/')
        .toString();
  }

  /** The DSN text, {@code scheme://key:[secret]@host[:port]/[path/]project}. */
  @Override
  public String toString() {
    StringBuilder dsn = new StringBuilder(96).append(scheme).append("://").append(publicKey).append(':');
    if (secretKey != null) {
      dsn.append(secretKey);
    }
    dsn.append('@').append(host);
    if (port != null) {
      dsn.append(':').append(port);
    }
    return dsn.append(path).append(projectId).toString();
  }

  private static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  private static boolean isScheme(String s, int end) {
    char first = s.charAt(0);
    if (!((first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z'))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '+' || c == '-' || c == '.';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHost(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= ' ' || c == '/' || c == '\\' || c == '@' || c == '?' || c == '#' || c == '%'
          || c == '<' || c == '>' || c == '^' || c == '|' || c == 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static String trimSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}

package io.lookout.gateway.auth;

import io.lookout.gateway.http.PercentDecoding;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Finds the credentials of an ingest request exactly where and as Relay does
 * ({@code auth_from_parts} and {@code RequestMeta::from_request_parts} in
 * {@code relay-server/src/extractors/request_meta.rs}; the parsing is sentry-types' {@code Auth}).
 *
 * <p>Sources, in Relay's order, of which at most one may be present:
 * <ol>
 *   <li>{@code X-Sentry-Auth}, if it starts with {@code "sentry "} (any case): comma-separated
 *       {@code key=value} pairs, each trimmed, any order, spaces after the commas or not; unknown
 *       keys ignored, a repeated key overrides, quotes are not stripped;</li>
 *   <li>{@code Authorization: Sentry ...}, the same form;</li>
 *   <li>{@code Authorization: Basic base64(key:secret)}; a value that does not decode to
 *       {@code key:...} with a non-empty key is ignored, not refused;</li>
 *   <li>the query string, if its raw text contains {@code "sentry_"}: {@code sentry_key},
 *       {@code sentry_version}, {@code sentry_client}, {@code sentry_secret},
 *       {@code sentry_timestamp} as form fields;</li>
 *   <li>the key in the path (cron and Unreal routes).</li>
 * </ol>
 * Two of them, even with the same key, are "multiple authorization payloads detected" (401). With
 * none, an envelope route falls back to the envelope header's {@code dsn}; other routes answer
 * "missing authorization information" (401). Then the key must be 32 hex digits (400 "bad sentry
 * DSN public key") and the version at most 7 (400 "unsupported protocol version (N)").
 *
 * <p>Only the first value of a repeated header counts, and a header value with characters other
 * than visible ASCII and tab is treated as absent, both as in Relay ({@code HeaderValue::to_str}).
 *
 * <p>Stateless and thread-safe.
 */
public final class AuthExtractor {

  private static final Pattern VERSION = Pattern.compile("\\+?[0-9]+");
  private static final Pattern TIMESTAMP =
      Pattern.compile("[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  private AuthExtractor() {
  }

  /**
   * The request's credentials.
   *
   * @throws AuthException if they are missing, given more than once, malformed, or of a newer
   *     protocol version
   */
  public static RequestAuth extract(AuthInputs inputs) {
    Objects.requireNonNull(inputs, "inputs");
    Credentials found = null;

    String sentryAuth = sentryHeader(first(inputs.sentryAuth()));
    if (sentryAuth != null) {
      found = parseHeader(sentryAuth, AuthSource.HEADER);
    }

    String authorization = usable(first(inputs.authorization()));
    String sentryAuthorization = sentryHeader(authorization);
    if (sentryAuthorization != null) {
      requireNone(found);
      found = parseHeader(sentryAuthorization, AuthSource.AUTHORIZATION);
    }

    Credentials basic = basic(authorization);
    if (basic != null) {
      requireNone(found);
      found = basic;
    }

    String query = inputs.query();
    if (query != null && query.contains("sentry_")) {
      requireNone(found);
      found = fromPairs(formPairs(query), AuthSource.QUERY);
      if (found == null) {
        throw AuthException.of(AuthException.Kind.BAD_AUTH, "missing public key in auth header");
      }
    }

    boolean missing = found == null;
    if (inputs.pathKey() != null) {
      requireNone(found);
      found = fromPairs(List.<String[]>of(new String[] {"sentry_key", inputs.pathKey()}),
          AuthSource.PATH);
      missing = found == null;
    }

    if (missing) {
      if (inputs.envelopeDsn() == null) {
        throw AuthException.of(AuthException.Kind.MISSING_AUTH);
      }
      return fromEnvelopeDsn(inputs.envelopeDsn().get(), inputs.pathProjectId());
    }
    return complete(found);
  }

  /**
   * Checks the envelope header's {@code dsn} against the request, as Relay's
   * {@code PartialEnvelopeHeaders::complete} does: a DSN that does not parse, or that names another
   * project id or public key, makes the envelope invalid (400 "invalid event envelope"). A missing
   * {@code dsn} is fine.
   *
   * @param requestProjectId the project id of the path, {@code null} for {@code /api/store/} (which
   *     then disagrees with any DSN, as in Relay)
   * @throws AuthException of kind {@link AuthException.Kind#INVALID_ENVELOPE}
   */
  public static void checkEnvelopeDsn(RequestAuth auth, Long requestProjectId, String envelopeDsn) {
    Objects.requireNonNull(auth, "auth");
    if (envelopeDsn == null) {
      return;
    }
    Dsn dsn;
    try {
      dsn = Dsn.parse(envelopeDsn);
    } catch (IllegalArgumentException e) {
      throw AuthException.of(AuthException.Kind.INVALID_ENVELOPE, "invalid envelope header",
          e.getMessage());
    }
    if (!Objects.equals(dsn.projectId(), requestProjectId)) {
      throw AuthException.of(AuthException.Kind.INVALID_ENVELOPE,
          "project id header mismatch between envelope and request");
    }
    if (!dsn.publicKey().equals(auth.publicKey())) {
      throw AuthException.of(AuthException.Kind.INVALID_ENVELOPE,
          "public key header mismatch between envelope and request");
    }
  }

  /*
   * Relay's fallback reads the whole envelope header as its RequestMeta; for us only `dsn` matters.
   * Unlike Relay we also hold the DSN's project id against the path's: Relay would take the DSN's
   * project and ignore the path, and we would rather refuse than file events under another id.
   */
  private static RequestAuth fromEnvelopeDsn(String envelopeDsn, Long pathProjectId) {
    if (envelopeDsn == null) {
      throw AuthException.of(AuthException.Kind.BAD_ENVELOPE_AUTH, "missing field `dsn`");
    }
    Dsn dsn;
    try {
      dsn = Dsn.parse(envelopeDsn);
    } catch (IllegalArgumentException e) {
      throw AuthException.of(AuthException.Kind.BAD_ENVELOPE_AUTH, e.getMessage());
    }
    if (pathProjectId != null && dsn.projectId() != pathProjectId) {
      throw AuthException.of(AuthException.Kind.INVALID_ENVELOPE,
          "project id header mismatch between envelope and request");
    }
    return new RequestAuth(dsn.publicKey(), dsn.secretKey(), RequestAuth.PROTOCOL_VERSION, null,
        null, AuthSource.ENVELOPE_DSN, false, dsn.projectId());
  }

  private static RequestAuth complete(Credentials found) {
    // ProjectKey::parse_with_flags: "KEY.flag1.flag2"; Relay knows the flag "no-cache".
    String[] parts = found.key.split("\\.", -1);
    if (!Dsn.isValidPublicKey(parts[0])) {
      throw AuthException.of(AuthException.Kind.BAD_PUBLIC_KEY, "invalid project key");
    }
    boolean noCache = false;
    for (int i = 1; i < parts.length; i++) {
      noCache |= parts[i].equals("no-cache");
    }
    if (found.version > RequestAuth.PROTOCOL_VERSION) {
      throw AuthException.unsupportedVersion(found.version);
    }
    return new RequestAuth(parts[0], found.secret, found.version, found.client, found.timestamp,
        found.source, noCache, null);
  }

  private static void requireNone(Credentials found) {
    if (found != null) {
      throw AuthException.of(AuthException.Kind.MULTIPLE_AUTH);
    }
  }

  private static String first(List<String> values) {
    return values.isEmpty() ? null : values.get(0);
  }

  /** The value if it is a valid header value for Relay's {@code to_str}, else {@code null}. */
  private static String usable(String value) {
    if (value == null) {
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        return null;
      }
    }
    return value;
  }

  /** The header if it is a usable {@code Sentry ...} header, else {@code null}. */
  private static String sentryHeader(String value) {
    String usable = usable(value);
    if (usable == null || usable.length() < 7 || !usable.regionMatches(true, 0, "sentry ", 0, 7)) {
      return null;
    }
    return usable;
  }

  /** sentry-types' {@code Auth::from_str} on a header known to start with "sentry ". */
  private static Credentials parseHeader(String header, AuthSource source) {
    String items = header.substring(header.indexOf(' ') + 1);
    List<String[]> pairs = new ArrayList<>();
    for (String item : items.split(",", -1)) {
      // Rust's `split('=')` then the first two parts: "a=b=c" is ("a", "b").
      String[] kv = item.split("=", -1);
      if (kv.length >= 2) {
        pairs.add(new String[] {kv[0].strip(), kv[1].strip()});
      }
    }
    Credentials credentials = fromPairs(pairs, source);
    if (credentials == null) {
      throw AuthException.of(AuthException.Kind.BAD_AUTH, "missing public key in auth header");
    }
    return credentials;
  }

  private static Credentials basic(String authorization) {
    if (authorization == null || authorization.length() < 6
        || !authorization.regionMatches(true, 0, "basic ", 0, 6)) {
      return null;
    }
    String encoded = authorization.substring(6);
    if (encoded.length() % 4 != 0) {
      return null; // data-encoding's BASE64 wants padding
    }
    String decoded;
    try {
      byte[] bytes = Base64.getDecoder().decode(encoded);
      decoded = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (IllegalArgumentException | CharacterCodingException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String key = decoded.substring(0, colon);
    String secret = decoded.substring(colon + 1);
    if (key.isEmpty()) {
      return null;
    }
    return new Credentials(key, secret.isEmpty() ? null : secret, RequestAuth.PROTOCOL_VERSION, null,
        null, AuthSource.BASIC);
  }

  /**
   * sentry-types' {@code Auth::from_pairs}: {@code null} when the key is missing or empty.
   *
   * @throws AuthException for an unreadable {@code sentry_version}
   */
  private static Credentials fromPairs(List<String[]> pairs, AuthSource source) {
    String key = "";
    String secret = null;
    String client = null;
    int version = RequestAuth.PROTOCOL_VERSION;
    Instant timestamp = null;
    for (String[] pair : pairs) {
      String value = pair[1];
      switch (pair[0]) {
        case "sentry_timestamp" -> timestamp = timestamp(value);
        case "sentry_client" -> client = value;
        case "sentry_version" -> version = version(value);
        case "sentry_key" -> key = value;
        case "sentry_secret" -> secret = value;
        default -> {
          // other keys are ignored, as in Relay
        }
      }
    }
    if (key.isEmpty()) {
      return null;
    }
    return new Credentials(key, secret, version, client, timestamp, source);
  }

  /** The major part of {@code sentry_version} ("7", "7.0"), a Rust {@code u16}. */
  private static int version(String value) {
    int dot = value.indexOf('.');
    String major = dot < 0 ? value : value.substring(0, dot);
    if (VERSION.matcher(major).matches()) {
      String digits = major.startsWith("+") ? major.substring(1) : major;
      int zeros = 0;
      while (zeros < digits.length() - 1 && digits.charAt(zeros) == '0') {
        zeros++; // leading zeros, keeping the last digit (no regex on the request path)
      }
      String significant = digits.substring(zeros);
      if (significant.length() <= 5) {
        int parsed = Integer.parseInt(significant);
        if (parsed <= 0xFFFF) {
          return parsed;
        }
      }
    }
    throw AuthException.of(AuthException.Kind.BAD_AUTH, "invalid value for version");
  }

  /** {@code sentry_timestamp}: Unix seconds with an optional fraction; {@code null} if unreadable. */
  private static Instant timestamp(String value) {
    if (!TIMESTAMP.matcher(value).matches()) {
      return null;
    }
    try {
      double seconds = Double.parseDouble(value);
      if (!(seconds >= 0) || seconds > 253_402_300_799d) {
        return null;
      }
      BigDecimal exact = new BigDecimal(seconds);
      long whole = exact.longValue();
      long nanos = exact.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** The name/value pairs of a form-encoded query, decoded as the {@code url} crate does. */
  static List<String[]> formPairs(String query) {
    List<String[]> pairs = new ArrayList<>();
    for (String part : query.split("&", -1)) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      pairs.add(new String[] {PercentDecoding.decode(name, true), PercentDecoding.decode(value, true)});
    }
    return pairs;
  }

  private record Credentials(String key, String secret, int version, String client,
      Instant timestamp, AuthSource source) {
  }
}

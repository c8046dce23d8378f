package io.lookout.gateway.auth;

import java.util.List;

/**
 * A request whose authentication Relay would refuse. {@link #httpStatus()} and {@link #detail()}
 * / {@link #causes()} are what Relay answers ({@code {"detail": ..., "causes": [...]}}), and
 * {@link #reason()} the outcome reason for an invalid outcome.
 *
 * <p>The kinds and their texts are Relay's {@code BadEventMeta} ({@code extractors/request_meta.rs})
 * and, for an envelope whose {@code dsn} header disagrees with the request, its
 * {@code EnvelopeError::HeaderMismatch} under {@code BadStoreRequest::InvalidEnvelope}.
 *
 * <p>Unchecked so that it can leave a Vert.x {@code compose} lambda; the endpoint maps it to its
 * rejection type.
 */
public final class AuthException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Relay's {@code DiscardReason::AuthVersion}. */
  public static final String REASON_AUTH_VERSION = "auth_version";
  /** Relay's {@code DiscardReason::AuthClient}: the request's credentials are unusable. */
  public static final String REASON_AUTH_CLIENT = "auth_client";
  /** Relay's {@code DiscardReason::InvalidEnvelope}. */
  public static final String REASON_INVALID_ENVELOPE = "invalid_envelope";

  /** What was wrong, with Relay's status and text for each. */
  public enum Kind {
    /** No X-Sentry-Auth, Authorization, {@code sentry_*} query, path key nor envelope DSN. */
    MISSING_AUTH(401, "missing authorization information", REASON_AUTH_CLIENT),
    /** Credentials in more than one place (even if they are identical). */
    MULTIPLE_AUTH(401, "multiple authorization payloads detected", REASON_AUTH_CLIENT),
    /** A {@code Sentry ...} header or {@code sentry_*} query that does not parse. */
    BAD_AUTH(401, "bad x-sentry-auth header", REASON_AUTH_CLIENT),
    /** No other credentials, and the envelope header has no usable {@code dsn}. */
    BAD_ENVELOPE_AUTH(401, "bad envelope authentication header", REASON_AUTH_CLIENT),
    /** The public key is not 32 hex digits. */
    BAD_PUBLIC_KEY(400, "bad sentry DSN public key", REASON_AUTH_CLIENT),
    /** {@code sentry_version} above the protocol version we speak (7). */
    UNSUPPORTED_VERSION(400, "unsupported protocol version", REASON_AUTH_VERSION),
    /** The envelope header's {@code dsn} is invalid or names another project or key. */
    INVALID_ENVELOPE(400, "invalid event envelope", REASON_INVALID_ENVELOPE);

    private final int httpStatus;
    private final String text;
    private final String reason;

    Kind(int httpStatus, String text, String reason) {
      this.httpStatus = httpStatus;
      this.text = text;
      this.reason = reason;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** Relay's text for this kind (the version number is added for {@link #UNSUPPORTED_VERSION}). */
    public String text() {
      return text;
    }

    public String reason() {
      return reason;
    }
  }

  private final Kind kind;
  private final String detail;
  private final List<String> causes;

  private AuthException(Kind kind, String detail, List<String> causes) {
    super(causes.isEmpty() ? detail : detail + ": " + String.join(": ", causes));
    this.kind = kind;
    this.detail = detail;
    this.causes = List.copyOf(causes);
  }

  static AuthException of(Kind kind, String... causes) {
    return new AuthException(kind, kind.text, List.of(causes));
  }

  static AuthException unsupportedVersion(int version) {
    return new AuthException(Kind.UNSUPPORTED_VERSION,
        Kind.UNSUPPORTED_VERSION.text + " (" + version + ")", List.of());
  }

  public Kind kind() {
    return kind;
  }

  /** 400 or 401, as Relay answers. */
  public int httpStatus() {
    return kind.httpStatus;
  }

  /** The {@code detail} of the error body. */
  public String detail() {
    return detail;
  }

  /** The {@code causes} of the error body, outermost first; empty when Relay lists none. */
  public List<String> causes() {
    return causes;
  }

  /** The reason of the invalid outcome. */
  public String reason() {
    return kind.reason;
  }
}

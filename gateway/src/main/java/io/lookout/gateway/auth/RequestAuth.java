package io.lookout.gateway.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The credentials of an ingest request, as {@link AuthExtractor} found them.
 *
 * @param publicKey the project key, 32 hex digits (as sent; flags such as {@code .no-cache} cut off)
 * @param secretKey the legacy {@code sentry_secret} (or the secret of a Basic or DSN credential),
 *     {@code null} when absent
 * @param version the protocol version, {@code sentry_version}'s major part; 7 when not sent
 * @param client the SDK, {@code sentry_client} (e.g. {@code sentry.java/8.63.0}); {@code null} when
 *     absent
 * @param timestamp {@code sentry_timestamp}, {@code null} when absent or unreadable
 * @param source where the credentials came from
 * @param noCache the key carried Relay's {@code .no-cache} flag ({@code KEY.no-cache}): the project
 *     state should be fetched anew
 * @param dsnProjectId the project id of the envelope DSN when {@code source} is
 *     {@link AuthSource#ENVELOPE_DSN}, else {@code null}
 */
public record RequestAuth(String publicKey, String secretKey, int version, String client,
    Instant timestamp, AuthSource source, boolean noCache, Long dsnProjectId) {

  /** The protocol version Relay speaks and assumes when a request names none. */
  public static final int PROTOCOL_VERSION = 7;

  public RequestAuth {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(source, "source");
  }

  /** The SDK name without version ({@code sentry.java} of {@code sentry.java/8.63.0}), or "proprietary". */
  public String clientName() {
    if (client == null) {
      return "proprietary";
    }
    int slash = client.indexOf('/');
    return slash < 0 ? "proprietary" : client.substring(0, slash);
  }
}

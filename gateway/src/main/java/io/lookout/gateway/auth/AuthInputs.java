package io.lookout.gateway.auth;

import io.vertx.core.MultiMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@link AuthExtractor} reads from a request.
 *
 * @param sentryAuth the {@code X-Sentry-Auth} header values in request order (only the first counts,
 *     as in Relay, which reads a header with {@code HeaderMap::get})
 * @param authorization the {@code Authorization} header values in request order (first counts)
 * @param query the raw query string ({@code HttpServerRequest.query()}: no {@code ?}, still
 *     percent-encoded), {@code null} when there is none. Raw because Relay looks for
 *     {@code "sentry_"} in the raw text and decodes it as a form ({@code +} is a space).
 * @param pathKey the key from the path (cron, Unreal), {@code null} when the route has none
 * @param pathProjectId the project id from the path, {@code null} for {@code /api/store/}
 * @param envelopeDsn reads the envelope header's {@code dsn} (or answers {@code null} when the header
 *     has none); consulted only when nothing else carries credentials, so the endpoint can set it
 *     after parsing the body. {@code null} on routes without an envelope body.
 */
public record AuthInputs(List<String> sentryAuth, List<String> authorization, String query,
    String pathKey, Long pathProjectId, Supplier<String> envelopeDsn) {

  public AuthInputs {
    sentryAuth = sentryAuth == null ? List.of() : List.copyOf(sentryAuth);
    authorization = authorization == null ? List.of() : List.copyOf(authorization);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link AuthInputs}; every part is optional. */
  public static final class Builder {
    private final List<String> sentryAuth = new ArrayList<>(1);
    private final List<String> authorization = new ArrayList<>(1);
    private String query;
    private String pathKey;
    private Long pathProjectId;
    private Supplier<String> envelopeDsn;

    private Builder() {
    }

    /** Adds {@code X-Sentry-Auth} values (e.g. {@code request.headers().getAll("X-Sentry-Auth")}). */
    public Builder sentryAuth(List<String> values) {
      sentryAuth.addAll(values);
      return this;
    }

    public Builder sentryAuth(String value) {
      sentryAuth.add(value);
      return this;
    }

    /** Adds {@code Authorization} values. */
    public Builder authorization(List<String> values) {
      authorization.addAll(values);
      return this;
    }

    public Builder authorization(String value) {
      authorization.add(value);
      return this;
    }

    /** Takes the headers a request carries (names are matched case-insensitively by Vert.x). */
    public Builder headers(MultiMap headers) {
      sentryAuth.addAll(headers.getAll("X-Sentry-Auth"));
      authorization.addAll(headers.getAll("Authorization"));
      return this;
    }

    /** The raw query string, without {@code ?}. */
    public Builder query(String rawQuery) {
      this.query = rawQuery;
      return this;
    }

    /**
     * Decoded query parameters, re-encoded as a form so that they are read as the raw query
     * would be. Prefer {@link #query(String)} when the raw text is at hand.
     */
    public Builder queryParams(MultiMap params) {
      StringBuilder raw = new StringBuilder();
      for (Map.Entry<String, String> entry : params) {
        if (raw.length() > 0) {
          raw.append('&');
        }
        raw.append(URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8)).append('=')
            .append(URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8));
      }
      this.query = raw.length() == 0 ? null : raw.toString();
      return this;
    }

    public Builder pathKey(String key) {
      this.pathKey = key;
      return this;
    }

    public Builder pathProjectId(Long projectId) {
      this.pathProjectId = projectId;
      return this;
    }

    public Builder envelopeDsn(Supplier<String> dsn) {
      this.envelopeDsn = dsn;
      return this;
    }

    public AuthInputs build() {
      return new AuthInputs(sentryAuth, authorization, query, pathKey, pathProjectId, envelopeDsn);
    }
  }
}

package io.lookout.processors.api;

import static io.lookout.storage.config.Conf.bytes;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;
import static io.lookout.storage.config.Conf.tcpPort;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * The read API's settings ({@code processors.json: api}).
 *
 * @param host address the API listens on (loopback by default: put a proxy with TLS in front)
 * @param port TCP port; 0 picks a free one (tests)
 * @param maxPageSize largest {@code limit} a list endpoint honours; larger values are clamped
 * @param defaultPageSize page size when the request has no {@code limit}
 * @param requestTimeoutMs a request still unanswered after this long gets 503
 * @param maxBodyBytes largest request body (only PUT has one); larger ones get 413
 * @param tokenCacheSize bearer tokens remembered as valid, least recently used dropped first
 * @param tokenCacheTtlMs how long a valid token is trusted without asking Postgres again (so a
 *     deleted token keeps working at most this long)
 * @param publicUrl base of the links the API hands out (issue {@code permalink}, {@code Link}
 *     headers), e.g. {@code https://lookout.example.com}; empty = scheme and Host of the request
 */
public record ApiConfig(
    String host,
    int port,
    int maxPageSize,
    int defaultPageSize,
    long requestTimeoutMs,
    long maxBodyBytes,
    int tokenCacheSize,
    long tokenCacheTtlMs,
    String publicUrl) {

  public ApiConfig {
    notBlank("api.host", host);
    if (port != 0) {
      tcpPort("api.port", port);
    }
    positive("api.max_page_size", maxPageSize);
    positive("api.default_page_size", defaultPageSize);
    if (defaultPageSize > maxPageSize) {
      throw new ConfigException("'api.default_page_size' (" + defaultPageSize + ") must not exceed 'api.max_page_size' ("
          + maxPageSize + ")");
    }
    positive("api.request_timeout_ms", requestTimeoutMs);
    positive("api.max_body_bytes", maxBodyBytes);
    positive("api.token_cache_size", tokenCacheSize);
    if (tokenCacheTtlMs < 0) {
      throw new ConfigException("'api.token_cache_ttl_ms' must be >= 0, got " + tokenCacheTtlMs);
    }
    publicUrl = publicUrl == null ? "" : publicUrl.strip();
    while (publicUrl.endsWith("/")) {
      publicUrl = publicUrl.substring(0, publicUrl.length() - 1);
    }
    if (!publicUrl.isEmpty() && !publicUrl.matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
      throw new ConfigException("'api.public_url' must be an http(s) URL such as https://lookout.example.com, got '"
          + publicUrl + "'");
    }
  }

  /** The documented defaults. */
  public static ApiConfig defaults() {
    return fromJson(new JsonObject());
  }

  public static ApiConfig fromJson(JsonObject json) {
    return new ApiConfig(
        string(json, "host", "127.0.0.1"),
        integer(json, "port", 9000),
        integer(json, "max_page_size", 100),
        integer(json, "default_page_size", 25),
        longValue(json, "request_timeout_ms", 30_000),
        bytes(json, "max_body_bytes", 64 * 1024),
        integer(json, "token_cache_size", 10_000),
        longValue(json, "token_cache_ttl_ms", 60_000),
        string(json, "public_url", ""));
  }

  public ApiConfig withPort(int newPort) {
    return new ApiConfig(host, newPort, maxPageSize, defaultPageSize, requestTimeoutMs, maxBodyBytes, tokenCacheSize,
        tokenCacheTtlMs, publicUrl);
  }
}

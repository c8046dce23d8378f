package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API's bearer tokens: table {@code api_tokens} keeps only the SHA-256 (hex) of each token.
 *
 * <p>A token found valid is remembered for {@code ttlMs} in a bounded LRU map, so a client polling
 * the API costs no extra query per request; unknown tokens are never cached (a flood of bad tokens
 * cannot evict good ones). Not thread-safe: one instance per verticle, used on its event loop.
 */
public final class ApiTokens {

  private static final Logger LOG = LoggerFactory.getLogger(ApiTokens.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A valid token: its row id and scopes (empty = every scope). */
  public record Token(long id, Set<String> scopes) {

    /**
     * Whether the token may do what {@code scope} ({@code event:read}, {@code event:write}...) allows:
     * an empty scope list allows everything, and {@code x:write} or {@code x:admin} include {@code x:read}.
     */
    public boolean allows(String scope) {
      if (scopes.isEmpty() || scopes.contains(scope)) {
        return true;
      }
      int colon = scope.indexOf(':');
      String resource = scope.substring(0, colon);
      String access = scope.substring(colon + 1);
      return scopes.contains(resource + ":admin") || (access.equals("read") && scopes.contains(resource + ":write"));
    }
  }

  private record Cached(Token token, long expiresAtNanos) {
  }

  private final Pool pool;
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Cached> cache;

  public ApiTokens(Pool pool, int maxCached, long ttlMs, LongSupplier nanoClock) {
    this.pool = pool;
    this.ttlNanos = ttlMs * 1_000_000L;
    this.nanoClock = nanoClock;
    this.cache = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
        return size() > maxCached;
      }
    };
  }

  /** The token, or a failed future with a 401 {@link ApiError} when it is unknown. */
  public Future<Token> authenticate(String token) {
    String hash = sha256(token);
    Cached cached = cache.get(hash);
    long now = nanoClock.getAsLong();
    if (cached != null && now - cached.expiresAtNanos() < 0) {
      return Future.succeededFuture(cached.token());
    }
    return pool.preparedQuery("SELECT id, scopes FROM api_tokens WHERE token_hash = $1").execute(Tuple.of(hash))
        .map(rows -> {
          if (rows.size() == 0) {
            cache.remove(hash);
            throw new ApiError(401, ApiError.INVALID_TOKEN);
          }
          Row row = rows.iterator().next();
          String[] scopes = row.getArrayOfStrings("scopes");
          Token valid = new Token(row.getLong("id"), scopes == null ? Set.of() : Set.copyOf(java.util.Arrays.asList(scopes)));
          if (ttlNanos > 0) {
            cache.put(hash, new Cached(valid, nanoClock.getAsLong() + ttlNanos));
          }
          touch(valid.id());
          return valid;
        });
  }

  /** Records use once per cache period; a failure here never fails the request. */
  private void touch(long id) {
    pool.preparedQuery("UPDATE api_tokens SET last_used = now() WHERE id = $1").execute(Tuple.of(id))
        .onFailure(e -> LOG.warn("could not record the use of API token {}: {}", id, e.toString()));
  }

  int cachedCount() {
    return cache.size();
  }

  /** A new random token: 64 lower-case hex digits (256 bits). */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** The hex SHA-256 of {@code token}'s UTF-8 bytes, as {@code api_tokens.token_hash} stores it. */
  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}

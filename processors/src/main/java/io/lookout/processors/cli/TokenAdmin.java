package io.lookout.processors.cli;

import io.lookout.processors.api.ApiTokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The read API's bearer tokens, as the admin CLI manages them: only their SHA-256 is stored. */
public final class TokenAdmin {

  /** A stored token (never the token itself). */
  public record TokenInfo(long id, String label, List<String> scopes, OffsetDateTime dateAdded,
      OffsetDateTime lastUsed) {
  }

  private final Pool pool;

  public TokenAdmin(Pool pool) {
    this.pool = pool;
  }

  /** Creates a random token, stores its hash with {@code label}, and returns the token: the only time it is seen. */
  public Future<String> createToken(String label) {
    String token = ApiTokens.newToken();
    return pool.preparedQuery("INSERT INTO api_tokens (token_hash, label) VALUES ($1, $2)")
        .execute(Tuple.of(ApiTokens.sha256(token), label == null ? "" : label))
        .map(token);
  }

  public Future<List<TokenInfo>> listTokens() {
    return pool.query("SELECT id, label, scopes, date_added, last_used FROM api_tokens ORDER BY id").execute()
        .map(rows -> {
          List<TokenInfo> out = new ArrayList<>();
          rows.forEach(r -> {
            String[] scopes = r.getArrayOfStrings("scopes");
            out.add(new TokenInfo(r.getLong("id"), r.getString("label"), scopes == null ? List.of() : List.of(scopes),
                r.getOffsetDateTime("date_added"), r.getOffsetDateTime("last_used")));
          });
          return out;
        });
  }

  /** Deletes the token; false when there is none with that id. Servers may still accept it for their cache TTL. */
  public Future<Boolean> deleteToken(long id) {
    return pool.preparedQuery("DELETE FROM api_tokens WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.rowCount() > 0);
  }
}

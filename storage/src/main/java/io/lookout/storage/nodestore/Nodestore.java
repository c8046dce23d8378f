package io.lookout.storage.nodestore;

import io.lookout.storage.nodestore.impl.PgNodestore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Event payloads at rest: Postgres table {@code nodestore_node}, one row per event, keyed like
 * Sentry's nodestore ({@code md5("{project_id}:{event_id}")}), the JSON zstd-compressed, the table
 * partitioned by UTC day so retention drops whole days.
 *
 * <p>Unlike Sentry, which saves one node per statement, writes are batched: {@link #putMany} sends a
 * whole batch of events as one multi-row upsert, so the cost of a statement, a commit and its fsync
 * is paid once per batch. Every write is an upsert, so replaying a batch after a crash is harmless.
 */
public interface Nodestore {

  /** {@code pool}'s {@code search_path} must lead to the schema {@code PostgresMigrator} migrated. */
  static Nodestore create(Vertx vertx, Pool pool, NodestoreConfig config) {
    return new PgNodestore(vertx, pool, config);
  }

  /**
   * Sentry's node id of an event: the md5 hex of {@code "{project_id}:{event_id}"}, with the event id
   * as 32 lower-case hex characters, so the hyphenated and the plain form of a UUID give the same id.
   *
   * @throws IllegalArgumentException when {@code eventId} is not a UUID in either form
   */
  static String nodeId(long projectId, String eventId) {
    String hex = eventId == null ? "" : eventId.replace("-", "").toLowerCase(Locale.ROOT);
    if (hex.length() != 32 || !hex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new IllegalArgumentException("event id must be a UUID (32 hex characters), got '" + eventId + "'");
    }
    try {
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      byte[] digest = md5.digest((projectId + ":" + hex).getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is part of every JRE", e);
    }
  }

  /**
   * Writes the nodes with one statement (and one commit). Creates the daily partitions the batch
   * needs first. Writing a node again replaces its payload; within one call the last node of an id
   * wins. Completes only once the rows are committed.
   */
  Future<Void> putMany(List<Node> nodes);

  /**
   * Inserts the nodes whose id does not exist yet with one statement on {@code client}, which may be
   * a connection inside the caller's transaction, so that "this event is new" and the writes that
   * depend on it commit together. Existing rows are left as they are. It creates no partition:
   * call {@link #ensurePartitionsFor} before opening the transaction (DDL has no place inside it, and
   * waiting inside it for another pooled connection could exhaust the pool); a row whose day has no
   * partition fails the statement.
   *
   * @return the ids this call inserted: the nodes of events seen for the first time
   */
  Future<Set<String>> insertNew(SqlClient client, List<Node> nodes);

  /** Creates the daily partitions of these timestamps that this process has not seen yet (cached). */
  Future<Void> ensurePartitionsFor(Collection<Instant> timestamps);

  /**
   * The decompressed JSON of each id that exists, with one query; missing ids are absent from the
   * map. When an id was saved again with another timestamp (two rows), the newest timestamp wins.
   */
  Future<Map<String, byte[]>> getMany(Collection<String> ids);

  /**
   * As {@link #getMany(Collection)}, on {@code client}: a connection inside the caller's transaction
   * reads what that transaction may already hold locks for.
   */
  Future<Map<String, byte[]>> getMany(SqlClient client, Collection<String> ids);

  /**
   * Retention: drops every daily partition whose whole day ends at or before {@code cutoff}. Rows are
   * never deleted one by one, so the day that {@code cutoff} falls in is kept whole until a later
   * cutoff passes its end; data lives between {@code retention} and {@code retention + 1 day}.
   *
   * @return how many partitions were dropped
   */
  Future<Integer> deleteOlderThan(Instant cutoff);

  /**
   * Creates the daily partitions of {@code from} .. {@code toInclusive} that do not exist yet, so the
   * save path does not wait for DDL when a new day starts (start-up creates {@code precreate_days}).
   *
   * @return how many partitions were created
   */
  Future<Integer> ensurePartitions(LocalDate from, LocalDate toInclusive);
}

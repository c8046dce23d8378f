package io.lookout.storage.postgres;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned SQL files {@code db/postgres/V<NNNN>__<name>.sql} to one schema.
 *
 * <p>The files are listed in {@code db/postgres/index.txt} because a folder inside a jar cannot be
 * listed. Applied versions are recorded in {@code <schema>.lookout_migrations} with a checksum of
 * the file; a recorded file that changed since is an error, never silently skipped, because the
 * database would no longer match what the file says.
 *
 * <p>Safe to run from several processes at once (every service may migrate on start-up): each
 * transaction first takes a transaction-scoped advisory lock for the schema, and each pending file
 * is applied in its own transaction that re-checks, under that lock, whether another process has
 * applied it meanwhile. A failing file rolls back whole and leaves the earlier ones recorded.
 */
public final class PostgresMigrator {

  public static final String INDEX = "db/postgres/index.txt";
  private static final String FOLDER = "db/postgres/";
  private static final Pattern FILE_NAME = Pattern.compile("V(\\d{4,})__([a-z0-9_]+)\\.sql");
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  /** High half of the advisory lock key ("LKMG"), so the lock cannot collide with other users' locks. */
  private static final long LOCK_NAMESPACE = 0x4C4B4D47L << 32;

  private static final Logger LOG = LoggerFactory.getLogger(PostgresMigrator.class);

  /**
   * One migration file.
   *
   * @param version the digits of the file name, zero-padded as written ({@code "0001"})
   * @param checksum SHA-256 (hex) of the file with line endings normalized, so a checkout with
   *     CRLF line endings does not look like a changed migration
   */
  public record Migration(String version, String name, String file, String sql, String checksum) {
  }

  /** A migration could not be loaded or applied, or an applied one changed; the message names the file. */
  public static final class MigrationException extends RuntimeException {

    public MigrationException(String message) {
      super(message);
    }

    public MigrationException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private PostgresMigrator() {
  }

  /**
   * Brings {@code schema} up to date.
   *
   * @return the versions this call applied, in order; empty when the schema was already current
   */
  public static Future<List<String>> migrate(Pool pool, String schema) {
    List<Migration> migrations;
    try {
      if (schema == null || !SCHEMA.matcher(schema).matches()) {
        throw new MigrationException("schema must be a lower-case SQL identifier, got '" + schema + "'");
      }
      migrations = migrations();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    long lockKey = lockKey(schema);
    String table = quote(schema) + ".lookout_migrations";
    return pool.withTransaction(conn -> lock(conn, lockKey)
            // under the lock: two processes racing on CREATE SCHEMA IF NOT EXISTS can otherwise
            // both pass the existence check and one fails on the catalog's unique index
            .compose(v -> conn.query("CREATE SCHEMA IF NOT EXISTS " + quote(schema)).execute())
            .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS " + table + " ("
                + "version text PRIMARY KEY, "
                + "name text NOT NULL, "
                + "checksum text NOT NULL, "
                + "applied_at timestamptz NOT NULL DEFAULT now())").execute())
            .compose(v -> conn.query("SELECT version, checksum FROM " + table).execute())
            .map(rows -> {
              Map<String, String> applied = new HashMap<>();
              for (Row row : rows) {
                applied.put(row.getString("version"), row.getString("checksum"));
              }
              return applied;
            }))
        .compose(applied -> {
          List<Migration> pending = new ArrayList<>();
          for (Migration m : migrations) {
            String recorded = applied.remove(m.version());
            if (recorded == null) {
              pending.add(m);
            } else {
              verifyChecksum(m, recorded);
            }
          }
          if (!applied.isEmpty()) {
            // a newer build migrated this schema; this one can still run against it
            LOG.warn("schema {} has migrations this build does not know: {}", schema, applied.keySet());
          }
          Future<List<String>> chain = Future.succeededFuture(new ArrayList<>());
          for (Migration m : pending) {
            chain = chain.compose(done -> applyOne(pool, schema, table, lockKey, m).map(appliedNow -> {
              if (appliedNow) {
                done.add(m.version());
              }
              return done;
            }));
          }
          return chain;
        })
        .onSuccess(done -> {
          if (done.isEmpty()) {
            LOG.info("postgres schema {} is up to date ({} migrations)", schema, migrations.size());
          } else {
            LOG.info("postgres schema {}: applied {}", schema, done);
          }
        });
  }

  private static Future<Boolean> applyOne(Pool pool, String schema, String table, long lockKey, Migration m) {
    long start = System.nanoTime();
    return pool.withTransaction(conn -> lock(conn, lockKey)
            .compose(v -> conn.preparedQuery("SELECT checksum FROM " + table + " WHERE version = $1")
                .execute(Tuple.of(m.version())))
            .compose(rows -> {
              if (rows.size() > 0) {
                // another process applied it while this one waited for the lock
                verifyChecksum(m, rows.iterator().next().getString("checksum"));
                return Future.succeededFuture(false);
              }
              // the files name tables unqualified; SET LOCAL ends with this transaction
              return conn.query("SET LOCAL search_path TO " + quote(schema)).execute()
                  // simple-query protocol, so a file may hold many statements
                  .compose(v -> conn.query(m.sql()).execute())
                  .recover(err -> Future.failedFuture(
                      new MigrationException("migration " + m.file() + " failed: " + err.getMessage(), err)))
                  .compose(v -> conn.preparedQuery(
                          "INSERT INTO " + table + " (version, name, checksum) VALUES ($1, $2, $3)")
                      .execute(Tuple.of(m.version(), m.name(), m.checksum())))
                  .map(v -> true);
            }))
        .onSuccess(appliedNow -> {
          if (appliedNow) {
            LOG.info("applied {} to schema {} in {} ms", m.file(), schema, (System.nanoTime() - start) / 1_000_000);
          }
        });
  }

  private static Future<Void> lock(SqlConnection conn, long key) {
    return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(key)).mapEmpty();
  }

  private static void verifyChecksum(Migration m, String recorded) {
    if (!m.checksum().equals(recorded)) {
      throw new MigrationException("migration " + m.file() + " was changed after it was applied (recorded checksum "
          + recorded + ", file now " + m.checksum() + "); add a new migration instead of editing an applied one");
    }
  }

  static long lockKey(String schema) {
    return LOCK_NAMESPACE | (schema.hashCode() & 0xFFFFFFFFL);
  }

  private static String quote(String identifier) {
    return '"' + identifier + '"';
  }

  /** The migrations of this build, in the order of the index, read from the classpath. */
  public static List<Migration> migrations() {
    ClassLoader loader = PostgresMigrator.class.getClassLoader();
    String index = read(loader, INDEX);
    List<Migration> result = new ArrayList<>();
    String previous = null;
    for (String raw : index.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      Matcher matcher = FILE_NAME.matcher(line);
      if (!matcher.matches()) {
        throw new MigrationException(INDEX + ": '" + line + "' is not named V<NNNN>__<name>.sql");
      }
      String version = matcher.group(1);
      if (previous != null && compareVersions(previous, version) >= 0) {
        throw new MigrationException(INDEX + ": " + line + " is not after version " + previous);
      }
      previous = version;
      String sql = read(loader, FOLDER + line).replace("\r\n", "\n");
      result.add(new Migration(version, matcher.group(2), line, sql, sha256(sql)));
    }
    return List.copyOf(result);
  }

  private static int compareVersions(String a, String b) {
    return Long.compare(Long.parseLong(a), Long.parseLong(b));
  }

  private static String read(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new MigrationException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}

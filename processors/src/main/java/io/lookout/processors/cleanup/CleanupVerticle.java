package io.lookout.processors.cleanup;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Cleanup} once a day at {@code cleanup.daily_at} ({@code cleanup.timezone}) with
 * {@code cleanup.retention_days}. When several processes run this verticle, a Postgres advisory lock
 * lets one of them clean up and the others skip that day's run.
 */
public final class CleanupVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(CleanupVerticle.class);
  /** pg_try_advisory_lock key: "lookout cleanup". */
  static final long LOCK_KEY = 0x6c6f6f6b636c6e75L;

  private final CleanupConfig config;
  private final Pool pool;
  private final Cleanup cleanup;
  private long timer = -1;
  private boolean stopped;

  public CleanupVerticle(CleanupConfig config, Pool pool, Cleanup cleanup) {
    this.config = config;
    this.pool = pool;
    this.cleanup = cleanup;
  }

  @Override
  public Future<?> start() {
    if (config.scheduled()) {
      scheduleNext();
    }
    return Future.succeededFuture();
  }

  /** When the next daily run is due after {@code now}. */
  static Instant nextRun(CleanupConfig config, Instant now) {
    ZonedDateTime local = now.atZone(config.timezone());
    ZonedDateTime at = local.with(config.dailyAt());
    if (!at.isAfter(local)) {
      at = local.plusDays(1).with(config.dailyAt());
    }
    return at.toInstant();
  }

  private void scheduleNext() {
    if (stopped) {
      return;
    }
    Instant next = nextRun(config, Instant.now());
    long delay = Math.max(1, Duration.between(Instant.now(), next).toMillis());
    LOG.info("next cleanup at {}", next);
    timer = vertx.setTimer(delay, id -> runOnce().onComplete(ar -> scheduleNext()));
  }

  /** One run under the advisory lock; skipped (succeeds with false) when another process holds it. */
  public Future<Boolean> runOnce() {
    return pool.getConnection().compose(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock($1)")
        .execute(Tuple.of(LOCK_KEY))
        .compose(rows -> {
          if (!rows.iterator().next().getBoolean(0)) {
            LOG.info("cleanup skipped: another process is running it");
            return Future.succeededFuture(false);
          }
          return cleanup.run(config.retentionDays())
              .<Boolean>map(report -> true)
              .onFailure(err -> LOG.error("cleanup failed (the next daily run retries)", err))
              .eventually(() -> unlock(conn));
        })
        .eventually(conn::close));
  }

  private static Future<Void> unlock(SqlConnection conn) {
    return conn.preparedQuery("SELECT pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY)).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.succeededFuture();
  }
}

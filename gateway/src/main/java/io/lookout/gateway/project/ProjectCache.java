package io.lookout.gateway.project;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Project states by public key, in memory, as Relay's project cache: fresh for
 * {@code project_expiry}, then served stale for {@code project_grace_period} while one background
 * fetch refreshes it; unknown keys are remembered for {@code miss_expiry}; concurrent misses of one
 * key share one fetch; a failed fetch serves the last known state if there is one. Bounded by
 * {@code max_projects} (least recently used out first).
 *
 * <p>One instance per event loop (no locks): call it from its context only.
 */
public final class ProjectCache {

  private static final Logger LOG = LoggerFactory.getLogger(ProjectCache.class);

  private record Entry(Optional<ProjectState> state, long fetchedAtMs, Future<Optional<ProjectState>> answer) {
  }

  private final ProjectSource source;
  private final CacheConfig config;
  private final LongSupplier clockMs;
  private final LinkedHashMap<String, Entry> entries;
  private final Map<String, Future<Optional<ProjectState>>> inflight = new HashMap<>();

  public ProjectCache(ProjectSource source, CacheConfig config, LongSupplier clockMs) {
    this.source = source;
    this.config = config;
    this.clockMs = clockMs;
    this.entries = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > config.maxProjects();
      }
    };
  }

  public ProjectCache(ProjectSource source, CacheConfig config) {
    this(source, config, System::currentTimeMillis);
  }

  /** The state of the key's project, or empty when the key is unknown. */
  public Future<Optional<ProjectState>> get(String publicKey) {
    Entry entry = entries.get(publicKey);
    if (entry != null) {
      long age = clockMs.getAsLong() - entry.fetchedAtMs();
      long ttlMs = 1000L * (entry.state().isPresent() ? config.projectExpiry() : config.missExpiry());
      if (age < ttlMs) {
        return entry.answer();
      }
      if (entry.state().isPresent()) {
        Future<Optional<ProjectState>> refreshed = fetch(publicKey);
        if (age < ttlMs + 1000L * config.projectGracePeriod()) {
          return entry.answer(); // stale but within grace: the refresh runs in the background
        }
        // past grace: wait for the refresh, but a failing source still beats no answer
        return refreshed.recover(err -> entry.answer());
      }
    }
    return fetch(publicKey);
  }

  /** Forgets everything (tests; an operator's reload). */
  public void clear() {
    entries.clear();
  }

  public int size() {
    return entries.size();
  }

  private Future<Optional<ProjectState>> fetch(String publicKey) {
    Future<Optional<ProjectState>> running = inflight.get(publicKey);
    if (running != null) {
      return running;
    }
    Future<Optional<ProjectState>> fetched = source.fetch(Set.of(publicKey))
        .map(found -> Optional.ofNullable(found.get(publicKey)));
    inflight.put(publicKey, fetched);
    fetched.onComplete(ar -> {
      inflight.remove(publicKey);
      if (ar.succeeded()) {
        entries.put(publicKey, new Entry(ar.result(), clockMs.getAsLong(), Future.succeededFuture(ar.result())));
      } else {
        LOG.warn("project state fetch for key {}... failed: {}", publicKey.substring(0, Math.min(8,
            publicKey.length())), ar.cause().toString());
      }
    });
    return fetched;
  }
}

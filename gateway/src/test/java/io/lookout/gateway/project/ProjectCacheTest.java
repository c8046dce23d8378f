package io.lookout.gateway.project;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProjectCacheTest {

  private static final String KEY = "a".repeat(32);
  private static final String OTHER = "b".repeat(32);

  /** A source whose answers the test completes by hand. */
  static final class ManualSource implements ProjectSource {
    final List<Promise<Map<String, ProjectState>>> calls = new ArrayList<>();

    @Override
    public Future<Map<String, ProjectState>> fetch(Set<String> publicKeys) {
      Promise<Map<String, ProjectState>> p = Promise.promise();
      calls.add(p);
      return p.future();
    }

    void answer(int call, String key, long projectId) {
      Map<String, ProjectState> found = new HashMap<>();
      if (key != null) {
        found.put(key, state(key, projectId));
      }
      calls.get(call).complete(found);
    }
  }

  static ProjectState state(String key, long projectId) {
    return new ProjectState(projectId, 1, "p" + projectId, true, new ProjectKey(7, key, true, null, null), null);
  }

  private final AtomicLong now = new AtomicLong(1_000_000);
  private final ManualSource source = new ManualSource();
  // expiry 300 s, grace 120 s, miss 60 s, at most 2 projects
  private final ProjectCache cache = new ProjectCache(source, new CacheConfig(300, 120, 60, 2, 1000), now::get);

  @Test
  void concurrentMissesShareOneFetchAndFreshHitsCostNone() {
    Future<Optional<ProjectState>> a = cache.get(KEY);
    Future<Optional<ProjectState>> b = cache.get(KEY);
    assertThat(source.calls).hasSize(1);
    source.answer(0, KEY, 42);
    assertThat(a.result()).map(ProjectState::projectId).contains(42L);
    assertThat(b.result()).map(ProjectState::projectId).contains(42L);
    now.addAndGet(299_000);
    assertThat(cache.get(KEY).result()).isPresent();
    assertThat(source.calls).hasSize(1);
  }

  @Test
  void expiredStateIsServedDuringGraceWhileOneRefreshRuns() {
    cache.get(KEY);
    source.answer(0, KEY, 42);
    now.addAndGet(350_000); // past expiry, within grace
    Future<Optional<ProjectState>> stale = cache.get(KEY);
    assertThat(stale.isComplete()).isTrue();
    assertThat(stale.result()).map(ProjectState::projectId).contains(42L);
    cache.get(KEY);
    assertThat(source.calls).hasSize(2); // one refresh for both
    source.answer(1, KEY, 43);
    assertThat(cache.get(KEY).result()).map(ProjectState::projectId).contains(43L);
  }

  @Test
  void pastGraceWaitsForTheRefreshButFallsBackToTheLastStateWhenItFails() {
    cache.get(KEY);
    source.answer(0, KEY, 42);
    now.addAndGet(500_000); // past expiry + grace
    Future<Optional<ProjectState>> waiting = cache.get(KEY);
    assertThat(waiting.isComplete()).isFalse();
    source.calls.get(1).fail(new RuntimeException("postgres down"));
    assertThat(waiting.result()).map(ProjectState::projectId).contains(42L);
  }

  @Test
  void unknownKeysAreRememberedForMissExpiry() {
    Future<Optional<ProjectState>> miss = cache.get(KEY);
    source.answer(0, null, 0);
    assertThat(miss.result()).isEmpty();
    now.addAndGet(59_000);
    assertThat(cache.get(KEY).result()).isEmpty();
    assertThat(source.calls).hasSize(1);
    now.addAndGet(2_000);
    cache.get(KEY);
    assertThat(source.calls).hasSize(2);
  }

  @Test
  void aFailedFirstFetchFailsAndIsNotCached() {
    Future<Optional<ProjectState>> first = cache.get(KEY);
    source.calls.get(0).fail(new RuntimeException("postgres down"));
    assertThat(first.failed()).isTrue();
    cache.get(KEY);
    assertThat(source.calls).hasSize(2);
  }

  @Test
  void holdsAtMostMaxProjects() {
    cache.get(KEY);
    source.answer(0, KEY, 1);
    cache.get(OTHER);
    source.answer(1, OTHER, 2);
    cache.get("c".repeat(32));
    source.answer(2, "c".repeat(32), 3);
    assertThat(cache.size()).isEqualTo(2);
  }
}

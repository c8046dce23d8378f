package io.lookout.gateway.ratelimit.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.ratelimit.ManualClock;
import io.lookout.gateway.ratelimit.QuotaScope;
import io.lookout.gateway.ratelimit.RateLimit;
import io.lookout.storage.kafka.message.DataCategory;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitCacheTest {

  private static final RateLimit LIMIT =
      new RateLimit(Set.of(DataCategory.ERROR), QuotaScope.KEY, 7L, "key_quota", 0);

  private final ManualClock clock = new ManualClock(1_000_000);

  @Test
  void answersUntilTheLimitEndsWithTheRemainingSecondsRoundedUp() {
    RateLimitCache cache = new RateLimitCache(10, clock);
    cache.put("q", LIMIT, clock.millis() + 30_000);

    assertThat(cache.get("q").retryAfterSeconds()).isEqualTo(30);
    clock.advanceMillis(10_500);
    assertThat(cache.get("q").retryAfterSeconds()).isEqualTo(20);
    clock.advanceMillis(19_499);
    assertThat(cache.get("q").retryAfterSeconds()).isEqualTo(1);
    clock.advanceMillis(1);
    assertThat(cache.get("q")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void unknownKeyAndAlreadyExpiredLimitAreNotHeld() {
    RateLimitCache cache = new RateLimitCache(10, clock);
    cache.put("old", LIMIT, clock.millis());

    assertThat(cache.get("old")).isNull();
    assertThat(cache.get("never")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void aLongerLimitForTheSameKeyWins() {
    RateLimitCache cache = new RateLimitCache(10, clock);
    cache.put("q", LIMIT, clock.millis() + 60_000);
    cache.put("q", LIMIT, clock.millis() + 5_000);

    assertThat(cache.get("q").retryAfterSeconds()).isEqualTo(60);
  }

  @Test
  void whenFullExpiredEntriesGoFirst() {
    RateLimitCache cache = new RateLimitCache(3, clock);
    cache.put("short1", LIMIT, clock.millis() + 1_000);
    cache.put("short2", LIMIT, clock.millis() + 1_000);
    cache.put("long", LIMIT, clock.millis() + 60_000);
    clock.advanceSeconds(2);

    cache.put("new", LIMIT, clock.millis() + 60_000);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("long")).isNotNull();
    assertThat(cache.get("new")).isNotNull();
  }

  @Test
  void whenFullOfLiveEntriesTheOneEndingSoonestGoes() {
    RateLimitCache cache = new RateLimitCache(2, clock);
    cache.put("soon", LIMIT, clock.millis() + 5_000);
    cache.put("late", LIMIT, clock.millis() + 60_000);

    cache.put("new", LIMIT, clock.millis() + 30_000);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get("soon")).isNull();
    assertThat(cache.get("late")).isNotNull();
    assertThat(cache.get("new")).isNotNull();
  }

  @Test
  void neverHoldsMoreThanTheBound() {
    RateLimitCache cache = new RateLimitCache(100, clock);
    for (int i = 0; i < 10_000; i++) {
      cache.put("k" + i, LIMIT, clock.millis() + 1_000 + i);
    }

    assertThat(cache.size()).isLessThanOrEqualTo(100);
    assertThat(cache.get("k9999")).isNotNull();
  }
}

package io.lookout.gateway.ratelimit.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.QuotaScope;
import io.lookout.gateway.project.Scoping;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisQuotaTest {

  private static final Scoping SCOPING = new Scoping(42, 21, 17L);
  private static final long NOW = 1_700_000_123;

  private static Quota quota(QuotaScope scope, long window) {
    return new Quota("q", Set.of(), scope, null, 10L, window, "r");
  }

  @Test
  void slotIsShiftedByOrganization() {
    RedisQuota counted = new RedisQuota(quota(QuotaScope.ORGANIZATION, 60), SCOPING, NOW);

    long shift = 42 % 60;
    assertThat(counted.slot()).isEqualTo((NOW - shift) / 60);
    assertThat(counted.slotEnd()).isEqualTo(((NOW - shift) / 60 + 1) * 60 + shift);
    assertThat(counted.slotEnd()).isGreaterThan(NOW).isLessThanOrEqualTo(NOW + 60);
    assertThat(counted.keyExpiry()).isEqualTo(counted.slotEnd() + 60);
  }

  @Test
  void globalQuotaIsNotShifted() {
    RedisQuota counted = new RedisQuota(quota(QuotaScope.GLOBAL, 60), SCOPING, NOW);

    assertThat(counted.slot()).isEqualTo(NOW / 60);
    assertThat(counted.slotEnd()).isEqualTo((NOW / 60 + 1) * 60);
  }

  @Test
  void keysAreRelays() {
    long slot = (NOW - 42) / 60;
    assertThat(new RedisQuota(quota(QuotaScope.ORGANIZATION, 60), SCOPING, NOW).counterKey())
        .isEqualTo("quota:q{42}:" + slot);
    assertThat(new RedisQuota(quota(QuotaScope.PROJECT, 60), SCOPING, NOW).counterKey())
        .isEqualTo("quota:q{42}21:" + slot);
    assertThat(new RedisQuota(quota(QuotaScope.KEY, 60), SCOPING, NOW).counterKey())
        .isEqualTo("quota:q{42}17:" + slot);
    assertThat(new RedisQuota(quota(QuotaScope.KEY, 60), new Scoping(42, 21, null), NOW).counterKey())
        .isEqualTo("quota:q{42}:" + slot);
    assertThat(new RedisQuota(quota(QuotaScope.UNKNOWN, 60), SCOPING, NOW).counterKey())
        .isEqualTo("quota:q{42}:" + slot);
    assertThat(new RedisQuota(quota(QuotaScope.GLOBAL, 60), SCOPING, NOW).counterKey())
        .isEqualTo("global_quota:q60:" + NOW / 60);
    assertThat(new RedisQuota(quota(QuotaScope.PROJECT, 60), SCOPING, NOW).refundKey())
        .isEqualTo("r:quota:q{42}21:" + slot);
  }

  @Test
  void unlimitedIsMinusOneForTheScript() {
    Quota unlimited = new Quota("q", Set.of(), QuotaScope.ORGANIZATION, null, null, 60L, null);

    assertThat(new RedisQuota(unlimited, SCOPING, NOW).scriptLimit()).isEqualTo(-1);
    assertThat(new RedisQuota(quota(QuotaScope.ORGANIZATION, 60), SCOPING, NOW).scriptLimit()).isEqualTo(10);
  }

  @Test
  void cacheKeyOutlivesTheSlotButNotALimitChange() {
    RedisQuota now = new RedisQuota(quota(QuotaScope.KEY, 60), SCOPING, NOW);
    RedisQuota later = new RedisQuota(quota(QuotaScope.KEY, 60), SCOPING, NOW + 600);
    RedisQuota raised = new RedisQuota(
        new Quota("q", Set.of(), QuotaScope.KEY, null, 20L, 60L, "r"), SCOPING, NOW);

    assertThat(later.cacheKey()).isEqualTo(now.cacheKey());
    assertThat(raised.cacheKey()).isNotEqualTo(now.cacheKey());
  }

  @Test
  void quotaWithoutIdOrWindowCannotBeCounted() {
    assertThatThrownBy(() -> new RedisQuota(
        new Quota(null, Set.of(), QuotaScope.KEY, null, 5L, 60L, null), SCOPING, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import static io.lookout.storage.kafka.message.DataCategory.ATTACHMENT;
import static io.lookout.storage.kafka.message.DataCategory.ERROR;
import static io.lookout.storage.kafka.message.DataCategory.SECURITY;
import static io.lookout.storage.kafka.message.DataCategory.SESSION;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimitsTest {

  @Test
  void headerMatchesRelaysExample() {
    // relay-server/src/utils/rate_limits.rs, test_format_rate_limits
    RateLimits limits = RateLimits.of(
        new RateLimit(Set.of(), QuotaScope.ORGANIZATION, 42L, "my_limit", 42),
        new RateLimit(EnumSet.of(TRANSACTION, SECURITY), QuotaScope.PROJECT, 21L, null, 4711));

    assertThat(limits.toHeader())
        .isEqualTo("42::organization:my_limit, 4711:transaction;security:project");
    assertThat(limits.retryAfterHeader()).isEqualTo("4711");
  }

  @Test
  void headerListsCategoriesInCodeOrderWhateverTheQuotaSaid() {
    RateLimits limits = RateLimits.of(
        new RateLimit(Set.of(SECURITY, ERROR, TRANSACTION), QuotaScope.KEY, 7L, "key_quota", 60));

    assertThat(limits.toHeader()).isEqualTo("60:error;transaction;security:key:key_quota");
  }

  @Test
  void headerNamesGlobalScopeAndReportsUnknownScopeAsKey() {
    RateLimits limits = RateLimits.of(
        new RateLimit(Set.of(ERROR), QuotaScope.GLOBAL, null, "org_quota", 12),
        new RateLimit(Set.of(SESSION), QuotaScope.UNKNOWN, null, null, 3));

    assertThat(limits.toHeader()).isEqualTo("12:error:global:org_quota, 3:session:key");
  }

  @Test
  void noLimitsMeansEmptyHeaders() {
    assertThat(RateLimits.none().toHeader()).isEmpty();
    assertThat(RateLimits.none().retryAfterHeader()).isEmpty();
    assertThat(RateLimits.none().isLimited()).isFalse();
    assertThat(RateLimits.none().longestRetryAfter()).isZero();
    assertThat(RateLimits.none().longest()).isEmpty();
  }

  @Test
  void mergeKeepsTheLongerOfTheSameLimitAndAddsOthers() {
    RateLimit shortError = new RateLimit(Set.of(ERROR), QuotaScope.PROJECT, 1L, "a", 10);
    RateLimit longError = new RateLimit(Set.of(ERROR), QuotaScope.PROJECT, 1L, "b", 30);
    RateLimit otherProject = new RateLimit(Set.of(ERROR), QuotaScope.PROJECT, 2L, "a", 5);
    RateLimit attachments = new RateLimit(Set.of(ATTACHMENT), QuotaScope.PROJECT, 1L, "c", 20);

    RateLimits merged = RateLimits.of(shortError, attachments)
        .merge(RateLimits.of(longError, otherProject));

    assertThat(merged.asList()).containsExactly(longError, attachments, otherProject);
    assertThat(RateLimits.of(longError).merge(RateLimits.of(shortError)).asList())
        .containsExactly(longError);
  }

  @Test
  void longestRetryAfterIsTheMaximum() {
    RateLimits limits = RateLimits.of(
        new RateLimit(Set.of(ERROR), QuotaScope.KEY, 1L, "k", 17),
        new RateLimit(Set.of(), QuotaScope.ORGANIZATION, 2L, "o", 3599),
        new RateLimit(Set.of(SESSION), QuotaScope.PROJECT, 3L, "p", 60));

    assertThat(limits.longestRetryAfter()).isEqualTo(3599);
    assertThat(limits.longest()).get().extracting(RateLimit::reasonCode).isEqualTo("o");
    assertThat(limits.retryAfterHeader()).isEqualTo("3599");
  }

  @Test
  void limitWithoutCategoriesLimitsEveryCategory() {
    RateLimits all = RateLimits.of(new RateLimit(Set.of(), QuotaScope.ORGANIZATION, 1L, null, 5));
    RateLimits errors = RateLimits.of(new RateLimit(Set.of(ERROR), QuotaScope.PROJECT, 1L, null, 5));

    assertThat(all.isLimited(TRANSACTION)).isTrue();
    assertThat(all.isLimited(ATTACHMENT)).isTrue();
    assertThat(errors.isLimited(ERROR)).isTrue();
    assertThat(errors.isLimited(TRANSACTION)).isFalse();
    assertThat(errors.forCategory(TRANSACTION).isLimited()).isFalse();
    assertThat(errors.merge(all).forCategory(TRANSACTION).asList()).hasSize(1);
  }

  @Test
  void rateLimitFromQuotaTakesTheScopeInstanceOfTheSender() {
    Scoping scoping = new Scoping(3, 4, 5L);
    Quota project = new Quota("p", Set.of(ERROR), QuotaScope.PROJECT, null, 10L, 60L, "project_quota");
    Quota unknown = new Quota("f", Set.of(), QuotaScope.UNKNOWN, null, 10L, 60L, null);
    Quota global = new Quota("g", Set.of(), QuotaScope.GLOBAL, null, 10L, 60L, null);

    assertThat(RateLimit.fromQuota(project, scoping, 9))
        .isEqualTo(new RateLimit(Set.of(ERROR), QuotaScope.PROJECT, 4L, "project_quota", 9));
    assertThat(RateLimit.fromQuota(unknown, scoping, 9))
        .isEqualTo(new RateLimit(Set.of(), QuotaScope.KEY, 5L, null, 9));
    assertThat(RateLimit.fromQuota(global, scoping, 9).scopeId()).isNull();
  }
}

package io.lookout.gateway.ratelimit.impl;

import static io.lookout.gateway.ratelimit.impl.FakeRedisConnector.args;
import static io.lookout.gateway.ratelimit.impl.FakeRedisConnector.ints;
import static io.lookout.storage.kafka.message.DataCategory.ATTACHMENT;
import static io.lookout.storage.kafka.message.DataCategory.ERROR;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION_INDEXED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.gateway.ratelimit.ManualClock;
import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.QuotaRequest;
import io.lookout.gateway.ratelimit.QuotaResult;
import io.lookout.gateway.ratelimit.QuotaResult.Status;
import io.lookout.gateway.ratelimit.QuotaScope;
import io.lookout.gateway.ratelimit.RateLimit;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.gateway.ratelimit.RateLimits;
import io.lookout.gateway.project.Scoping;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.BulkType;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RedisRateLimiterTest {

  private static final Scoping SCOPING = new Scoping(42, 21, 17L);
  /** 12:00:30.250 on some day; the organization's 60 s windows start at :42. */
  private static final long NOW_MS = 1_700_000_430_250L;
  private static final long NOW = NOW_MS / 1000;

  private final ManualClock clock = new ManualClock(NOW_MS);
  private final FakeRedisConnector redis = new FakeRedisConnector();
  private final RedisRateLimiter limiter =
      new RedisRateLimiter(redis, new RateLimitConfig(0, 100, 1_000), clock);

  private static Quota keyQuota(long limit) {
    return new Quota("k", Quota.ERROR_CATEGORIES, QuotaScope.KEY, null, limit, 60L, "key_quota");
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static long slotEnd(long window, long shift) {
    return ((NOW - shift) / window + 1) * window + shift;
  }

  @Test
  void limitZeroRejectsWithoutRedis() throws Exception {
    Quota rejectAll = new Quota(null, Set.of(ERROR), QuotaScope.PROJECT, null, 0L, null, "disabled");

    RateLimits limits = await(limiter.check(SCOPING, List.of(rejectAll), Map.of(ERROR, 1L)));

    assertThat(limits.asList()).containsExactly(
        new RateLimit(Set.of(ERROR), QuotaScope.PROJECT, 21L, "disabled", 60));
    assertThat(redis.requests).isEmpty();
  }

  @Test
  void limitZeroKeepsTheOtherQuotasOfTheCheckUncounted() throws Exception {
    Quota rejectAll = new Quota(null, Set.of(), QuotaScope.ORGANIZATION, null, 0L, null, "off");

    QuotaResult result = await(limiter.check(SCOPING, List.of(keyQuota(10), rejectAll),
        QuotaRequest.of(Map.of(ERROR, 1L))));

    assertThat(result.status(0)).isEqualTo(Status.REJECTED);
    assertThat(result.limits().toHeader()).isEqualTo("60::organization:off");
    assertThat(redis.requests).isEmpty();
  }

  @Test
  void quotasThatDoNotApplyNeedNoRedis() throws Exception {
    Quota otherKey = new Quota("k", Set.of(), QuotaScope.KEY, "99", 1L, 60L, "key_quota");
    Quota transactions = new Quota("t", Set.of(TRANSACTION), QuotaScope.PROJECT, null, 1L, 60L, "t");
    Quota uncountable = new Quota(null, Set.of(), QuotaScope.PROJECT, null, 1L, 60L, "no id");

    RateLimits limits = await(limiter.check(SCOPING, List.of(otherKey, transactions, uncountable),
        Map.of(ERROR, 1L)));

    assertThat(limits.isLimited()).isFalse();
    assertThat(redis.requests).isEmpty();
  }

  @Test
  void allCountableQuotasOfAllChecksGoInOneScriptCall() throws Exception {
    redis.handler = r -> Future.succeededFuture(ints(0, 0, 0));
    Quota project = new Quota("p", Quota.ERROR_CATEGORIES, QuotaScope.PROJECT, null, 100L, 3600L, "project_quota");
    Quota bytes = new Quota("a", Set.of(ATTACHMENT), QuotaScope.ORGANIZATION, null, null, 60L, null);

    RateLimits limits = await(limiter.check(SCOPING, List.of(keyQuota(10), project, bytes),
        Map.of(ERROR, 1L, ATTACHMENT, 500L)));

    assertThat(limits.isLimited()).isFalse();
    assertThat(redis.requests).hasSize(1);
    assertThat(redis.requests.get(0).command()).isEqualTo(Command.EVALSHA);
    long keySlot = (NOW - 42) / 60;
    long projectSlot = (NOW - 42) / 3600;
    List<String> args = args(redis.requests.get(0));
    assertThat(args.subList(1, args.size())).containsExactly(
        "6",
        "t:quota:k{42}17:" + keySlot, "t:r:quota:k{42}17:" + keySlot,
        "t:quota:p{42}21:" + projectSlot, "t:r:quota:p{42}21:" + projectSlot,
        "t:quota:a{42}:" + keySlot, "t:r:quota:a{42}:" + keySlot,
        "10", Long.toString(slotEnd(60, 42) + 60), "1", "1", "0",
        "100", Long.toString(slotEnd(3600, 42) + 60), "1", "1", "0",
        "-1", Long.toString(slotEnd(60, 42) + 60), "500", "2", "0");
    assertThat(args.get(0)).hasSize(40);
  }

  @Test
  void aRejectionIsAnsweredFromMemoryUntilItsWindowEnds() throws Exception {
    redis.handler = r -> Future.succeededFuture(ints(1));
    long retry = slotEnd(60, 42) - NOW;

    RateLimits first = await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L)));

    assertThat(first.asList()).containsExactly(
        new RateLimit(Quota.ERROR_CATEGORIES, QuotaScope.KEY, 17L, "key_quota", retry));
    assertThat(redis.requests).hasSize(1);

    clock.advanceSeconds(5);
    for (int i = 0; i < 1_000; i++) {
      RateLimits cached = await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L)));
      assertThat(cached.longestRetryAfter()).isEqualTo(retry - 5);
    }
    assertThat(redis.requests).hasSize(1);

    clock.set((NOW + retry) * 1000);
    redis.handler = r -> Future.succeededFuture(ints(0));
    RateLimits next = await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L)));
    assertThat(next.isLimited()).isFalse();
    assertThat(redis.requests).hasSize(2);
  }

  @Test
  void aCachedRejectionKeepsTheCheckOutOfRedisButNotOtherChecks() throws Exception {
    redis.handler = r -> Future.succeededFuture(ints(1));
    await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L)));
    redis.handler = r -> Future.succeededFuture(ints(0));
    Quota transactions = new Quota("t", Set.of(TRANSACTION), QuotaScope.PROJECT, null, 5L, 60L, "t");

    QuotaResult result = await(limiter.check(SCOPING, List.of(keyQuota(10), transactions),
        QuotaRequest.of(Map.of(ERROR, 1L, TRANSACTION, 1L))));

    assertThat(result.status(0)).isEqualTo(Status.REJECTED);
    assertThat(result.status(1)).isEqualTo(Status.ACCEPTED);
    assertThat(redis.requests).hasSize(2);
    List<String> args = args(redis.requests.get(1));
    assertThat(args.get(1)).isEqualTo("2");
    assertThat(args.get(2)).startsWith("t:quota:t{42}21:");
    assertThat(limiter.cache().size()).isEqualTo(1);
  }

  @Test
  void aRaisedLimitIsAskedAgain() throws Exception {
    redis.handler = r -> Future.succeededFuture(ints(1));
    await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L)));
    redis.handler = r -> Future.succeededFuture(ints(0));

    RateLimits limits = await(limiter.check(SCOPING, List.of(keyQuota(20)), Map.of(ERROR, 1L)));

    assertThat(limits.isLimited()).isFalse();
    assertThat(redis.requests).hasSize(2);
  }

  @Test
  void aCheckRequiringALocallyRejectedCheckIsSkippedWithoutRedis() throws Exception {
    Quota noTransactions = new Quota(null, Set.of(TRANSACTION), QuotaScope.PROJECT, null, 0L, null, "off");
    Quota indexed = new Quota("i", Set.of(TRANSACTION_INDEXED), QuotaScope.PROJECT, null, 5L, 60L, "i");
    QuotaRequest.Builder b = QuotaRequest.builder();
    int tx = b.check(TRANSACTION, 1);
    b.checkIfAccepted(tx, TRANSACTION_INDEXED, 1);

    QuotaResult result = await(limiter.check(SCOPING, List.of(noTransactions, indexed), b.build()));

    assertThat(result.status(0)).isEqualTo(Status.REJECTED);
    assertThat(result.status(1)).isEqualTo(Status.SKIPPED);
    assertThat(redis.requests).isEmpty();
  }

  @Test
  void aCheckRequiringACheckInRedisIsGatedInTheScript() throws Exception {
    Quota transactions = new Quota("t", Set.of(TRANSACTION), QuotaScope.PROJECT, null, 5L, 60L, "t");
    Quota indexed = new Quota("i", Set.of(TRANSACTION_INDEXED), QuotaScope.PROJECT, null, 5L, 60L, "i");
    QuotaRequest.Builder b = QuotaRequest.builder();
    int tx = b.check(TRANSACTION, 1);
    int idx = b.checkIfAccepted(tx, TRANSACTION_INDEXED, 1);
    b.checkIfAccepted(idx, ATTACHMENT, 10);
    QuotaRequest request = b.build();
    redis.handler = r -> Future.succeededFuture(ints(1, 2));

    QuotaResult result = await(limiter.check(SCOPING, List.of(transactions, indexed), request));

    assertThat(result.verdicts()).extracting(QuotaResult.Verdict::status)
        .containsExactly(Status.REJECTED, Status.SKIPPED, Status.SKIPPED);
    List<String> args = args(redis.requests.get(0));
    // limit, expiry, quantity, unit, parent: transaction is unit 1, indexed unit 2 needs unit 1;
    // the attachment check has no quota, so it is resolved from unit 2's verdict
    String expiry = Long.toString(slotEnd(60, 42) + 60);
    assertThat(args.subList(args.size() - 10, args.size()))
        .containsExactly("5", expiry, "1", "1", "0", "5", expiry, "1", "2", "1");

    // a new limiter: this one remembers that the transaction quota rejects
    RedisRateLimiter fresh = new RedisRateLimiter(redis, new RateLimitConfig(0, 100, 1_000), clock);
    redis.handler = r -> Future.succeededFuture(ints(0, 0));
    QuotaResult accepted = await(fresh.check(SCOPING, List.of(transactions, indexed), request));
    assertThat(accepted.verdicts()).extracting(QuotaResult.Verdict::status)
        .containsExactly(Status.ACCEPTED, Status.ACCEPTED, Status.ACCEPTED);
  }

  @Test
  void noscriptLoadsTheScriptAndRetriesOnce() throws Exception {
    String[] sha = new String[1];
    redis.handler = r -> {
      if (r.command() == Command.SCRIPT) {
        return Future.succeededFuture(BulkType.create(Buffer.buffer(sha[0]), false));
      }
      if (sha[0] == null) {
        sha[0] = args(r).get(0);
        return Future.failedFuture(ErrorType.create("NOSCRIPT No matching script. Please use EVAL."));
      }
      return Future.succeededFuture(ints(0));
    };

    RateLimits limits = await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L)));

    assertThat(limits.isLimited()).isFalse();
    assertThat(redis.requests).extracting(r -> r.command())
        .containsExactly(Command.EVALSHA, Command.SCRIPT, Command.EVALSHA);
    assertThat(args(redis.requests.get(1))).first().isEqualTo("LOAD");
  }

  @Test
  void otherRedisErrorsFailTheCheck() {
    redis.handler = r -> Future.failedFuture(ErrorType.create("ERR something broke"));

    assertThatThrownBy(() -> await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L))))
        .hasMessageContaining("something broke");
    assertThat(redis.requests).hasSize(1);
  }

  @Test
  void aSlowRedisFailsTheCheckAfterTheScriptTimeout() {
    RedisRateLimiter fast = new RedisRateLimiter(redis, new RateLimitConfig(0, 10, 50), clock);
    Promise<Response> never = Promise.promise();
    redis.handler = r -> never.future();

    assertThatThrownBy(() -> await(fast.check(SCOPING, List.of(keyQuota(10)), Map.of(ERROR, 1L))))
        .hasRootCauseInstanceOf(java.util.concurrent.TimeoutException.class);
  }

  @Test
  void emptyRequestIsAcceptedWithoutRedis() throws Exception {
    assertThat(await(limiter.check(SCOPING, List.of(keyQuota(10)), Map.of())).isLimited()).isFalse();
    assertThat(redis.requests).isEmpty();
  }
}

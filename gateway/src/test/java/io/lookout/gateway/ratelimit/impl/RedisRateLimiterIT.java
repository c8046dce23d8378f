package io.lookout.gateway.ratelimit.impl;

import static io.lookout.storage.kafka.message.DataCategory.ATTACHMENT;
import static io.lookout.storage.kafka.message.DataCategory.ERROR;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION;
import static io.lookout.storage.kafka.message.DataCategory.TRANSACTION_INDEXED;
import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.gateway.ratelimit.ManualClock;
import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.QuotaRequest;
import io.lookout.gateway.ratelimit.QuotaResult;
import io.lookout.gateway.ratelimit.QuotaScope;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.gateway.ratelimit.RateLimits;
import io.lookout.gateway.project.Scoping;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Against the Redis of conf/storage.json, under a key prefix of its own. */
@ExtendWith(VertxExtension.class)
class RedisRateLimiterIT {

  private static final RateLimitConfig CONFIG = new RateLimitConfig(0, 10_000, 5_000);

  private String prefix;
  private RedisConnector raw;
  private CountingRedisConnector redis;
  private ManualClock clock;
  private Scoping scoping;

  @BeforeEach
  void connect(Vertx vertx) {
    prefix = "it_rl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + ":";
    raw = RedisConnector.create(vertx, StorageConfig.load().redis().withKeyPrefix(prefix));
    redis = new CountingRedisConnector(raw);
    clock = new ManualClock(System.currentTimeMillis());
    // an organization of its own too, so no two runs share a counter even without the prefix
    scoping = new Scoping(Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000), 21, 17L);
  }

  @AfterEach
  void cleanUp() throws Exception {
    Response keys = raw.send(Request.cmd(Command.KEYS).arg(prefix + "*")).await(5, TimeUnit.SECONDS);
    if (keys.size() > 0) {
      Request del = Request.cmd(Command.DEL);
      keys.forEach(k -> del.arg(k.toString()));
      raw.send(del).await(5, TimeUnit.SECONDS);
    }
    raw.close().await(5, TimeUnit.SECONDS);
  }

  private RedisRateLimiter limiter() {
    return new RedisRateLimiter(redis, CONFIG, clock);
  }

  private static Quota quota(String id, long limit, long window, DataCategory... categories) {
    return new Quota(id, Set.of(categories), QuotaScope.KEY, null, limit, window, id + "_reason");
  }

  private RateLimits check(RedisRateLimiter limiter, List<Quota> quotas, long quantity)
      throws Exception {
    return check(limiter, scoping, quotas, quantity);
  }

  private static RateLimits check(RedisRateLimiter limiter, Scoping who, List<Quota> quotas,
      long quantity) throws Exception {
    return limiter.check(who, quotas, Map.of(ERROR, quantity)).await(10, TimeUnit.SECONDS);
  }

  private long counter(Quota quota) throws Exception {
    RedisQuota counted = new RedisQuota(quota, scoping, clock.millis() / 1000);
    Response value = raw.send(Request.cmd(Command.GET).arg(raw.key(counted.counterKey())))
        .await(5, TimeUnit.SECONDS);
    return value == null ? 0 : value.toLong();
  }

  private long evalshaCalls() throws Exception {
    String stats = raw.send(Request.cmd(Command.INFO).arg("commandstats")).await(5, TimeUnit.SECONDS).toString();
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:calls=")) {
        return Long.parseLong(line.substring("cmdstat_evalsha:calls=".length(), line.indexOf(',')));
      }
    }
    return 0;
  }

  @Test
  void windowFillsExactlyAtTheLimitThenRejects() throws Exception {
    Quota quota = quota("fill", 5, 60, ERROR);
    RedisRateLimiter limiter = limiter();

    for (int i = 0; i < 5; i++) {
      assertThat(check(limiter, List.of(quota), 1).isLimited()).as("check %d", i).isFalse();
    }
    RateLimits sixth = check(limiter, List.of(quota), 1);

    assertThat(sixth.isLimited()).isTrue();
    assertThat(sixth.toHeader()).matches("\\d+:error:key:fill_reason");
    assertThat(sixth.longestRetryAfter()).isBetween(1L, 60L);
    assertThat(counter(quota)).isEqualTo(5);
  }

  @Test
  void aQuantityThatWouldCrossTheLimitIsRejectedAndOneThatFillsItIsNot() throws Exception {
    Quota quota = quota("bytes", 10, 60, ERROR);

    assertThat(check(limiter(), List.of(quota), 7).isLimited()).isFalse();
    assertThat(check(limiter(), List.of(quota), 4).isLimited()).isTrue();
    assertThat(check(limiter(), List.of(quota), 0).isLimited()).isFalse();
    assertThat(check(limiter(), List.of(quota), 3).isLimited()).isFalse();
    assertThat(counter(quota)).isEqualTo(10);
    assertThat(check(limiter(), List.of(quota), 0).isLimited()).as("quantity 0 at the limit").isTrue();
  }

  @Test
  void nothingIsCountedWhenOneQuotaOfTheCheckRejects() throws Exception {
    Quota wide = quota("wide", 10, 60, ERROR);
    Quota narrow = quota("narrow", 2, 60, ERROR);
    RedisRateLimiter limiter = limiter();

    assertThat(check(limiter, List.of(wide, narrow), 1).isLimited()).isFalse();
    assertThat(check(limiter, List.of(wide, narrow), 1).isLimited()).isFalse();
    RateLimits third = check(limiter, List.of(wide, narrow), 1);

    assertThat(third.asList()).singleElement().extracting(l -> l.reasonCode()).isEqualTo("narrow_reason");
    assertThat(counter(wide)).isEqualTo(2);
    assertThat(counter(narrow)).isEqualTo(2);
  }

  @Test
  void refundsReduceConsumption() throws Exception {
    Quota quota = quota("refund", 3, 60, ERROR);
    for (int i = 0; i < 3; i++) {
      check(limiter(), List.of(quota), 1);
    }
    assertThat(check(limiter(), List.of(quota), 1).isLimited()).isTrue();

    RedisQuota counted = new RedisQuota(quota, scoping, clock.millis() / 1000);
    raw.send(Request.cmd(Command.SET).arg(raw.key(counted.refundKey())).arg(2).arg("EX").arg(120))
        .await(5, TimeUnit.SECONDS);

    RedisRateLimiter fresh = limiter();
    assertThat(check(fresh, List.of(quota), 1).isLimited()).isFalse();
    assertThat(check(fresh, List.of(quota), 1).isLimited()).isFalse();
    assertThat(check(fresh, List.of(quota), 1).isLimited()).isTrue();
    assertThat(counter(quota)).isEqualTo(5);
  }

  @Test
  void theNextWindowAcceptsAgain() throws Exception {
    Quota quota = quota("slot", 2, 60, ERROR);
    RedisRateLimiter limiter = limiter();
    check(limiter, List.of(quota), 1);
    check(limiter, List.of(quota), 1);
    RateLimits limited = check(limiter, List.of(quota), 1);
    assertThat(limited.isLimited()).isTrue();

    clock.advanceSeconds(limited.longestRetryAfter());

    assertThat(check(limiter, List.of(quota), 1).isLimited()).isFalse();
    assertThat(counter(quota)).isEqualTo(1);
  }

  @Test
  void counterExpiresOneGracePeriodAfterItsWindow() throws Exception {
    Quota quota = quota("ttl", 2, 60, ERROR);
    check(limiter(), List.of(quota), 1);

    RedisQuota counted = new RedisQuota(quota, scoping, clock.millis() / 1000);
    long expireAt = raw.send(Request.cmd(Command.EXPIRETIME).arg(raw.key(counted.counterKey())))
        .await(5, TimeUnit.SECONDS).toLong();

    assertThat(expireAt).isEqualTo(counted.slotEnd() + 60);
  }

  @Test
  void concurrentChecksNeverAdmitMoreThanTheLimit() throws Exception {
    Quota quota = quota("flood", 100, 60, ERROR);
    // four limiters, as four gateway processes, each with its own verdict cache
    List<RedisRateLimiter> limiters = List.of(limiter(), limiter(), limiter(), limiter());
    List<Future<RateLimits>> checks = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      checks.add(limiters.get(i % 4).check(scoping, List.of(quota), Map.of(ERROR, 1L)));
    }

    Future.join(checks).await(30, TimeUnit.SECONDS);

    long accepted = checks.stream().filter(f -> !f.result().isLimited()).count();
    assertThat(accepted).isEqualTo(100);
    assertThat(counter(quota)).isEqualTo(100);
  }

  @Test
  void aRejectedQuotaIsAnsweredFromMemory() throws Exception {
    Quota quota = quota("cached", 1, 60, ERROR);
    RedisRateLimiter limiter = limiter();
    check(limiter, List.of(quota), 1);
    assertThat(check(limiter, List.of(quota), 1).isLimited()).isTrue();
    int roundTrips = redis.roundTrips.size();

    for (int i = 0; i < 1_000; i++) {
      assertThat(check(limiter, List.of(quota), 1).isLimited()).isTrue();
    }

    assertThat(redis.roundTrips).hasSize(roundTrips);
  }

  @Test
  void oneRoundTripPerCheckWhateverTheNumberOfQuotas() throws Exception {
    RedisRateLimiter limiter = limiter();
    limiter.prepare().await(5, TimeUnit.SECONDS);
    List<Quota> quotas = List.of(quota("a", 1_000, 60, ERROR), quota("b", 1_000, 3600, ERROR),
        new Quota("c", Set.of(), QuotaScope.PROJECT, null, 1_000_000L, 60L, "c"),
        new Quota("d", Set.of(TRANSACTION), QuotaScope.ORGANIZATION, null, null, 60L, null),
        new Quota("e", Set.of(), QuotaScope.GLOBAL, null, null, 60L, null));
    redis.roundTrips.clear();
    long evalshaBefore = evalshaCalls();

    for (int i = 0; i < 10; i++) {
      RateLimits limits = limiter.check(scoping, quotas, Map.of(ERROR, 1L, TRANSACTION, 1L, ATTACHMENT, 100L))
          .await(10, TimeUnit.SECONDS);
      assertThat(limits.isLimited()).isFalse();
    }

    assertThat(redis.roundTrips).hasSize(10).allMatch(trip -> trip.equals(List.of(Command.EVALSHA)));
    // the server ran (at least) our ten scripts; other clients of this Redis may run theirs
    assertThat(evalshaCalls() - evalshaBefore).isGreaterThanOrEqualTo(10);
    assertThat(counter(quotas.get(0))).isEqualTo(10);
    Quota perProject = quotas.get(2);
    assertThat(counter(perProject)).isEqualTo(10 + 10 + 1_000);
  }

  @Test
  void limitZeroNeedsNoRedis() throws Exception {
    Quota off = new Quota(null, Set.of(ERROR), QuotaScope.ORGANIZATION, null, 0L, null, "off");

    RateLimits limits = check(limiter(), List.of(off, quota("x", 10, 60, ERROR)), 1);

    assertThat(limits.toHeader()).isEqualTo("60:error:organization:off");
    assertThat(redis.roundTrips).isEmpty();
    assertThat(counter(quota("x", 10, 60, ERROR))).isZero();
  }

  @Test
  void aCheckRequiringARejectedOneCountsNothing() throws Exception {
    Quota transactions = quota("tx", 1, 60, TRANSACTION);
    Quota indexed = quota("txi", 10, 60, TRANSACTION_INDEXED);
    QuotaRequest.Builder b = QuotaRequest.builder();
    b.checkIfAccepted(b.check(TRANSACTION, 1), TRANSACTION_INDEXED, 1);
    QuotaRequest request = b.build();

    List<Quota> quotas = List.of(transactions, indexed);
    QuotaResult first = limiter().check(scoping, quotas, request).await(10, TimeUnit.SECONDS);
    QuotaResult second = limiter().check(scoping, quotas, request).await(10, TimeUnit.SECONDS);

    assertThat(first.limits().isLimited()).isFalse();
    assertThat(second.status(0)).isEqualTo(QuotaResult.Status.REJECTED);
    assertThat(second.status(1)).isEqualTo(QuotaResult.Status.SKIPPED);
    assertThat(counter(indexed)).isEqualTo(1);
  }

  @Test
  void globalQuotaIsSharedByAllOrganizations() throws Exception {
    Quota global = new Quota("g" + UUID.randomUUID().toString().substring(0, 8), Set.of(ERROR),
        QuotaScope.GLOBAL, null, 2L, 60L, "org_quota");
    Scoping other = new Scoping(scoping.organizationId() + 1, 99, 98L);

    RedisRateLimiter limiter = limiter();
    assertThat(check(limiter, scoping, List.of(global), 1).isLimited()).isFalse();
    assertThat(check(limiter, other, List.of(global), 1).isLimited()).isFalse();
    RateLimits third = check(limiter, other, List.of(global), 1);

    assertThat(third.toHeader()).matches("\\d+:error:global:org_quota");
  }

  @Test
  void aScriptRedisDoesNotKnowIsLoadedAndTheCheckRetried() throws Exception {
    byte[] bundled = RedisRateLimiter.class.getResourceAsStream(RedisRateLimiter.SCRIPT_RESOURCE)
        .readAllBytes();
    // the same script with a comment of this run: Redis has never seen its SHA-1
    String script = new String(bundled, StandardCharsets.UTF_8) + "\n-- " + prefix + "\n";
    RedisRateLimiter limiter = new RedisRateLimiter(redis, CONFIG, clock, script);

    assertThat(check(limiter, List.of(quota("reload", 5, 60, ERROR)), 1).isLimited()).isFalse();
    assertThat(check(limiter, List.of(quota("reload", 5, 60, ERROR)), 1).isLimited()).isFalse();

    assertThat(redis.roundTrips).containsExactly(List.of(Command.EVALSHA), List.of(Command.SCRIPT),
        List.of(Command.EVALSHA), List.of(Command.EVALSHA));
    assertThat(counter(quota("reload", 5, 60, ERROR))).isEqualTo(2);
  }

  /** {@code count} requests of one transaction (and its indexed count, if it is accepted). */
  private List<QuotaResult> checkInOneTurn(Vertx vertx, RedisRateLimiter limiter, List<Quota> quotas,
      int count) throws Exception {
    QuotaRequest.Builder b = QuotaRequest.builder();
    b.checkIfAccepted(b.check(TRANSACTION, 1), TRANSACTION_INDEXED, 1);
    QuotaRequest request = b.build();
    Promise<List<QuotaResult>> all = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      List<Future<QuotaResult>> checks = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        checks.add(limiter.check(scoping, quotas, request));
      }
      Future.all(checks).map(done -> checks.stream().map(Future::result).toList()).onComplete(all);
    });
    return all.future().await(10, TimeUnit.SECONDS);
  }

  @Test
  void checksOfOneEventLoopTurnShareOneScriptCallWithTheVerdictsOfCallsInTurn(Vertx vertx)
      throws Exception {
    Quota transactions = quota("batch_tx", 5, 60, TRANSACTION);
    Quota indexed = quota("batch_txi", 100, 60, TRANSACTION_INDEXED);
    RedisRateLimiter limiter = limiter();
    limiter.prepare().await(5, TimeUnit.SECONDS);
    redis.roundTrips.clear();

    List<QuotaResult> results = checkInOneTurn(vertx, limiter, List.of(transactions, indexed), 8);

    assertThat(redis.roundTrips).containsExactly(List.of(Command.EVALSHA));
    for (int i = 0; i < 8; i++) {
      QuotaResult result = results.get(i);
      if (i < 5) {
        assertThat(result.limits().isLimited()).as("request %d", i).isFalse();
        assertThat(result.status(1)).as("request %d", i).isEqualTo(QuotaResult.Status.ACCEPTED);
      } else {
        assertThat(result.status(0)).as("request %d", i).isEqualTo(QuotaResult.Status.REJECTED);
        assertThat(result.status(1)).as("request %d", i).isEqualTo(QuotaResult.Status.SKIPPED);
        assertThat(result.limits().toHeader()).matches("\\d+:transaction:key:batch_tx_reason");
      }
    }
    assertThat(counter(transactions)).isEqualTo(5);
    assertThat(counter(indexed)).isEqualTo(5);
  }

  @Test
  void aTurnsChecksAreCutIntoCallsOfAtMostMaxRequestsPerCall(Vertx vertx) throws Exception {
    Quota transactions = quota("cut_tx", 1_000, 60, TRANSACTION);
    for (int max : new int[] {3, 1}) {
      RedisRateLimiter limiter = new RedisRateLimiter(redis, new RateLimitConfig(0, 10_000, 5_000, max),
          clock);
      limiter.prepare().await(5, TimeUnit.SECONDS);
      redis.roundTrips.clear();

      List<QuotaResult> results = checkInOneTurn(vertx, limiter, List.of(transactions), 8);

      assertThat(results).allMatch(result -> !result.limits().isLimited());
      assertThat(redis.roundTrips).as("max %d", max).hasSize(max == 3 ? 3 : 8)
          .allMatch(trip -> trip.equals(List.of(Command.EVALSHA)));
    }
    assertThat(counter(transactions)).isEqualTo(16);
  }
}

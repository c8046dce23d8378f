package io.lookout.gateway.ratelimit.impl;

import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.QuotaRequest;
import io.lookout.gateway.ratelimit.QuotaResult;
import io.lookout.gateway.ratelimit.QuotaResult.Verdict;
import io.lookout.gateway.ratelimit.RateLimit;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.gateway.ratelimit.RateLimiter;
import io.lookout.gateway.ratelimit.RateLimits;
import io.lookout.gateway.project.Scoping;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RateLimiter} on Redis: Relay's {@code RedisRateLimiter}
 * ({@code relay-quotas/src/redis.rs}) with every check of a request in one {@code EVALSHA} of
 * {@code is_rate_limited.lua}, and the requests that one event loop checks in the same turn
 * (up to {@link RateLimitConfig#maxRequestsPerCall()}) in the same call: the script takes their
 * checks one after the other, so each request gets the verdicts it would have got from a call of
 * its own made in that order. Checks made off an event loop get a call each.
 *
 * <p>Per check, before Redis: a quota with limit 0 rejects at once (retry after 60 s, Relay's
 * {@code REJECT_ALL_SECS}); a quota the {@link RateLimitCache} remembers rejecting rejects at once;
 * a quota without id or window is skipped (Relay keeps such quotas for forward compatibility and
 * ignores them). A check rejected that way sends none of its quotas to Redis, so none of them
 * counts. The remaining quotas of all checks go to the script in one call; a check that requires
 * a check still pending in Redis is resolved inside the script.
 *
 * <p>The script is loaded with {@code SCRIPT LOAD} ({@link #loadScript()}) and called by its SHA-1;
 * when Redis answers {@code NOSCRIPT} (restart, {@code SCRIPT FLUSH}) it is loaded again and the
 * call retried once. Global quotas share the script call with the others, which assumes one Redis
 * (not a cluster, where the global keys would live on another node than the organization's).
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(RedisRateLimiter.class);

  /** Retry-after of a limit-0 quota (Relay's {@code REJECT_ALL_SECS}). */
  static final long REJECT_ALL_SECONDS = 60;

  static final String SCRIPT_RESOURCE = "/io/lookout/gateway/ratelimit/is_rate_limited.lua";

  private static final long ACCEPTED = 0;
  private static final long REJECTED = 1;
  private static final long SKIPPED = 2;

  private final RedisConnector redis;
  private final InstantSource clock;
  private final RateLimitCache cache;
  private final long timeoutMs;
  private final int maxRequestsPerCall;
  private final IntConsumer callSizes;
  private final String script;
  private final String sha;
  private final AtomicReference<Future<Void>> loading = new AtomicReference<>();

  public RedisRateLimiter(RedisConnector redis, RateLimitConfig config, InstantSource clock) {
    this(redis, config, clock, size -> { });
  }

  /**
   * @param callSizes is told how many requests each script call carries
   */
  public RedisRateLimiter(RedisConnector redis, RateLimitConfig config, InstantSource clock,
      IntConsumer callSizes) {
    this(redis, config, clock, callSizes, bundledScript());
  }

  /** With another script text: tests use a text Redis has never seen to provoke NOSCRIPT. */
  RedisRateLimiter(RedisConnector redis, RateLimitConfig config, InstantSource clock,
      String script) {
    this(redis, config, clock, size -> { }, script);
  }

  private RedisRateLimiter(RedisConnector redis, RateLimitConfig config, InstantSource clock,
      IntConsumer callSizes, String script) {
    this.redis = redis;
    this.clock = clock;
    this.cache = new RateLimitCache(config.verdictCacheMaxEntries(), clock);
    this.timeoutMs = config.scriptTimeoutMs();
    this.maxRequestsPerCall = config.maxRequestsPerCall();
    this.callSizes = callSizes;
    this.script = script;
    this.sha = sha1Hex(script);
  }

  /**
   * Loads the script into Redis ({@code SCRIPT LOAD}). Optional: a check loads it on demand when
   * Redis does not know it. Concurrent callers share one load.
   */
  public Future<Void> loadScript() {
    Future<Void> current = loading.get();
    if (current != null && !current.isComplete()) {
      return current;
    }
    Future<Void> load = redis.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(script))
        .map(response -> {
          String loaded = response.toString();
          if (!sha.equalsIgnoreCase(loaded)) {
            throw new IllegalStateException("SCRIPT LOAD answered " + loaded + ", expected " + sha);
          }
          return null;
        });
    loading.set(load);
    return load;
  }

  @Override
  public Future<Void> prepare() {
    return loadScript();
  }

  /** The verdict cache (tests look at it). */
  RateLimitCache cache() {
    return cache;
  }

  @Override
  public Future<QuotaResult> check(Scoping scoping, List<Quota> quotas, QuotaRequest request) {
    long nowMillis = clock.millis();
    long nowSeconds = Math.floorDiv(nowMillis, 1000);
    Plan plan = plan(scoping, quotas, request, nowSeconds);
    if (plan.tracked.isEmpty()) {
      return Future.succeededFuture(plan.resolve(null, 0, scoping, nowSeconds));
    }
    Call call = new Call(plan, scoping, nowSeconds, Promise.promise());
    Context context = Vertx.currentContext();
    if (maxRequestsPerCall == 1 || context == null || !context.isEventLoopContext()) {
      send(List.of(call));
    } else {
      Batch batch = context.get(this);
      if (batch == null) {
        batch = new Batch(context);
        context.put(this, batch);
      }
      batch.add(call);
    }
    return call.promise.future();
  }

  /** One request's checks waiting for their script call. */
  private record Call(Plan plan, Scoping scoping, long nowSeconds, Promise<QuotaResult> promise) {
  }

  /**
   * The calls one event loop has made in its current turn. The first one schedules the flush for
   * after the turn (so the requests read in one turn share a script call); a full batch goes at
   * once. Only touched on its context's thread.
   */
  private final class Batch {

    private final Context context;
    private List<Call> calls = new ArrayList<>();

    Batch(Context context) {
      this.context = context;
    }

    void add(Call call) {
      calls.add(call);
      if (calls.size() >= maxRequestsPerCall) {
        flush();
      } else if (calls.size() == 1) {
        context.runOnContext(v -> flush());
      }
    }

    private void flush() {
      if (calls.isEmpty()) {
        return;
      }
      List<Call> full = calls;
      calls = new ArrayList<>();
      send(full);
    }
  }

  /**
   * One script call for the quotas of {@code calls}: their units follow each other (each call's
   * units shifted past the previous call's), so the script checks them one after the other, as
   * separate calls in that order would, and each call reads its own slice of the answer.
   */
  private void send(List<Call> calls) {
    callSizes.accept(calls.size());
    Future<Response> answer;
    try {
      answer = evalsha(calls);
    } catch (RuntimeException e) {
      // a batch flushed from the event loop's task queue has no caller to throw to
      calls.forEach(call -> call.promise.fail(e));
      return;
    }
    answer
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .onComplete(ar -> {
          if (ar.failed()) {
            calls.forEach(call -> call.promise.fail(ar.cause()));
            return;
          }
          Response response = ar.result();
          int expected = calls.stream().mapToInt(call -> call.plan.tracked.size()).sum();
          if (response.size() != expected) {
            IllegalStateException error = new IllegalStateException("the rate limit script answered "
                + response.size() + " values for " + expected + " quotas");
            calls.forEach(call -> call.promise.fail(error));
            return;
          }
          int offset = 0;
          for (Call call : calls) {
            try {
              call.promise.complete(call.plan.resolve(response, offset, call.scoping, call.nowSeconds));
            } catch (RuntimeException e) {
              call.promise.tryFail(e);
            }
            offset += call.plan.tracked.size();
          }
        });
  }

  /** One quota of one check, sent to the script. */
  private record Tracked(int check, int unit, int parentUnit, RedisQuota quota, long quantity) {
  }

  private Plan plan(Scoping scoping, List<Quota> quotas, QuotaRequest request, long nowSeconds) {
    int n = request.size();
    Plan plan = new Plan(request);
    int units = 0;
    for (int i = 0; i < n; i++) {
      QuotaRequest.Check check = request.get(i);
      int parent = check.requires();
      if (parent >= 0 && (plan.doomed[parent] || plan.local[parent].isLimited())) {
        // The required check cannot be accepted, so this one will be skipped.
        plan.doomed[i] = true;
        continue;
      }
      if (parent >= 0) {
        plan.gate[i] = plan.unit[parent] != 0 ? plan.unit[parent] : plan.gate[parent];
      }
      List<RateLimit> local = new ArrayList<>(0);
      List<RedisQuota> countable = new ArrayList<>(quotas.size());
      for (Quota quota : quotas) {
        if (!quota.matches(scoping, check.category())) {
          continue;
        }
        if (quota.rejectsAll()) {
          local.add(RateLimit.fromQuota(quota, scoping, REJECT_ALL_SECONDS));
        } else if (quota.isCountable()) {
          RedisQuota counted = new RedisQuota(quota, scoping, nowSeconds);
          RateLimit cached = cache.get(counted.cacheKey());
          if (cached != null) {
            local.add(cached);
          } else {
            countable.add(counted);
          }
        } else {
          LOG.debug("skipping a quota that cannot be counted (no id or window): {}", quota);
        }
      }
      if (!local.isEmpty()) {
        plan.local[i] = RateLimits.of(local);
        continue;
      }
      if (!countable.isEmpty()) {
        units++;
        plan.unit[i] = units;
        for (RedisQuota counted : countable) {
          plan.tracked.add(new Tracked(i, units, plan.gate[i], counted, check.quantity()));
        }
      }
    }
    return plan;
  }

  /** The script call for {@code calls}, reloading the script once if Redis does not know it. */
  private Future<Response> evalsha(List<Call> calls) {
    return redis.send(evalRequest(calls)).recover(error -> {
      if (!isNoScript(error)) {
        return Future.failedFuture(error);
      }
      LOG.info("Redis does not know the rate limit script (restart or flush); loading it again");
      return loadScript().compose(loaded -> redis.send(evalRequest(calls)));
    });
  }

  private Request evalRequest(List<Call> calls) {
    int quotas = calls.stream().mapToInt(call -> call.plan.tracked.size()).sum();
    Request request = Request.cmd(Command.EVALSHA).arg(sha).arg(quotas * 2);
    for (Call call : calls) {
      for (Tracked t : call.plan.tracked) {
        request.arg(redis.key(t.quota.counterKey())).arg(redis.key(t.quota.refundKey()));
      }
    }
    int unitOffset = 0;
    for (Call call : calls) {
      for (Tracked t : call.plan.tracked) {
        request.arg(t.quota.scriptLimit())
            .arg(t.quota.keyExpiry())
            .arg(t.quantity)
            .arg(unitOffset + t.unit)
            .arg(t.parentUnit == 0 ? 0 : unitOffset + t.parentUnit);
      }
      unitOffset += call.plan.units();
    }
    return request;
  }

  private static boolean isNoScript(Throwable error) {
    String message = error.getMessage();
    return message != null && message.startsWith("NOSCRIPT");
  }

  /** The checks of one call: what is decided locally, and what goes to Redis. */
  private final class Plan {

    final QuotaRequest request;
    /** Limits found without Redis (limit 0, cached verdicts); none if the check went on. */
    final RateLimits[] local;
    /** Skipped without Redis because a required check is already lost. */
    final boolean[] doomed;
    /** The check's unit in the script, 0 if it sends nothing. */
    final int[] unit;
    /** The script unit that must accept before this check counts, 0 for none. */
    final int[] gate;
    final List<Tracked> tracked = new ArrayList<>();

    Plan(QuotaRequest request) {
      int n = request.size();
      this.request = request;
      this.local = new RateLimits[n];
      Arrays.fill(local, RateLimits.none());
      this.doomed = new boolean[n];
      this.unit = new int[n];
      this.gate = new int[n];
    }

    /** The highest unit number of this plan's quotas (they ascend), 0 when none goes to Redis. */
    int units() {
      return tracked.isEmpty() ? 0 : tracked.get(tracked.size() - 1).unit;
    }

    /**
     * The verdicts, from the script's answers to this plan's quotas starting at {@code offset}
     * ({@code response} null when none went to Redis).
     */
    QuotaResult resolve(Response response, int offset, Scoping scoping, long nowSeconds) {
      int n = request.size();
      List<Verdict> verdicts = new ArrayList<>(n);
      int units = units();
      long[] unitStatus = new long[units + 1];
      List<List<RateLimit>> unitLimits = new ArrayList<>(units + 1);
      for (int u = 0; u <= units; u++) {
        unitLimits.add(new ArrayList<>(1));
      }
      if (response != null) {
        for (int q = 0; q < tracked.size(); q++) {
          Tracked t = tracked.get(q);
          long answer = response.get(offset + q).toLong();
          if (answer == REJECTED) {
            RedisQuota counted = t.quota;
            long retryAfter = Math.max(1, counted.slotEnd() - nowSeconds);
            RateLimit limit = RateLimit.fromQuota(counted.quota(), scoping, retryAfter);
            unitLimits.get(t.unit).add(limit);
            unitStatus[t.unit] = REJECTED;
            cache.put(counted.cacheKey(), limit, counted.slotEnd() * 1000);
          } else if (answer == SKIPPED && unitStatus[t.unit] != REJECTED) {
            unitStatus[t.unit] = SKIPPED;
          } else if (answer != ACCEPTED && answer != SKIPPED) {
            throw new IllegalStateException("the rate limit script answered " + answer);
          }
        }
      }
      for (int i = 0; i < n; i++) {
        int parent = request.get(i).requires();
        boolean parentLost =
            parent >= 0 && verdicts.get(parent).status() != QuotaResult.Status.ACCEPTED;
        if (doomed[i] || parentLost) {
          verdicts.add(Verdict.SKIPPED);
        } else if (local[i].isLimited()) {
          verdicts.add(Verdict.rejected(local[i]));
        } else if (unit[i] == 0 || unitStatus[unit[i]] == ACCEPTED) {
          verdicts.add(Verdict.ACCEPTED);
        } else if (unitStatus[unit[i]] == REJECTED) {
          verdicts.add(Verdict.rejected(RateLimits.of(unitLimits.get(unit[i]))));
        } else {
          verdicts.add(Verdict.SKIPPED);
        }
      }
      return new QuotaResult(verdicts);
    }
  }

  private static String bundledScript() {
    try (InputStream in = RedisRateLimiter.class.getResourceAsStream(SCRIPT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCRIPT_RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1Hex(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

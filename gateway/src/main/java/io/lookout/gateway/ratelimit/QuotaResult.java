package io.lookout.gateway.ratelimit;

import java.util.List;
import java.util.Objects;

/** The answer to a {@link QuotaRequest}: one {@link Verdict} per check, in request order. */
public final class QuotaResult {

  /** What became of one check. */
  public enum Status {
    /** Every quota admitted it; its quantity was counted. */
    ACCEPTED,
    /** At least one quota rejected it; nothing of it was counted. */
    REJECTED,
    /** Not made, because the check it requires was not accepted; nothing was counted. */
    SKIPPED
  }

  /**
   * @param limits the limits that rejected the check; empty unless {@link Status#REJECTED}
   */
  public record Verdict(Status status, RateLimits limits) {

    public static final Verdict ACCEPTED = new Verdict(Status.ACCEPTED, RateLimits.none());
    public static final Verdict SKIPPED = new Verdict(Status.SKIPPED, RateLimits.none());

    public Verdict {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(limits, "limits");
      if ((status == Status.REJECTED) != limits.isLimited()) {
        throw new IllegalArgumentException("a rejected check, and only one, carries limits");
      }
    }

    public static Verdict rejected(RateLimits limits) {
      return new Verdict(Status.REJECTED, limits);
    }
  }

  private final List<Verdict> verdicts;

  public QuotaResult(List<Verdict> verdicts) {
    this.verdicts = List.copyOf(verdicts);
  }

  public Verdict get(int index) {
    return verdicts.get(index);
  }

  public Status status(int index) {
    return verdicts.get(index).status();
  }

  public int size() {
    return verdicts.size();
  }

  public List<Verdict> verdicts() {
    return verdicts;
  }

  /** Every limit that rejected a check, merged. */
  public RateLimits limits() {
    RateLimits all = RateLimits.none();
    for (Verdict verdict : verdicts) {
      all = all.merge(verdict.limits());
    }
    return all;
  }

  @Override
  public String toString() {
    return "QuotaResult" + verdicts;
  }
}

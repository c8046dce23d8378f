package io.lookout.gateway.ratelimit;

import io.lookout.gateway.project.Scoping;
import io.lookout.storage.kafka.message.DataCategory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one request asks of the quotas: a list of checks, each one data category with a quantity,
 * all answered by one {@link RateLimiter#check(Scoping, List, QuotaRequest)}.
 *
 * <p>Each check is what Relay does in one call of its rate limiter: every quota that applies to
 * the category is consulted, and if any of them rejects, none of them counts the quantity. Checks
 * are independent of each other, except that a check may require an earlier one: it is then only
 * made (and counted) when that one was accepted, the way Relay checks an event's attachments only
 * when the event itself was not limited ({@code EnvelopeLimiter} in
 * {@code relay-server/src/utils/rate_limits.rs}). A quantity of 0 checks without counting.
 */
public final class QuotaRequest {

  /**
   * One check.
   *
   * @param requires index of the earlier check that must be accepted first, or -1
   */
  public record Check(DataCategory category, long quantity, int requires) {

    public Check {
      Objects.requireNonNull(category, "category");
      if (quantity < 0) {
        throw new IllegalArgumentException("quantity must not be negative: " + quantity);
      }
    }
  }

  private final List<Check> checks;

  private QuotaRequest(List<Check> checks) {
    this.checks = Collections.unmodifiableList(checks);
  }

  /** Independent checks, one per entry, in the order of {@link DataCategory}. */
  public static QuotaRequest of(Map<DataCategory, Long> quantities) {
    Builder builder = builder();
    quantities.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> builder.check(e.getKey(), e.getValue()));
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Check> checks() {
    return checks;
  }

  public Check get(int index) {
    return checks.get(index);
  }

  public int size() {
    return checks.size();
  }

  public boolean isEmpty() {
    return checks.isEmpty();
  }

  @Override
  public String toString() {
    return "QuotaRequest" + checks;
  }

  /** Adds checks in order; each method answers the index of the check it added. */
  public static final class Builder {

    private final List<Check> checks = new ArrayList<>();

    /** A check that is always made. */
    public int check(DataCategory category, long quantity) {
      checks.add(new Check(category, quantity, -1));
      return checks.size() - 1;
    }

    /**
     * A check made only when check {@code requires} was accepted; -1 makes it unconditional.
     *
     * @throws IllegalArgumentException if {@code requires} is not an earlier check
     */
    public int checkIfAccepted(int requires, DataCategory category, long quantity) {
      if (requires < -1 || requires >= checks.size()) {
        throw new IllegalArgumentException("check " + requires + " is not an earlier check");
      }
      checks.add(new Check(category, quantity, requires));
      return checks.size() - 1;
    }

    public QuotaRequest build() {
      return new QuotaRequest(new ArrayList<>(checks));
    }
  }
}

package io.lookout.gateway.outcome;

/**
 * Names of the outcome emitter's meters, with their tags. Its batcher also reports the
 * {@code lookout.batch.*} meters (tag {@code batcher}: the emitter's name).
 */
public final class OutcomeMetrics {

  /** Tag: why outcomes were dropped: {@code full}, {@code stopped} or {@code failed}. */
  public static final String TAG_REASON = "reason";

  /** Counter, outcomes produced to Kafka. No tags. */
  public static final String PRODUCED = "gateway.outcomes.produced";

  /**
   * Counter, outcomes dropped: the batcher was full ({@code full}), the emitter was stopping
   * ({@code stopped}) or Kafka did not take the batch ({@code failed}). Tags:
   * {@value #TAG_REASON}.
   */
  public static final String DROPPED = "gateway.outcomes.dropped";

  private OutcomeMetrics() {
  }
}

package io.lookout.gateway.ratelimit;

import java.time.Instant;
import java.time.InstantSource;

/** A wall clock that moves only when a test moves it. */
public final class ManualClock implements InstantSource {

  private volatile long millis;

  public ManualClock(long epochMillis) {
    this.millis = epochMillis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public long millis() {
    return millis;
  }

  public void advanceMillis(long delta) {
    millis += delta;
  }

  public void advanceSeconds(long seconds) {
    millis += seconds * 1000;
  }

  public void set(long epochMillis) {
    millis = epochMillis;
  }
}

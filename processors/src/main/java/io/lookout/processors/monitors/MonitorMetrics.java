package io.lookout.processors.monitors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The monitors' meters.
 * <ul>
 *   <li>{@code lookout.monitors.checkins} (tag {@code status}): check-ins recorded or finished</li>
 *   <li>{@code lookout.monitors.dropped} (tag {@code reason}): check-ins not recorded
 *       ({@code invalid}, {@code unknown_monitor}, {@code other_project}, {@code other_monitor},
 *       {@code disabled}, {@code already_finished})</li>
 *   <li>{@code lookout.monitors.dead_lettered}: messages sent to the dead-letter topic</li>
 *   <li>{@code lookout.monitors.marked} (tag {@code status}: {@code missed}, {@code timeout}): check-ins
 *       the scheduler marked</li>
 *   <li>{@code lookout.monitors.failure_events}: failure events saved into issues</li>
 * </ul>
 */
final class MonitorMetrics {

  private final MeterRegistry registry;

  MonitorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void checkIn(String status) {
    Counter.builder("lookout.monitors.checkins").tag("status", status)
        .description("check-ins recorded or finished").register(registry).increment();
  }

  void dropped(String reason) {
    Counter.builder("lookout.monitors.dropped").tag("reason", reason)
        .description("check-ins not recorded").register(registry).increment();
  }

  void deadLettered() {
    Counter.builder("lookout.monitors.dead_lettered")
        .description("check-in messages sent to the dead-letter topic").register(registry).increment();
  }

  void marked(String status, int count) {
    Counter.builder("lookout.monitors.marked").tag("status", status)
        .description("check-ins the scheduler marked missed or timed out").register(registry).increment(count);
  }

  void failureEvents(int count) {
    Counter.builder("lookout.monitors.failure_events")
        .description("monitor failure events saved into issues").register(registry).increment(count);
  }
}

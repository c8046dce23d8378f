package io.lookout.processors.broker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The task broker's metrics. Every meter has the tags {@code queue} and {@code transport}
 * ({@code rabbitmq} | {@code redis}):
 * <ul>
 *   <li>{@code broker.tasks.published} (counter): tasks whose publish was confirmed
 *   <li>{@code broker.publish.failed} (counter): tasks whose publish failed, extra tag
 *       {@code reason} ({@code unavailable}, {@code full}, {@code rejected})
 *   <li>{@code broker.publish.latency} (timer): from publish to the broker's confirm, per call
 *   <li>{@code broker.tasks.acked} (counter): handler succeeded, task removed
 *   <li>{@code broker.tasks.retried} (counter): handler failed, task scheduled again
 *   <li>{@code broker.tasks.dead_lettered} (counter): handler failed {@code max_attempts} times
 *   <li>{@code broker.tasks.requeued} (counter): tasks of a consumer that died or closed without
 *       settling them, put back on the queue (Redis only: RabbitMQ does this itself)
 *   <li>{@code broker.tasks.in_flight} (gauge): tasks in handlers now, all consumers of the queue
 * </ul>
 * Meters are created once per queue and cached, so the hot path allocates nothing.
 */
public final class BrokerMetrics {

  // a gauge binds to the first object registered under its name and tags: brokers sharing a
  // registry must share the in-flight counters too, so they share this object
  private static final Map<MeterRegistry, Map<String, BrokerMetrics>> SHARED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final MeterRegistry registry;
  private final String transport;
  private final Map<String, QueueMeters> queues = new ConcurrentHashMap<>();
  private final Map<String, Counter> publishFailed = new ConcurrentHashMap<>();

  private BrokerMetrics(MeterRegistry registry, String transport) {
    this.registry = registry;
    this.transport = transport;
  }

  /** The metrics of {@code transport} in {@code registry}, one instance per pair. */
  public static BrokerMetrics of(MeterRegistry registry, String transport) {
    return SHARED.computeIfAbsent(registry, r -> new ConcurrentHashMap<>())
        .computeIfAbsent(transport, t -> new BrokerMetrics(registry, t));
  }

  /** The meters of one queue. */
  public QueueMeters queue(String queue) {
    return queues.computeIfAbsent(queue, QueueMeters::new);
  }

  public void publishFailed(String queue, String reason, int tasks) {
    publishFailed.computeIfAbsent(queue + '|' + reason, k -> Counter.builder("broker.publish.failed")
        .tag("queue", queue).tag("transport", transport).tag("reason", reason).register(registry))
        .increment(tasks);
  }

  /** Meters of one queue. */
  public final class QueueMeters {

    public final Counter published;
    public final Counter acked;
    public final Counter retried;
    public final Counter deadLettered;
    public final Counter requeued;
    public final Timer publishLatency;
    public final AtomicInteger inFlight = new AtomicInteger();

    private QueueMeters(String queue) {
      published = counter("broker.tasks.published", queue);
      acked = counter("broker.tasks.acked", queue);
      retried = counter("broker.tasks.retried", queue);
      deadLettered = counter("broker.tasks.dead_lettered", queue);
      requeued = counter("broker.tasks.requeued", queue);
      publishLatency = Timer.builder("broker.publish.latency").tag("queue", queue).tag("transport", transport)
          .register(registry);
      Gauge.builder("broker.tasks.in_flight", inFlight, AtomicInteger::get)
          .tag("queue", queue).tag("transport", transport).register(registry);
    }

    public void publishedSince(long startNanos, int tasks) {
      publishLatency.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
      published.increment(tasks);
    }

    private Counter counter(String name, String queue) {
      return Counter.builder(name).tag("queue", queue).tag("transport", transport).register(registry);
    }
  }
}

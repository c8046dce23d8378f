package io.lookout.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's request metrics. Names and tags:
 * <ul>
 *   <li>{@code gateway.requests} (counter): {@code endpoint} (envelope, store, security, minidump,
 *       attachments, cron, health, other), {@code status} (HTTP status)
 *   <li>{@code gateway.request.bytes} (summary): bytes read per request, tag {@code endpoint}
 *   <li>{@code gateway.envelope.items} (counter): items received, tag {@code type}
 *   <li>{@code gateway.envelope.rejected} (counter): rejected requests, tag {@code reason}
 *   <li>{@code gateway.requests.in_flight} (gauge), {@code gateway.body.buffered_bytes} (gauge),
 *       and the producer's and outcome emitter's own ({@code gateway.kafka.*}, {@code gateway.outcomes.*})
 * </ul>
 * Meters are looked up once per tag combination and cached, so the hot path allocates nothing.
 */
public final class GatewayMetrics {

  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> bytes = new ConcurrentHashMap<>();
  private final Map<String, Counter> items = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

  public GatewayMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void request(String endpoint, int status, long bytesRead) {
    requests.computeIfAbsent(endpoint + '|' + status, k -> Counter.builder("gateway.requests")
        .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry)).increment();
    bytes.computeIfAbsent(endpoint, k -> DistributionSummary.builder("gateway.request.bytes")
        .tag("endpoint", endpoint).baseUnit("bytes").register(registry)).record(bytesRead);
  }

  public void item(String type) {
    items.computeIfAbsent(type, k -> Counter.builder("gateway.envelope.items").tag("type", type)
        .register(registry)).increment();
  }

  public void rejected(String reason) {
    String tag = reason == null ? "none" : reason;
    rejected.computeIfAbsent(tag, k -> Counter.builder("gateway.envelope.rejected").tag("reason", tag)
        .register(registry)).increment();
  }
}

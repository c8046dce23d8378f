package io.lookout.gateway;

import io.lookout.gateway.http.MemoryBudget;
import io.lookout.gateway.outcome.OutcomeConfig;
import io.lookout.gateway.produce.EnvelopeProducer;
import io.lookout.gateway.produce.ProducerConfig;
import io.lookout.gateway.produce.TopicNames;
import io.lookout.gateway.project.ProjectSource;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.storage.config.StorageConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every gateway verticle shares in one process: configuration, the Kafka producer (one per
 * process, so all event loops fill the same batches), the project source, and the process-wide
 * bounds (requests in flight, body memory). Per-event-loop parts (caches, Redis, outcome batches)
 * are built by each {@link GatewayVerticle}.
 */
public record GatewayServices(
    GatewayConfig config,
    StorageConfig storage,
    ProducerConfig producerConfig,
    OutcomeConfig outcomeConfig,
    RateLimitConfig rateLimitConfig,
    TopicNames topics,
    EnvelopeProducer producer,
    ProjectSource projects,
    HealthMonitor health,
    MeterRegistry registry,
    GatewayMetrics metrics,
    MemoryBudget bodyBudget,
    AtomicInteger inFlight) {

  /** Takes a request slot; false when {@code limits.max_concurrent_requests} are in flight. */
  public boolean tryEnter() {
    if (inFlight.incrementAndGet() > config.limits().maxConcurrentRequests()) {
      inFlight.decrementAndGet();
      return false;
    }
    return true;
  }

  public void exit() {
    inFlight.decrementAndGet();
  }
}

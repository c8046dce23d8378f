package io.lookout.gateway.ingest;

import io.lookout.gateway.endpoint.Rejection;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.gateway.filter.FilterConfig;
import io.lookout.gateway.filter.FilterStatKey;
import io.lookout.gateway.filter.InboundFilters;
import io.lookout.gateway.limits.ItemLimits;
import io.lookout.gateway.outcome.OutcomeEmitter;
import io.lookout.gateway.outcome.Outcomes;
import io.lookout.gateway.produce.BufferFullException;
import io.lookout.gateway.produce.DroppedItem;
import io.lookout.gateway.produce.EnvelopeProducer;
import io.lookout.gateway.produce.KafkaRouting;
import io.lookout.gateway.produce.ProduceScope;
import io.lookout.gateway.produce.RoutedEnvelope;
import io.lookout.gateway.project.ProjectState;
import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.ratelimit.EnvelopeLimits;
import io.lookout.gateway.ratelimit.EnvelopeRateLimiter;
import io.lookout.gateway.ratelimit.Quota;
import io.lookout.gateway.ratelimit.RateLimitConfig;
import io.lookout.gateway.ratelimit.RateLimits;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every parsed envelope goes through, in Relay's order: size limits (413), unknown items
 * dropped, inbound filters (filtered outcomes, still 200), quotas in one Redis call (rate_limited
 * outcomes; 429 only when nothing is left), routing to Kafka records, then the produce, whose acks
 * the answer waits for. One instance per event loop.
 */
public final class EnvelopeProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeProcessor.class);
  private static final int DERIVED_CACHE_MAX = 10_000;

  /** What the processor derives from a project state once, not per request. */
  private record Derived(FilterConfig filters, List<Quota> quotas) {
  }

  private final ItemLimits itemLimits;
  private final EnvelopeRateLimiter rateLimiter;
  private final RateLimitConfig rateLimitConfig;
  private final KafkaRouting routing;
  private final EnvelopeProducer producer;
  private final OutcomeEmitter outcomes;
  // keyed by identity: a cached ProjectState is the same object until the cache refreshes it
  private final Map<ProjectState, Derived> derived = new IdentityHashMap<>();

  public EnvelopeProcessor(ItemLimits itemLimits, EnvelopeRateLimiter rateLimiter, RateLimitConfig rateLimitConfig,
      KafkaRouting routing, EnvelopeProducer producer, OutcomeEmitter outcomes) {
    this.itemLimits = itemLimits;
    this.rateLimiter = rateLimiter;
    this.rateLimitConfig = rateLimitConfig;
    this.routing = routing;
    this.producer = producer;
    this.outcomes = outcomes;
  }

  public Future<IngestResult> process(IngestRequest request, Envelope envelope) {
    if (envelope.eventId().isEmpty() && envelope.requiresEvent()) {
      // Relay assigns the id when it parses such an envelope; every outcome and record then agrees
      envelope.setEventId(java.util.UUID.randomUUID().toString().replace("-", ""));
    }
    Scoping scoping = Scoping.of(request.project());
    Outcomes outcomeFactory = Outcomes.of(scoping, request.receivedAt(), envelope.eventId().orElse(null),
        request.remoteAddr());

    Optional<Rejection> tooLarge = itemLimits.check(envelope);
    if (tooLarge.isPresent()) {
      outcomes.emitAll(outcomeFactory.invalid(envelope.items(), tooLarge.get().reason()));
      return Future.failedFuture(tooLarge.get().exception());
    }
    // unknown types are dropped silently, as Relay does; `rate_limited` is ours to set, never the SDK's
    envelope.retain(item -> item.type() != ItemType.UNKNOWN);
    for (EnvelopeItem item : envelope.items()) {
      item.header().remove("rate_limited");
    }

    Derived project = derive(request.project());
    applyFilters(envelope, project.filters(), request.remoteAddr(), outcomeFactory);

    return rateLimiter.enforce(envelope, scoping, project.quotas())
        .recover(err -> {
          // a quota store that is down must not stop ingest: Relay fails open the same way
          LOG.warn("rate limit check failed, accepting without it: {}", err.toString());
          return Future.succeededFuture(EnvelopeLimits.NONE);
        })
        .compose(limits -> {
          for (EnvelopeLimits.Outcome o : limits.outcomes()) {
            outcomes.emit(outcomeFactory.outcome(OutcomeType.RATE_LIMITED, o.reasonCode(), o.category(),
                o.quantity()));
          }
          if (limits.rejected()) {
            return Future.failedFuture(new RateLimitedException(limits.limits()));
          }
          for (EnvelopeItem kept : limits.rateLimitedAttachments()) {
            kept.header().put("rate_limited", true);
          }
          return produce(request, envelope, scoping, outcomeFactory, limits.limits());
        });
  }

  private Future<IngestResult> produce(IngestRequest request, Envelope envelope, Scoping scoping,
      Outcomes outcomeFactory, RateLimits limits) {
    ProduceScope scope = ProduceScope.of(scoping, request.remoteAddr(), request.receivedAt())
        .withClient(request.auth().client());
    RoutedEnvelope routed = routing.route(envelope, scope);
    outcomes.emitAll(routed.outcomes());
    for (DroppedItem dropped : routed.dropped()) {
      dropped.invalidReason().ifPresent(reason -> outcomes.emitAll(outcomeFactory.invalid(List.of(dropped.item()),
          reason)));
    }
    IngestResult result = new IngestResult(routed.eventId(), limits);
    if (routed.records().isEmpty()) {
      return Future.succeededFuture(result);
    }
    return producer.send(routed.records())
        .recover(err -> {
          if (err instanceof BufferFullException) {
            return Future.failedFuture(Rejection.unavailable("failed to queue envelope",
                "envelope buffer capacity exceeded").exception());
          }
          LOG.error("kafka produce failed: {}", err.toString());
          return Future.failedFuture(Rejection.unavailable("failed to store envelope",
              "the event queue did not acknowledge the envelope").exception());
        })
        .map(v -> {
          outcomes.emitAll(routed.acceptedOutcomes());
          return result;
        });
  }

  /**
   * Runs the inbound filters on the envelope's event-like item. A filtered event takes the items
   * that belong to it (attachments, user reports) with it; each gets a {@code filtered} outcome.
   */
  private void applyFilters(Envelope envelope, FilterConfig filters, String clientIp, Outcomes outcomeFactory) {
    if (filters == FilterConfig.DISABLED) {
      return;
    }
    for (EnvelopeItem item : envelope.items()) {
      if (!(item.type() == ItemType.EVENT || item.type() == ItemType.TRANSACTION
          || item.type() == ItemType.SECURITY || item.type() == ItemType.RAW_SECURITY)) {
        continue;
      }
      JsonObject event;
      try {
        event = item.payload().toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        return; // an unreadable event is the processors' to reject, with its own outcome
      }
      Optional<FilterStatKey> filtered = InboundFilters.check(event, filters, clientIp);
      if (filtered.isPresent()) {
        List<EnvelopeItem> dropped = envelope.retain(i -> !(i == item || belongsToEvent(i)));
        List<Outcome> list = outcomeFactory.filtered(dropped, filtered.get().reason());
        outcomes.emitAll(list);
      }
      return;
    }
  }

  private static boolean belongsToEvent(EnvelopeItem item) {
    return item.type() == ItemType.ATTACHMENT || item.type() == ItemType.USER_REPORT
        || item.type() == ItemType.FORM_DATA;
  }

  private Derived derive(ProjectState state) {
    Derived d = derived.get(state);
    if (d == null) {
      if (derived.size() >= DERIVED_CACHE_MAX) {
        derived.clear();
      }
      JsonObject options = state.options();
      Object filterJson = options.getValue("filterSettings", options.getValue("filters"));
      FilterConfig filters = filterJson instanceof JsonObject obj ? FilterConfig.fromJson(obj) : FilterConfig.DISABLED;
      List<Quota> quotas = new ArrayList<>();
      rateLimitConfig.systemQuota().ifPresent(quotas::add);
      Quota.forKey(state.key().keyId(), toLong(state.key().rateLimitCount()), toLong(state.key().rateLimitWindow()))
          .ifPresent(quotas::add);
      if (options.getValue("quotas") instanceof JsonArray array) {
        quotas.addAll(Quota.fromJsonArray(array));
      }
      d = new Derived(filters, List.copyOf(quotas));
      derived.put(state, d);
    }
    return d;
  }

  private static Long toLong(Integer value) {
    return value == null ? null : value.longValue();
  }

  /** Everything in the envelope was rate limited: the endpoint answers 429 with these limits. */
  public static final class RateLimitedException extends RuntimeException {

    private final transient RateLimits limits;

    RateLimitedException(RateLimits limits) {
      super("rate limited", null, false, false);
      this.limits = limits;
    }

    public RateLimits limits() {
      return limits;
    }
  }
}

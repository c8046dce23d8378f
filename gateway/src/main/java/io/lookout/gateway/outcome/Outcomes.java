package io.lookout.gateway.outcome;

import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemQuantity;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the outcomes of one request's items, as Relay's {@code TrackOutcome}s for a rejected or
 * accepted envelope: one outcome per data category the items count toward
 * ({@link EnvelopeItem#quantities()}), quantities summed per category, categories in the order
 * they first appear. A category that sums to 0 gets no outcome. Quantities above Relay's
 * {@code u32} are capped.
 *
 * <p>{@code reason} strings are Relay's: a filter name ({@code browser-extensions}), a quota's
 * reason code, or a discard reason ({@code too_large:event}, {@code invalid_json}, ...).
 */
public final class Outcomes {

  private static final long U32_MAX = 0xFFFF_FFFFL;

  private final Scoping scoping;
  private final Instant timestamp;
  private final String eventId;
  private final String remoteAddr;

  private Outcomes(Scoping scoping, Instant timestamp, String eventId, String remoteAddr) {
    this.scoping = Objects.requireNonNull(scoping, "scoping");
    this.timestamp = Objects.requireNonNull(timestamp, "timestamp");
    this.eventId = eventId;
    this.remoteAddr = remoteAddr;
  }

  /**
   * Outcomes for the items of one request.
   *
   * @param timestamp when it happened (Relay uses the time the request was received)
   * @param eventId the envelope's event id, or null
   * @param remoteAddr the client's IP, or null
   */
  public static Outcomes of(Scoping scoping, Instant timestamp, String eventId, String remoteAddr) {
    return new Outcomes(scoping, timestamp, eventId, remoteAddr);
  }

  /** Stored (Relay emits this only for data that goes from it straight to storage). */
  public List<Outcome> accepted(Collection<EnvelopeItem> items) {
    return forItems(items, OutcomeType.ACCEPTED, null);
  }

  /** Dropped by the inbound filter {@code filterName} (e.g. {@code localhost}). */
  public List<Outcome> filtered(Collection<EnvelopeItem> items, String filterName) {
    return forItems(items, OutcomeType.FILTERED, Objects.requireNonNull(filterName, "filterName"));
  }

  /** Dropped by a quota; {@code reasonCode} is the quota's reason code, or null if it has none. */
  public List<Outcome> rateLimited(Collection<EnvelopeItem> items, String reasonCode) {
    return forItems(items, OutcomeType.RATE_LIMITED, reasonCode);
  }

  /** Dropped as invalid for Relay's discard reason {@code reason} (e.g. {@code too_large:event}). */
  public List<Outcome> invalid(Collection<EnvelopeItem> items, String reason) {
    return forItems(items, OutcomeType.INVALID, Objects.requireNonNull(reason, "reason"));
  }

  /** One outcome of {@code quantity} of {@code category}, with this request's ids. */
  public Outcome outcome(OutcomeType type, String reason, DataCategory category, long quantity) {
    return new Outcome(timestamp, scoping.outcomeOrgId(), scoping.projectId(), scoping.keyId(),
        type.code(), reason, eventId, remoteAddr, null, category.code(),
        Math.min(U32_MAX, quantity));
  }

  private List<Outcome> forItems(Collection<EnvelopeItem> items, OutcomeType type, String reason) {
    Map<DataCategory, Long> sums = new LinkedHashMap<>();
    for (EnvelopeItem item : items) {
      for (ItemQuantity q : item.quantities()) {
        sums.merge(q.category(), q.quantity(), Long::sum);
      }
    }
    List<Outcome> out = new ArrayList<>(sums.size());
    for (Map.Entry<DataCategory, Long> sum : sums.entrySet()) {
      if (sum.getValue() > 0) {
        out.add(outcome(type, reason, sum.getKey(), sum.getValue()));
      }
    }
    return out;
  }
}

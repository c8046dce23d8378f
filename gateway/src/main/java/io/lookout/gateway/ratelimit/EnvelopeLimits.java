package io.lookout.gateway.ratelimit;

import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemQuantity;
import io.lookout.storage.kafka.message.DataCategory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What rate limiting did to one envelope ({@link EnvelopeRateLimiter#enforce}). The endpoint turns
 * it into a response as Relay does ({@code handle_envelope} in
 * {@code relay-server/src/endpoints/common.rs}):
 * <ul>
 *   <li>{@link #rejected()}: every item was limited, so the request fails with 429,
 *       {@code Retry-After: }{@link RateLimits#retryAfterHeader()} and
 *       {@code X-Sentry-Rate-Limits: }{@link RateLimits#toHeader()} (endpoints that must never
 *       answer 429, such as minidump uploads, answer as if accepted instead);</li>
 *   <li>otherwise the rest of the envelope goes on, and an envelope endpoint still sends
 *       {@code X-Sentry-Rate-Limits} with the 200 when {@link #limits()} is limited, so the SDK
 *       backs off for those categories. The legacy store endpoint answers 429 whenever
 *       {@link #limits()} is limited.</li>
 * </ul>
 *
 * @param limits the active limits to tell the client about (Relay leaves out limits that only hit
 *     attachments which make the event, and trace or span attachments)
 * @param items the items limited, in envelope order
 * @param rejected whether the envelope had items and none are left
 */
public record EnvelopeLimits(RateLimits limits, List<LimitedItem> items, boolean rejected) {

  /** Nothing limited. */
  public static final EnvelopeLimits NONE = new EnvelopeLimits(RateLimits.none(), List.of(), false);

  /** A quantity to report with outcome {@code rate_limited}. */
  public record Outcome(DataCategory category, long quantity, String reasonCode) {
  }

  public EnvelopeLimits {
    Objects.requireNonNull(limits, "limits");
    items = List.copyOf(items);
  }

  /** The items removed from the envelope. */
  public List<EnvelopeItem> dropped() {
    return items.stream().filter(i -> !i.kept()).map(LimitedItem::item).toList();
  }

  /** Attachments left in the envelope that must be forwarded marked {@code rate_limited}. */
  public List<EnvelopeItem> rateLimitedAttachments() {
    return items.stream().filter(LimitedItem::kept).map(LimitedItem::item).toList();
  }

  /** The {@code rate_limited} outcomes: quantities summed per category and reason, in order. */
  public List<Outcome> outcomes() {
    Map<Outcome, Long> sums = new LinkedHashMap<>();
    for (LimitedItem item : items) {
      for (ItemQuantity q : item.quantities()) {
        sums.merge(new Outcome(q.category(), 0, item.reasonCode()), q.quantity(), Long::sum);
      }
    }
    return sums.entrySet().stream()
        .map(e -> new Outcome(e.getKey().category(), e.getValue(), e.getKey().reasonCode()))
        .toList();
  }
}

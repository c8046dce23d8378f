package io.lookout.gateway.produce;

import io.lookout.gateway.envelope.EnvelopeItem;
import java.util.Objects;
import java.util.Optional;

/**
 * An envelope item {@link KafkaRouting} did not turn into records.
 *
 * @param reason the discard reason of the {@code invalid} outcome Relay would emit for it (e.g.
 *     {@code invalid_span}), or null where Relay drops it without an outcome (statsd, metric
 *     buckets, unknown item types, which count toward no data category)
 */
public record DroppedItem(EnvelopeItem item, String reason) {

  public DroppedItem {
    Objects.requireNonNull(item, "item");
  }

  /** The reason for an {@code invalid} outcome; empty when no outcome is due. */
  public Optional<String> invalidReason() {
    return Optional.ofNullable(reason);
  }
}

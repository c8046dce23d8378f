package io.lookout.gateway.ratelimit;

import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemQuantity;
import java.util.List;
import java.util.Objects;

/**
 * An envelope item a rate limit applied to.
 *
 * @param item the item
 * @param kept true for an attachment that makes the event (a minidump, ...): Relay keeps it
 *     although attachments are limited, because the event cannot be processed without it; it must
 *     be forwarded with {@code rate_limited: true} so that it is used but not stored. False for an
 *     item removed from the envelope.
 * @param reasonCode the reason code of the limit, for the {@code rate_limited} outcome; may be null
 * @param quantities what to report as {@code rate_limited}: the item's quantities, none for
 *     sessions (Relay emits no outcomes for sessions)
 */
public record LimitedItem(EnvelopeItem item, boolean kept, String reasonCode,
    List<ItemQuantity> quantities) {

  public LimitedItem {
    Objects.requireNonNull(item, "item");
    quantities = List.copyOf(quantities);
  }
}

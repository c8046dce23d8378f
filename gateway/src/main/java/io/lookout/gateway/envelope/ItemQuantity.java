package io.lookout.gateway.envelope;

import io.lookout.storage.kafka.message.DataCategory;
import java.util.Objects;

/** How much of one {@link DataCategory} an envelope item represents (for rate limits and outcomes). */
public record ItemQuantity(DataCategory category, long quantity) {

  public ItemQuantity {
    Objects.requireNonNull(category, "category");
    if (quantity < 0) {
      throw new IllegalArgumentException("quantity must not be negative: " + quantity);
    }
  }
}

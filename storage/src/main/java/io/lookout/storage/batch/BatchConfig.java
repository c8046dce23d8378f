package io.lookout.storage.batch;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * Bounds of one {@link Batcher}. A batch closes on whichever of count, bytes or age comes first.
 *
 * <p>JSON keys and defaults, as read by {@link #fromJson(JsonObject)}:
 * <ul>
 *   <li>{@code max_items} (1000): a batch closes when it holds this many items.
 *   <li>{@code max_bytes} (4194304 = 4 MiB): a batch closes before an item that would take it
 *       past this many bytes; an item larger than this on its own is flushed in a batch of one.
 *   <li>{@code max_age_ms} (200): a batch closes this long after its first item was added, so a
 *       quiet stream still gets written promptly.
 *   <li>{@code max_flushes_in_flight} (2): flushes running at once; closed batches beyond that
 *       wait in order.
 *   <li>{@code max_pending_items} (10000): items accepted and not yet flushed, counting the open
 *       batch, closed batches waiting for a slot AND batches being flushed. Past it,
 *       {@link Batcher#add} refuses items with {@link BatchFullException}. In-flight items count
 *       because they are still held in memory and still unacknowledged: so this single number
 *       bounds both the batcher's memory and the work the caller has not been able to ack.
 * </ul>
 *
 * <p>Every value must be positive and {@code max_items <= max_pending_items} (a full batch must
 * fit). A value below {@code max_flushes_in_flight * max_items} is allowed but caps concurrency:
 * fewer full batches can be pending than there are flush slots.
 */
public record BatchConfig(
    int maxItems, long maxBytes, long maxAgeMs, int maxFlushesInFlight, int maxPendingItems) {

  public static final int DEFAULT_MAX_ITEMS = 1000;
  public static final long DEFAULT_MAX_BYTES = 4L * 1024 * 1024;
  public static final long DEFAULT_MAX_AGE_MS = 200;
  public static final int DEFAULT_MAX_FLUSHES_IN_FLIGHT = 2;
  public static final int DEFAULT_MAX_PENDING_ITEMS = 10_000;

  private static final String MAX_ITEMS = "max_items";
  private static final String MAX_BYTES = "max_bytes";
  private static final String MAX_AGE_MS = "max_age_ms";
  private static final String MAX_FLUSHES_IN_FLIGHT = "max_flushes_in_flight";
  private static final String MAX_PENDING_ITEMS = "max_pending_items";
  private static final Set<String> KEYS =
      Set.of(MAX_ITEMS, MAX_BYTES, MAX_AGE_MS, MAX_FLUSHES_IN_FLIGHT, MAX_PENDING_ITEMS);

  public BatchConfig {
    requirePositive(MAX_ITEMS, maxItems);
    requirePositive(MAX_BYTES, maxBytes);
    requirePositive(MAX_AGE_MS, maxAgeMs);
    requirePositive(MAX_FLUSHES_IN_FLIGHT, maxFlushesInFlight);
    requirePositive(MAX_PENDING_ITEMS, maxPendingItems);
    if (maxItems > maxPendingItems) {
      throw new IllegalArgumentException("batch config: max_items (" + maxItems
          + ") must not exceed max_pending_items (" + maxPendingItems
          + "), or a full batch could never be accepted");
    }
  }

  /** All defaults. */
  public static BatchConfig defaults() {
    return new BatchConfig(DEFAULT_MAX_ITEMS, DEFAULT_MAX_BYTES, DEFAULT_MAX_AGE_MS,
        DEFAULT_MAX_FLUSHES_IN_FLIGHT, DEFAULT_MAX_PENDING_ITEMS);
  }

  /**
   * Reads the snake_case keys listed on the class; a missing key (or a null {@code json}) takes
   * its default. Numbers may also be given as strings of digits, which is what an environment
   * override produces. An unknown key is an error rather than ignored, so that a misspelt bound
   * does not silently run with its default: embed this object under its own key (e.g.
   * {@code "batch": {...}}) rather than mixing it with a writer's other settings.
   *
   * @throws IllegalArgumentException on an unknown key, a value that is not an integer, or a
   *     value that fails validation
   */
  public static BatchConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    for (String key : j.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new IllegalArgumentException(
            "batch config: unknown key '" + key + "' (known: " + KEYS + ")");
      }
    }
    return new BatchConfig(
        readInt(j, MAX_ITEMS, DEFAULT_MAX_ITEMS),
        readLong(j, MAX_BYTES, DEFAULT_MAX_BYTES),
        readLong(j, MAX_AGE_MS, DEFAULT_MAX_AGE_MS),
        readInt(j, MAX_FLUSHES_IN_FLIGHT, DEFAULT_MAX_FLUSHES_IN_FLIGHT),
        readInt(j, MAX_PENDING_ITEMS, DEFAULT_MAX_PENDING_ITEMS));
  }

  /** The same keys {@link #fromJson(JsonObject)} reads, every one present. */
  public JsonObject toJson() {
    return new JsonObject()
        .put(MAX_ITEMS, maxItems)
        .put(MAX_BYTES, maxBytes)
        .put(MAX_AGE_MS, maxAgeMs)
        .put(MAX_FLUSHES_IN_FLIGHT, maxFlushesInFlight)
        .put(MAX_PENDING_ITEMS, maxPendingItems);
  }

  private static void requirePositive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("batch config: " + key + " must be > 0, got " + value);
    }
  }

  private static int readInt(JsonObject json, String key, int dflt) {
    long value = readLong(json, key, dflt);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "batch config: " + key + " is out of range for an int: " + value);
    }
    return (int) value;
  }

  private static long readLong(JsonObject json, String key, long dflt) {
    Object raw = json.getValue(key);
    if (raw == null) {
      return dflt;
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short
        || raw instanceof Byte) {
      return ((Number) raw).longValue();
    }
    if (raw instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 0x1p53) {
      // 1000.0 from a JSON writer that prints every number as a double
      return n.longValue();
    }
    if (raw instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        // reported below with the key name
      }
    }
    throw new IllegalArgumentException(
        "batch config: " + key + " must be an integer, got " + raw);
  }
}

package io.lookout.gateway.envelope;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A Sentry envelope: a header ({@link JsonObject}, every key kept, known or not) and a list of
 * {@link EnvelopeItem}s that later steps may shrink ({@link #retain}, {@link #remove}).
 *
 * <p>Made by {@link EnvelopeParser#parse} or {@link #create}; written by {@link EnvelopeWriter}.
 * The header's {@code event_id} is always held as 32 lower-case hex digits (a hyphenated UUID, as
 * sentry-cli sends, is rewritten), the form Relay writes. Not thread-safe.
 */
public final class Envelope {

  private final JsonObject header;
  private final List<EnvelopeItem> items;

  Envelope(JsonObject header, List<EnvelopeItem> items) {
    this.header = header;
    this.items = items;
  }

  /**
   * An envelope with the given header and no items.
   *
   * @throws IllegalArgumentException if {@code event_id}, {@code dsn} or {@code sent_at} is
   *     invalid (the same check as for a parsed header)
   */
  public static Envelope create(JsonObject header) {
    Objects.requireNonNull(header, "header");
    Headers.checkEnvelopeHeader(header);
    return new Envelope(header, new ArrayList<>());
  }

  /** The envelope header; changes to it are written by {@link EnvelopeWriter}. */
  public JsonObject header() {
    return header;
  }

  /** The event id as 32 lower-case hex digits. */
  public Optional<String> eventId() {
    return Optional.ofNullable(header.getString("event_id"));
  }

  /**
   * Sets the event id (any form {@link EnvelopeParser} accepts; stored as 32 lower-case hex).
   *
   * @throws IllegalArgumentException if it is not a UUID
   */
  public void setEventId(String eventId) {
    String normalized = Headers.normalizeEventId(Objects.requireNonNull(eventId, "eventId"));
    if (normalized == null) {
      throw new IllegalArgumentException("not a UUID: " + Headers.quote(eventId));
    }
    header.put("event_id", normalized);
  }

  /** The {@code dsn} header as sent; the auth step checks it against the request. */
  public Optional<String> dsn() {
    return Optional.ofNullable(header.getString("dsn"));
  }

  /** When the SDK sent the envelope ({@code sent_at}), for clock-drift correction. */
  public Optional<Instant> sentAt() {
    String raw = header.getString("sent_at");
    if (raw == null) {
      return Optional.empty();
    }
    // parsing an RFC 3339 date is costly on the request path: remember the last one (keyed by the
    // very string, so a changed header is parsed again)
    if (raw != sentAtRaw) {
      sentAtRaw = raw;
      sentAtParsed = Optional.ofNullable(Headers.parseTimestamp(raw));
    }
    return sentAtParsed;
  }

  private String sentAtRaw;
  private Optional<Instant> sentAtParsed = Optional.empty();

  /** The {@code sdk} header ({@code name}, {@code version}, ...) if it is an object. */
  public Optional<JsonObject> sdk() {
    return objectHeader("sdk");
  }

  /**
   * The dynamic sampling context ({@code trace} header) if it is an object. Relay never fails an
   * envelope for a bad {@code trace} (its {@code ErrorBoundary}), and neither do we.
   */
  public Optional<JsonObject> trace() {
    return objectHeader("trace");
  }

  /** The items in envelope order (read-only view; change them with {@link #add}, {@link #retain}, {@link #remove}). */
  public List<EnvelopeItem> items() {
    return Collections.unmodifiableList(items);
  }

  public int size() {
    return items.size();
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }

  public Envelope add(EnvelopeItem item) {
    items.add(Objects.requireNonNull(item, "item"));
    return this;
  }

  /**
   * Keeps the items that match, in order, and answers the ones dropped (for their outcomes).
   * Linear in the number of items.
   */
  public List<EnvelopeItem> retain(Predicate<? super EnvelopeItem> keep) {
    List<EnvelopeItem> kept = new ArrayList<>(items.size());
    List<EnvelopeItem> dropped = new ArrayList<>();
    for (EnvelopeItem item : items) {
      (keep.test(item) ? kept : dropped).add(item);
    }
    if (!dropped.isEmpty()) {
      items.clear();
      items.addAll(kept);
    }
    return dropped;
  }

  /** Removes this item (by identity); answers whether it was there. */
  public boolean remove(EnvelopeItem item) {
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) == item) {
        items.remove(i);
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an item needs an event id. Relay gives such a request envelope without
   * {@code event_id} a new one ({@code Envelope::parse_request}); the endpoint does that here.
   */
  public boolean requiresEvent() {
    for (EnvelopeItem item : items) {
      if (item.requiresEvent()) {
        return true;
      }
    }
    return false;
  }

  private Optional<JsonObject> objectHeader(String field) {
    Object value = header.getValue(field);
    return value instanceof JsonObject object ? Optional.of(object) : Optional.empty();
  }

  @Override
  public String toString() {
    return "Envelope{eventId=" + header.getString("event_id") + ", items=" + items + '}';
  }
}

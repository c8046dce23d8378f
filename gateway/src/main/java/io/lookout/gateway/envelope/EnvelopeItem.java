package io.lookout.gateway.envelope;

import io.lookout.storage.kafka.message.DataCategory;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One item of an {@link Envelope}: its header (a {@link JsonObject} that keeps every key, known or
 * not) and its payload. A parsed item's payload is a slice of the request body, not a copy.
 *
 * <p>The accessors read the header as Relay does ({@code relay-server/src/envelope/item.rs}).
 * Header values are checked when the item is made, so an accessor never meets a value of the wrong
 * type unless the header was changed since; then it throws {@link ClassCastException}.
 */
public final class EnvelopeItem {

  private final JsonObject header;
  private final ItemType type;
  private Buffer payload;

  EnvelopeItem(JsonObject header, ItemType type, Buffer payload) {
    this.header = header;
    this.type = type;
    this.payload = payload;
  }

  /**
   * An item with the given header (which must have a string {@code type}; checked like a parsed
   * header) and payload. The header's {@code length} is set to the payload's length.
   *
   * @throws IllegalArgumentException if a header field Relay checks has the wrong type
   */
  public static EnvelopeItem create(JsonObject header, Buffer payload) {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(payload, "payload");
    if (ItemType.INTERNAL_INTEGRATION.equals(header.getValue("type"))) {
      throw new IllegalArgumentException("internal item type `integration`");
    }
    ItemType type = Headers.checkItemHeader(header);
    EnvelopeItem item = new EnvelopeItem(header, type, payload);
    item.setPayload(payload);
    return item;
  }

  /** An item of a known type with only {@code type} and {@code length} in its header. */
  public static EnvelopeItem create(ItemType type, Buffer payload) {
    if (type == ItemType.UNKNOWN) {
      throw new IllegalArgumentException("an UNKNOWN item needs its raw type name: use create(JsonObject, Buffer)");
    }
    return create(new JsonObject().put("type", type.wireName()), payload);
  }

  /** The item header; changes to it are written by {@link EnvelopeWriter}. */
  public JsonObject header() {
    return header;
  }

  public ItemType type() {
    return type;
  }

  /** The raw {@code type} header value, also for {@link ItemType#UNKNOWN} items. */
  public String typeName() {
    return header.getString("type");
  }

  /** The payload: for a parsed item, a slice that shares memory with the request body. */
  public Buffer payload() {
    return payload;
  }

  /** Replaces the payload and sets the {@code length} header to its length. */
  public void setPayload(Buffer payload) {
    this.payload = Objects.requireNonNull(payload, "payload");
    header.put("length", payload.length());
  }

  /** Payload size in bytes. */
  public int payloadLength() {
    return payload.length();
  }

  /** The {@code length} header as sent (a parsed item's payload has exactly that length). */
  public OptionalLong length() {
    return optionalLong("length");
  }

  /**
   * The {@code item_count} header as sent, whatever the type. For counting use
   * {@link #containerCount()}, which follows Relay's rule of when the header counts.
   */
  public OptionalLong itemCount() {
    return optionalLong("item_count");
  }

  /**
   * How many entries the item holds: {@code item_count} for types that can be containers
   * ({@link ItemType#canSupportContainer()}), else 1; 1 when the header is absent (Relay's
   * {@code item_count().unwrap_or(1)}).
   */
  public long containerCount() {
    if (!type.canSupportContainer()) {
      return 1;
    }
    return itemCount().orElse(1);
  }

  /** The {@code attachment_type} header; absent means {@link AttachmentType#ATTACHMENT}. */
  public AttachmentType attachmentType() {
    String name = header.getString("attachment_type");
    return name == null ? AttachmentType.ATTACHMENT : AttachmentType.fromWireName(name);
  }

  /** The raw {@code attachment_type} header value, if present (also for unknown values). */
  public Optional<String> attachmentTypeName() {
    return Optional.ofNullable(header.getString("attachment_type"));
  }

  /** The {@code content_type} header classified; {@link ContentType#NONE} when absent. */
  public ContentType contentType() {
    return ContentType.of(header.getString("content_type"));
  }

  /** The raw {@code content_type} header value, if present. */
  public Optional<String> contentTypeName() {
    return Optional.ofNullable(header.getString("content_type"));
  }

  public Optional<String> filename() {
    return Optional.ofNullable(header.getString("filename"));
  }

  /** The {@code platform} header; Relay uses it to tell UI from backend profiles. */
  public Optional<String> platform() {
    return Optional.ofNullable(header.getString("platform"));
  }

  /** Whether the payload is a container of several entries (logs, v2 spans, trace metrics). */
  public boolean isContainer() {
    return contentType().isContainer();
  }

  /**
   * Whether this item makes an event on its own: event, transaction, security, raw_security,
   * unreal_report, feedback, and attachments that are crash reports or event payloads. Relay's
   * {@code creates_event}; NEL reports and user reports do not (they are not events in Relay).
   */
  public boolean isEventLike() {
    return switch (type) {
      case EVENT, TRANSACTION, SECURITY, RAW_SECURITY, UNREAL_REPORT, FEEDBACK -> true;
      case ATTACHMENT -> attachmentType().createsEvent();
      default -> false;
    };
  }

  /** Whether the item needs the envelope's event id; see {@link ItemType#requiresEvent()}. */
  public boolean requiresEvent() {
    return type.requiresEvent();
  }

  /**
   * The category this item counts toward first, if any: Relay counts nothing for nel,
   * form_data, statsd, metric_buckets, client_report, unknown items, and profile chunks without a
   * {@code platform} header.
   */
  public Optional<DataCategory> dataCategory() {
    List<ItemQuantity> quantities = quantities();
    return quantities.isEmpty() ? Optional.empty() : Optional.of(quantities.get(0).category());
  }

  /** The quantity of {@link #dataCategory()}: 0 when there is none. */
  public long quantity() {
    List<ItemQuantity> quantities = quantities();
    return quantities.isEmpty() ? 0 : quantities.get(0).quantity();
  }

  /**
   * Every category this item counts toward, the main one first, as Relay's
   * {@code Item::quantities}: attachments count bytes (at least 1) and 1 attachment item; logs
   * count items and bytes; containers count {@link #containerCount()}; the rest count 1.
   * Transactions count their spans from the {@code span_count} header only (Relay parses the
   * payload for it later).
   */
  public List<ItemQuantity> quantities() {
    long count = containerCount();
    List<ItemQuantity> out = new ArrayList<>(3);
    switch (type) {
      case EVENT, UNREAL_REPORT -> out.add(new ItemQuantity(DataCategory.ERROR, count));
      case TRANSACTION -> {
        out.add(new ItemQuantity(DataCategory.TRANSACTION, count));
        out.add(new ItemQuantity(DataCategory.TRANSACTION_INDEXED, count));
        if (!Boolean.TRUE.equals(header.getValue("spans_extracted"))) {
          long spans = count + nonNegative(header.getValue("span_count"));
          out.add(new ItemQuantity(DataCategory.SPAN, spans));
          out.add(new ItemQuantity(DataCategory.SPAN_INDEXED, spans));
        }
      }
      case SECURITY, RAW_SECURITY -> out.add(new ItemQuantity(DataCategory.SECURITY, count));
      case ATTACHMENT -> {
        out.add(new ItemQuantity(DataCategory.ATTACHMENT, attachmentBodySize()));
        out.add(new ItemQuantity(DataCategory.ATTACHMENT_ITEM, count));
      }
      case SESSION, SESSIONS -> out.add(new ItemQuantity(DataCategory.SESSION, count));
      case LOG -> {
        out.add(new ItemQuantity(DataCategory.LOG_ITEM, count));
        out.add(new ItemQuantity(DataCategory.LOG_BYTE, Math.max(1, payload.length())));
      }
      case TRACE_METRIC -> out.add(new ItemQuantity(DataCategory.TRACE_METRIC, count));
      case USER_REPORT, FEEDBACK -> out.add(new ItemQuantity(DataCategory.FEEDBACK, count));
      case PROFILE -> {
        out.add(new ItemQuantity(DataCategory.PROFILE, count));
        out.add(new ItemQuantity(DataCategory.PROFILE_INDEXED, count));
        platform().ifPresent(p -> out.add(new ItemQuantity(
            isUiPlatform(p) ? DataCategory.PROFILE_UI : DataCategory.PROFILE_BACKEND, count)));
      }
      case PROFILE_CHUNK -> platform().ifPresent(p -> out.add(new ItemQuantity(
          isUiPlatform(p) ? DataCategory.PROFILE_CHUNK_UI : DataCategory.PROFILE_CHUNK, count)));
      case REPLAY_EVENT, REPLAY_RECORDING, REPLAY_VIDEO -> out.add(new ItemQuantity(DataCategory.REPLAY, count));
      case CHECK_IN -> out.add(new ItemQuantity(DataCategory.MONITOR, count));
      case SPAN -> {
        out.add(new ItemQuantity(DataCategory.SPAN, count));
        out.add(new ItemQuantity(DataCategory.SPAN_INDEXED, count));
      }
      case NEL, FORM_DATA, STATSD, METRIC_BUCKETS, CLIENT_REPORT, UNKNOWN -> {
        // Relay counts none of these.
      }
      default -> throw new IllegalStateException("unhandled item type " + type);
    }
    return out;
  }

  /** Bytes an attachment counts: a trace attachment without its metadata segment; at least 1. */
  private long attachmentBodySize() {
    long size = payload.length();
    if (contentType() == ContentType.TRACE_ATTACHMENT) {
      size -= Math.min(size, nonNegative(header.getValue("meta_length")));
    }
    return Math.max(1, size);
  }

  /** Relay's {@code ProfileType::from_platform}, kept in step with Sentry's profiles task. */
  private static boolean isUiPlatform(String platform) {
    return platform.equals("cocoa") || platform.equals("android") || platform.equals("javascript");
  }

  private static long nonNegative(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return Math.max(0, ((Number) value).longValue());
    }
    return 0;
  }

  private OptionalLong optionalLong(String field) {
    Object value = header.getValue(field);
    return value == null ? OptionalLong.empty() : OptionalLong.of(((Number) value).longValue());
  }

  @Override
  public String toString() {
    return "EnvelopeItem{type=" + typeName() + ", length=" + payload.length() + '}';
  }
}

package io.lookout.gateway.envelope;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code type} of an envelope item, as Relay knows it
 * ({@code ItemType} in {@code relay-server/src/envelope/item.rs}). An unknown type is
 * {@link #UNKNOWN}: the item keeps its raw name ({@link EnvelopeItem#typeName()}), is parsed like
 * any other and dropped later, not rejected.
 *
 * <p>Relay's internal type {@code integration} is not here: an envelope from a client that
 * carries it is invalid (see {@link EnvelopeParser}).
 */
public enum ItemType {
  /** Error or default event (JSON). */
  EVENT("event", false, true),
  /** Transaction event (JSON). */
  TRANSACTION("transaction", false, true),
  /** Security report normalized into an event (JSON). */
  SECURITY("security", false, true),
  /** Raw payload of an attachment; see {@link AttachmentType}. */
  ATTACHMENT("attachment", false, true),
  /** Multipart form data collected into a stream of JSON tuples. */
  FORM_DATA("form_data", false, true),
  /** Security report as the browser sent it (JSON). */
  RAW_SECURITY("raw_security", false, true),
  /** Network Error Logging report as the browser sent it. */
  NEL("nel", false, false),
  /** Raw compressed Unreal Engine 4 crash report. */
  UNREAL_REPORT("unreal_report", false, true),
  /** Legacy user feedback (JSON). */
  USER_REPORT("user_report", false, true),
  /** User feedback as an event (Relay's {@code UserReportV2}). */
  FEEDBACK("feedback", false, true),
  /** One session update. */
  SESSION("session", true, false),
  /** Aggregated sessions. */
  SESSIONS("sessions", true, false),
  /** Metrics in statsd text encoding. */
  STATSD("statsd", true, false),
  /** Pre-aggregated metric buckets (JSON). */
  METRIC_BUCKETS("metric_buckets", true, false),
  /** The SDK's own outcomes (discarded events). */
  CLIENT_REPORT("client_report", true, false),
  /** Transaction profile (JSON). */
  PROFILE("profile", true, true),
  /** Chunk of a continuous profiling session; {@code profile_chunk_ui} is an alias. */
  PROFILE_CHUNK("profile_chunk", true, false),
  /** Replay metadata. */
  REPLAY_EVENT("replay_event", false, true),
  /** Replay recording data. */
  REPLAY_RECORDING("replay_recording", false, false),
  /** Replay video data. */
  REPLAY_VIDEO("replay_video", false, false),
  /** Cron monitor check-in (JSON). */
  CHECK_IN("check_in", true, false),
  /** Logs of the logs product, usually a container ({@code item_count}). */
  LOG("log", true, false),
  /** Trace metrics, usually a container ({@code item_count}). */
  TRACE_METRIC("trace_metric", true, false),
  /** Standalone spans; span v2 containers carry {@code item_count}. */
  SPAN("span", true, false),
  /** A type this version does not know: kept with its raw name, dropped later. */
  UNKNOWN(null, true, false);

  /** Relay's internal item type; never accepted from a client. */
  static final String INTERNAL_INTEGRATION = "integration";

  private static final Map<String, ItemType> BY_NAME = new HashMap<>();

  static {
    for (ItemType type : values()) {
      if (type.wireName != null) {
        BY_NAME.put(type.wireName, type);
      }
    }
    // Android SDK 8.10.0 and 8.11.0 send this name; Relay treats it as an alias.
    BY_NAME.put("profile_chunk_ui", PROFILE_CHUNK);
  }

  private final String wireName;
  private final boolean canSupportContainer;
  private final boolean requiresEvent;

  ItemType(String wireName, boolean canSupportContainer, boolean requiresEvent) {
    this.wireName = wireName;
    this.canSupportContainer = canSupportContainer;
    this.requiresEvent = requiresEvent;
  }

  /** The header value, e.g. {@code check_in}; {@code null} for {@link #UNKNOWN}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Whether an item of this type may hold several entries and so may carry {@code item_count}.
   * Relay ignores {@code item_count} on every other type (an event never counts more than 1).
   */
  public boolean canSupportContainer() {
    return canSupportContainer;
  }

  /**
   * Whether the item belongs to an event and so needs the envelope's {@code event_id} (Relay's
   * {@code requires_event}; Relay assigns a new id to a request envelope without one).
   */
  public boolean requiresEvent() {
    return requiresEvent;
  }

  /** Exact (case-sensitive) match, as in Relay; anything else is {@link #UNKNOWN}. */
  public static ItemType fromWireName(String name) {
    ItemType type = name == null ? null : BY_NAME.get(name);
    return type == null ? UNKNOWN : type;
  }
}

package io.lookout.gateway.envelope;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an item counts toward in rate limits and outcomes, with Relay's numeric code (the
 * {@code category} of an outcome) and Relay's name (the name in {@code X-Sentry-Rate-Limits}).
 *
 * <p>Codes and names as in Relay's {@code relay-base-schema/src/data_category.rs}; the codes are
 * shared with Sentry and Snuba, so they must never be renumbered.
 */
public enum DataCategory {
  DEFAULT(0, "default"),
  ERROR(1, "error"),
  TRANSACTION(2, "transaction"),
  SECURITY(3, "security"),
  /** Quantity is the attachment size in bytes. */
  ATTACHMENT(4, "attachment"),
  SESSION(5, "session"),
  PROFILE(6, "profile"),
  REPLAY(7, "replay"),
  TRANSACTION_PROCESSED(8, "transaction_processed"),
  TRANSACTION_INDEXED(9, "transaction_indexed"),
  MONITOR(10, "monitor"),
  PROFILE_INDEXED(11, "profile_indexed"),
  SPAN(12, "span"),
  MONITOR_SEAT(13, "monitor_seat"),
  /** Relay's {@code UserReportV2}: user feedback, both {@code feedback} and {@code user_report} items. */
  FEEDBACK(14, "feedback"),
  METRIC_BUCKET(15, "metric_bucket"),
  SPAN_INDEXED(16, "span_indexed"),
  PROFILE_DURATION(17, "profile_duration"),
  PROFILE_CHUNK(18, "profile_chunk"),
  METRIC_SECOND(19, "metric_second"),
  /** Relay's {@code DoNotUseReplayVideo}: reserved, replay videos count as {@link #REPLAY}. */
  REPLAY_VIDEO(20, "replay_video"),
  UPTIME(21, "uptime"),
  /** The number of attachments, next to {@link #ATTACHMENT} which counts bytes. */
  ATTACHMENT_ITEM(22, "attachment_item"),
  LOG_ITEM(23, "log_item"),
  LOG_BYTE(24, "log_byte"),
  PROFILE_DURATION_UI(25, "profile_duration_ui"),
  PROFILE_CHUNK_UI(26, "profile_chunk_ui"),
  SEER_AUTOFIX(27, "seer_autofix"),
  SEER_SCANNER(28, "seer_scanner"),
  PREVENT_USER(29, "prevent_user"),
  PREVENT_REVIEW(30, "prevent_review"),
  SIZE_ANALYSIS(31, "size_analysis"),
  INSTALLABLE_BUILD(32, "installable_build"),
  TRACE_METRIC(33, "trace_metric"),
  SEER_USER(34, "seer_user"),
  PROFILE_BACKEND(35, "profile_backend"),
  PROFILE_UI(36, "profile_ui");

  private static final DataCategory[] BY_CODE = new DataCategory[values().length];
  private static final Map<String, DataCategory> BY_NAME = new HashMap<>();

  static {
    for (DataCategory category : values()) {
      BY_CODE[category.code] = category;
      BY_NAME.put(category.relayName, category);
    }
    // Relay accepts the variant's old name too.
    BY_NAME.put("user_report_v2", FEEDBACK);
  }

  private final int code;
  private final String relayName;

  DataCategory(int code, String relayName) {
    this.code = code;
    this.relayName = relayName;
  }

  /** The numeric code, as written to the {@code category} field of an outcome. */
  public int code() {
    return code;
  }

  /** Relay's name, as used in {@code X-Sentry-Rate-Limits} and quota configs. */
  public String relayName() {
    return relayName;
  }

  public static Optional<DataCategory> fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
  }

  public static Optional<DataCategory> fromRelayName(String name) {
    return Optional.ofNullable(BY_NAME.get(name));
  }

  @Override
  public String toString() {
    return relayName;
  }
}

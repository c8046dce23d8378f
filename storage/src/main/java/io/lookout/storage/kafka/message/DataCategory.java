package io.lookout.storage.kafka.message;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The kind of data an outcome or a quota counts, with Relay's numeric codes and API names
 * ({@code DataCategory} in {@code relay-base-schema/src/data_category.rs}, the same list
 * {@code relay-cabi} exports to Sentry's Python). Codes are stable: never renumber, only add.
 * Relay's {@code Unknown} (-1) is not here because it never reaches the wire: an outcome of an
 * unknown category has no {@code category} field.
 */
public enum DataCategory {
  /** Reserved and unused. */
  DEFAULT(0, "default"),
  /** Error events, and events of a type not listed below. */
  ERROR(1, "error"),
  TRANSACTION(2, "transaction"),
  /** CSP, HPKP, Expect-CT and Expect-Staple reports. */
  SECURITY(3, "security"),
  /** Attachment bytes: the quantity is the size in bytes. */
  ATTACHMENT(4, "attachment"),
  /** Session updates: the quantity is the number of updates. */
  SESSION(5, "session"),
  PROFILE(6, "profile"),
  REPLAY(7, "replay"),
  /** Deprecated by Relay. */
  TRANSACTION_PROCESSED(8, "transaction_processed"),
  TRANSACTION_INDEXED(9, "transaction_indexed"),
  /** Cron check-ins. */
  MONITOR(10, "monitor"),
  PROFILE_INDEXED(11, "profile_indexed"),
  SPAN(12, "span"),
  MONITOR_SEAT(13, "monitor_seat"),
  /** User feedback ({@code UserReportV2} in Relay, which also accepts the name {@code user_report_v2}). */
  FEEDBACK(14, "feedback"),
  METRIC_BUCKET(15, "metric_bucket"),
  SPAN_INDEXED(16, "span_indexed"),
  PROFILE_DURATION(17, "profile_duration"),
  PROFILE_CHUNK(18, "profile_chunk"),
  METRIC_SECOND(19, "metric_second"),
  /** {@code DoNotUseReplayVideo} in Relay. */
  REPLAY_VIDEO(20, "replay_video"),
  UPTIME(21, "uptime"),
  /** Attachment count, as opposed to {@link #ATTACHMENT} bytes. */
  ATTACHMENT_ITEM(22, "attachment_item"),
  /** Log count. */
  LOG_ITEM(23, "log_item"),
  /** Log bytes. */
  LOG_BYTE(24, "log_byte"),
  PROFILE_DURATION_UI(25, "profile_duration_ui"),
  PROFILE_CHUNK_UI(26, "profile_chunk_ui"),
  SEER_AUTOFIX(27, "seer_autofix"),
  SEER_SCANNER(28, "seer_scanner"),
  /** Deprecated by Relay in favour of {@link #SEER_USER}. */
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
      BY_NAME.put(category.apiName, category);
    }
    BY_NAME.put("user_report_v2", FEEDBACK);
  }

  private final int code;
  private final String apiName;

  DataCategory(int code, String apiName) {
    this.code = code;
    this.apiName = apiName;
  }

  /** The number on the wire. */
  public int code() {
    return code;
  }

  /** Relay's API name, used in {@code X-Sentry-Rate-Limits} and quota configs. */
  public String apiName() {
    return apiName;
  }

  public static Optional<DataCategory> fromCode(int code) {
    return code >= 0 && code < BY_CODE.length ? Optional.of(BY_CODE[code]) : Optional.empty();
  }

  /** The category with this API name (or alias); empty for a name Relay would call unknown. */
  public static Optional<DataCategory> fromApiName(String name) {
    return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
  }
}

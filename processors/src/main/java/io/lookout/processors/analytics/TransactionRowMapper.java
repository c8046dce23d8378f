package io.lookout.processors.analytics;

import static io.lookout.processors.analytics.EventFields.object;
import static io.lookout.processors.analytics.EventFields.text;
import static io.lookout.processors.analytics.EventFields.textOr;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A transaction insert from {@code transactions} as a row of ClickHouse {@code transactions}, the way
 * Snuba's {@code TransactionsMessageProcessor} builds it: trace and span ids, op and status from the
 * {@code trace} context, start and finish to the millisecond, duration in ms, promoted tags,
 * measurements. Contexts are stored without the trace and span ids (they have their own columns).
 * Anything but a transaction with a trace context is skipped, as Snuba does.
 */
public final class TransactionRowMapper implements RowMapper {

  public static final String TABLE = "transactions";
  /** What {@link #map} reads of the event's data. */
  private static final Set<String> DATA_KEYS = Set.of(
      "contexts", "dist", "environment", "measurements", "platform", "received", "release", "request", "sdk",
      "start_timestamp", "tags", "timestamp", "transaction", "type", "user");

  /** The Enum8 of {@code transaction_status}: Sentry's span status names. */
  static final Set<String> STATUSES = Set.of("ok", "cancelled", "unknown", "invalid_argument",
      "deadline_exceeded", "not_found", "already_exists", "permission_denied", "resource_exhausted",
      "failed_precondition", "aborted", "out_of_range", "unimplemented", "internal_error", "unavailable",
      "data_loss", "unauthenticated");

  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");
  private static final long MAX_UINT32 = 0xFFFF_FFFFL;

  private final int defaultRetentionDays;
  private final boolean discardOldEvents;

  public TransactionRowMapper(int defaultRetentionDays, boolean discardOldEvents) {
    this.defaultRetentionDays = defaultRetentionDays;
    this.discardOldEvents = discardOldEvents;
  }

  @Override
  public String table() {
    return TABLE;
  }

  @Override
  public Set<String> dataKeys() {
    return DATA_KEYS;
  }

  @Override
  public Result map(EventStreamInsert insert, Instant now) {
    EventStreamInsert.Event event = insert.event();
    JsonObject data = event.data();
    JsonObject contexts = object(data, "contexts");
    JsonObject trace = object(contexts, "trace");
    if (!"transaction".equals(data.getValue("type")) || trace == null || trace.isEmpty()) {
      return Result.skipped(Skip.OTHER_TYPE);
    }
    String what = "transaction " + event.eventId();
    String traceId = EventFields.uuidOrNull(trace.getValue("trace_id"));
    if (traceId == null) {
      throw new IllegalArgumentException(what + ": contexts.trace.trace_id is not 32 hex digits");
    }
    String spanId = text(trace.getValue("span_id"));
    if (spanId == null || !SPAN_ID.matcher(spanId).matches()) {
      throw new IllegalArgumentException(what + ": contexts.trace.span_id is not 16 hex digits");
    }
    Double start = EventFields.seconds(data.getValue("start_timestamp"));
    Double finish = EventFields.seconds(data.getValue("timestamp"));
    if (start == null || finish == null) {
      throw new IllegalArgumentException(what + ": start_timestamp and timestamp must be numbers");
    }
    Instant startTs = ErrorRowMapper.validDate(instant(start), now);
    Instant finishTs = ErrorRowMapper.validDate(instant(finish), now);
    int retention = RowMapper.retentionDays(event.retentionDays(), defaultRetentionDays);
    if (discardOldEvents && RowMapper.tooOld(finishTs, retention, now)) {
      return Result.skipped(Skip.TOO_OLD);
    }
    long durationMs = Math.max(0, java.time.Duration.between(startTs, finishTs).toMillis());
    String status = text(trace.getValue("status"));
    status = status == null ? "unknown" : status.toLowerCase(Locale.ROOT);
    Map<String, Object> tags = EventFields.tags(data);
    JsonObject user = object(data, "user");
    Long received = EventFields.uint32(data.getValue("received") instanceof Number n ? n.longValue() : null);

    JsonObject row = new JsonObject()
        .put("project_id", event.projectId())
        .put("event_id", ClickHouseWriter.uuid(event.eventId()))
        .put("trace_id", traceId)
        .put("span_id", spanId.toLowerCase(Locale.ROOT))
        .put("transaction_name", textOr(data.getValue("transaction"), ""))
        .put("transaction_op", textOr(trace.getValue("op"), ""))
        .put("transaction_status", STATUSES.contains(status) ? status : "unknown")
        .put("start_ts", ClickHouseWriter.dateTime(startTs))
        .put("start_ms", startTs.getNano() / 1_000_000)
        .put("finish_ts", ClickHouseWriter.dateTime(finishTs))
        .put("finish_ms", finishTs.getNano() / 1_000_000)
        .put("duration", Math.min(durationMs, MAX_UINT32))
        .put("platform", textOr(event.platform() != null ? event.platform() : data.getValue("platform"), ""))
        .put("environment", EventFields.nonEmpty(tags.containsKey("environment")
            ? tags.get("environment") : data.getValue("environment")))
        .put("release", text(tags.containsKey("sentry:release") ? tags.get("sentry:release") : data.getValue("release")))
        .put("dist", text(tags.containsKey("sentry:dist") ? tags.get("sentry:dist") : data.getValue("dist")))
        .put("user", textOr(tags.get("sentry:user"), ""));
    EventFields.putUser(row, user);
    EventFields.putSdk(row, data);
    EventFields.putHttp(row, object(data, "request"), false);
    EventFields.putTags(row, tags);
    // the ids have their own columns; the trace's data is large and not searched
    EventFields.putContexts(row, contexts, user, List.of("trace.trace_id", "trace.span_id", "trace.data"));
    putMeasurements(row, object(data, "measurements"));
    row.put("received", received != null ? received : ClickHouseWriter.dateTime(finishTs))
        .put("retention_days", retention)
        .put("deleted", 0);
    return Result.of(row);
  }

  /** Snuba's measurements: {@code {name: {"value": n}}}, sorted by name, numbers only. */
  private static void putMeasurements(JsonObject row, JsonObject measurements) {
    JsonArray keys = new JsonArray();
    JsonArray values = new JsonArray();
    if (measurements != null) {
      Map<String, Object> sorted = new TreeMap<>(measurements.getMap());
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        Object value = e.getValue() instanceof JsonObject m ? m.getValue("value")
            : e.getValue() instanceof Map<?, ?> m ? m.get("value") : null;
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
          keys.add(e.getKey());
          values.add(n.doubleValue());
        }
      }
    }
    row.put("measurements.key", keys).put("measurements.value", values);
  }

  private static Instant instant(double seconds) {
    long whole = (long) Math.floor(seconds);
    long micros = Math.round((seconds - whole) * 1_000_000);
    return Instant.ofEpochSecond(whole, micros * 1000);
  }
}

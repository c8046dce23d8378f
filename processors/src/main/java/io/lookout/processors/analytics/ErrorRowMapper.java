package io.lookout.processors.analytics;

import static io.lookout.processors.analytics.EventFields.array;
import static io.lookout.processors.analytics.EventFields.nonEmpty;
import static io.lookout.processors.analytics.EventFields.object;
import static io.lookout.processors.analytics.EventFields.text;
import static io.lookout.processors.analytics.EventFields.textOr;

import io.lookout.storage.clickhouse.ClickHouseWriter;
import io.lookout.storage.kafka.message.EventStreamInsert;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An error insert from {@code events} as a row of ClickHouse {@code errors}, the way Snuba's
 * {@code ErrorsProcessor} builds it: promoted columns from the event and its tags
 * ({@code sentry:release}, {@code sentry:dist}, {@code sentry:user}, {@code transaction}), every tag
 * and every scalar context field as key/value arrays, and the exception chain flattened into
 * {@code exception_stacks} (one entry per exception) and {@code exception_frames} (every frame, with
 * the index of its exception as {@code stack_level}). Transactions are skipped.
 */
public final class ErrorRowMapper implements RowMapper {

  public static final String TABLE = "errors";
  /** What {@link #map} reads of the event's data. */
  private static final Set<String> DATA_KEYS = Set.of(
      "contexts", "culprit", "dist", "environment", "exception", "level", "platform", "received", "release",
      "request", "sdk", "tags", "title", "type", "user");

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{32}");

  private final int defaultRetentionDays;
  private final boolean discardOldEvents;

  public ErrorRowMapper(int defaultRetentionDays, boolean discardOldEvents) {
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
    if ("transaction".equals(data.getValue("type"))) {
      return Result.skipped(Skip.OTHER_TYPE);
    }
    if (event.primaryHash() == null) {
      throw new IllegalArgumentException("event " + event.eventId() + " has no primary_hash");
    }
    Instant timestamp = validDate(event.datetime(), now);
    int retention = RowMapper.retentionDays(event.retentionDays(), defaultRetentionDays);
    if (discardOldEvents && RowMapper.tooOld(timestamp, retention, now)) {
      return Result.skipped(Skip.TOO_OLD);
    }
    Map<String, Object> tags = EventFields.tags(data);
    JsonObject user = object(data, "user");
    JsonObject contexts = object(data, "contexts");
    JsonObject trace = object(contexts, "trace");
    Long received = EventFields.uint32(data.getValue("received") instanceof Number n ? n.longValue() : null);

    JsonObject row = new JsonObject()
        .put("project_id", event.projectId())
        .put("timestamp", ClickHouseWriter.dateTime(timestamp))
        .put("event_id", ClickHouseWriter.uuid(event.eventId()))
        .put("group_id", event.groupId() == null ? 0L : event.groupId())
        .put("primary_hash", hashify(event.primaryHash()))
        .put("platform", textOr(event.platform() != null ? event.platform() : data.getValue("platform"), ""))
        .put("environment", nonEmpty(data.getValue("environment") != null
            ? data.getValue("environment") : tags.get("environment")))
        .put("release", text(tags.containsKey("sentry:release") ? tags.get("sentry:release") : data.getValue("release")))
        .put("dist", text(tags.containsKey("sentry:dist") ? tags.get("sentry:dist") : data.getValue("dist")))
        .put("level", textOr(data.getValue("level") != null ? data.getValue("level") : tags.get("level"), "error"))
        .put("title", textOr(data.getValue("title"), ""))
        .put("message", textOr(event.message(), ""))
        .put("culprit", textOr(data.getValue("culprit"), ""))
        .put("type", textOr(data.getValue("type"), ""))
        .put("transaction_name", textOr(tags.get("transaction"), ""))
        .put("trace_id", trace == null ? null : EventFields.uuidOrNull(trace.getValue("trace_id")))
        .put("user", textOr(tags.get("sentry:user"), ""));
    EventFields.putUser(row, user);
    EventFields.putSdk(row, data);
    EventFields.putHttp(row, object(data, "request"), true);
    EventFields.putTags(row, tags);
    EventFields.putContexts(row, contexts, user, List.of());
    putExceptions(row, data);
    row.put("received", received != null ? received : ClickHouseWriter.dateTime(timestamp))
        .put("retention_days", retention)
        .put("deleted", 0);
    return Result.of(row);
  }

  /** Snuba's {@code extract_stacktraces}, without the columns the table does not have. */
  private static void putExceptions(JsonObject row, JsonObject data) {
    JsonArray types = new JsonArray();
    JsonArray values = new JsonArray();
    JsonArray mechanismTypes = new JsonArray();
    JsonArray mechanismHandled = new JsonArray();
    JsonArray absPaths = new JsonArray();
    JsonArray filenames = new JsonArray();
    JsonArray packages = new JsonArray();
    JsonArray modules = new JsonArray();
    JsonArray functions = new JsonArray();
    JsonArray linenos = new JsonArray();
    JsonArray inApp = new JsonArray();
    JsonArray stackLevels = new JsonArray();
    JsonArray stacks = array(object(data, "exception"), "values");
    int level = 0;
    if (stacks != null) {
      for (Object item : stacks) {
        if (!(item instanceof JsonObject stack)) {
          continue;
        }
        types.add(text(stack.getValue("type")));
        values.add(text(stack.getValue("value")));
        JsonObject mechanism = object(stack, "mechanism");
        mechanismTypes.add(mechanism == null ? null : text(mechanism.getValue("type")));
        mechanismHandled.add(mechanism == null ? null : EventFields.bit(mechanism.getValue("handled")));
        JsonArray frames = array(object(stack, "stacktrace"), "frames");
        if (frames != null) {
          for (Object f : frames) {
            if (!(f instanceof JsonObject frame)) {
              continue;
            }
            absPaths.add(text(frame.getValue("abs_path")));
            filenames.add(text(frame.getValue("filename")));
            packages.add(text(frame.getValue("package")));
            modules.add(text(frame.getValue("module")));
            functions.add(text(frame.getValue("function")));
            linenos.add(EventFields.uint32(frame.getValue("lineno")));
            inApp.add(EventFields.bit(frame.getValue("in_app")));
            stackLevels.add(Math.min(level, 65_535));
          }
        }
        level++;
      }
    }
    row.put("exception_stacks.type", types)
        .put("exception_stacks.value", values)
        .put("exception_stacks.mechanism_type", mechanismTypes)
        .put("exception_stacks.mechanism_handled", mechanismHandled)
        .put("exception_frames.abs_path", absPaths)
        .put("exception_frames.filename", filenames)
        .put("exception_frames.package", packages)
        .put("exception_frames.module", modules)
        .put("exception_frames.function", functions)
        .put("exception_frames.lineno", linenos)
        .put("exception_frames.in_app", inApp)
        .put("exception_frames.stack_level", stackLevels);
  }

  /** Snuba's {@code _hashify}: a 32-hex hash as it is, anything else as its MD5. */
  static String hashify(String hash) {
    String lower = hash.toLowerCase(Locale.ROOT);
    if (HASH.matcher(lower).matches()) {
      return lower;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(hash.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is always available", e);
    }
  }

  /** Snuba's {@code _ensure_valid_date}: a time DateTime cannot hold becomes now. */
  static Instant validDate(Instant timestamp, Instant now) {
    long s = timestamp.getEpochSecond();
    return s < 0 || s > 0xFFFF_FFFFL ? now : timestamp;
  }
}

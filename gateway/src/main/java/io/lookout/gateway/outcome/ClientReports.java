package io.lookout.gateway.outcome;

import io.lookout.gateway.project.Scoping;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.storage.kafka.message.DataCategory;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code client_report} items into outcomes, as Relay's {@code process_client_reports}
 * ({@code relay-server/src/processing/client_reports/process.rs}) does.
 *
 * <p>A report is {@code {"timestamp": ..., "discarded_events": [...], "rate_limited_events":
 * [...], "filtered_events": [...], "filtered_sampling_events": [...]}}, each entry
 * {@code {"reason", "category", "quantity"}}:
 * <ul>
 *   <li>{@code discarded_events} become {@code client_discard} with the SDK's reason;
 *   <li>{@code filtered_events} become {@code filtered} with the reason as the filter name;
 *   <li>{@code filtered_sampling_events} become {@code filtered} with reason
 *       {@code Sampled:<rule categories>}, only for reasons of the form {@code Sampled:<ids>};
 *   <li>{@code rate_limited_events} become {@code rate_limited} (an empty reason means none).
 * </ul>
 * Entries are summed per (kind, reason, category) across all reports of the envelope; entries
 * whose reason is longer than 200 bytes are ignored; a report that does not parse is skipped
 * whole (serde's all-or-nothing). The outcomes carry the first report's {@code timestamp} (or the
 * receive time), corrected by the envelope's clock drift when that is at least 55 minutes, and
 * none are emitted when that time is older than the project's retention or more than 60 s in the
 * future. Client outcomes carry no event id and no client address (Relay leaves them out for
 * better aggregation). An unknown category name gives an outcome without a category.
 */
public final class ClientReports {

  /** Relay's {@code MINIMUM_CLOCK_DRIFT}. */
  static final Duration MINIMUM_CLOCK_DRIFT = Duration.ofMinutes(55);

  /** Relay's {@code max_secs_in_future} default. */
  static final Duration MAX_IN_FUTURE = Duration.ofSeconds(60);

  private static final Logger LOG = LoggerFactory.getLogger(ClientReports.class);
  private static final int MAX_REASON_BYTES = 200;
  private static final long U32_MAX = 0xFFFF_FFFFL;
  private static final String SAMPLED_PREFIX = "Sampled:";

  /** The report fields in Relay's {@code ClientReportField} order (which orders the output). */
  private enum Field {
    FILTERED("filtered_events"),
    FILTERED_SAMPLING("filtered_sampling_events"),
    RATE_LIMITED("rate_limited_events"),
    CLIENT_DISCARD("discarded_events");

    final String key;

    Field(String key) {
      this.key = key;
    }
  }

  private record Key(Field field, String reason, DataCategory category) {
  }

  private static final Comparator<Key> ORDER = Comparator.comparing(Key::field)
      .thenComparing(Key::reason)
      .thenComparingInt(k -> k.category() == null ? -1 : k.category().code());

  private ClientReports() {
  }

  /**
   * The outcomes of the {@code client_report} items among {@code items} (other items are
   * ignored).
   *
   * @param received when the request was received
   * @param sentAt the envelope's {@code sent_at}, or null
   * @param retentionDays the project's event retention: older reports are dropped
   */
  public static List<Outcome> toOutcomes(List<EnvelopeItem> items, Scoping scoping,
      Instant received, Instant sentAt, int retentionDays) {
    Map<Key, Long> sums = new TreeMap<>(ORDER);
    Instant timestamp = null;
    for (EnvelopeItem item : items) {
      if (item.type() != ItemType.CLIENT_REPORT) {
        continue;
      }
      Report report = parse(item.payload());
      if (report == null) {
        continue;
      }
      for (Map.Entry<Key, Long> e : report.sums.entrySet()) {
        sums.merge(e.getKey(), e.getValue(), (a, b) -> Math.min(U32_MAX, a + b));
      }
      if (timestamp == null) {
        timestamp = report.timestamp;
      }
    }
    if (sums.isEmpty()) {
      return List.of();
    }
    if (timestamp == null) {
      timestamp = Instant.ofEpochSecond(received.getEpochSecond());
    }
    if (sentAt != null) {
      Duration drift = Duration.between(sentAt, received);
      if (drift.abs().compareTo(MINIMUM_CLOCK_DRIFT) >= 0) {
        timestamp = timestamp.plusSeconds(drift.getSeconds());
      }
    }
    if (Duration.between(timestamp, received).compareTo(Duration.ofDays(retentionDays)) > 0) {
      LOG.trace("skipping client outcomes older than {} days", retentionDays);
      return List.of();
    }
    if (Duration.between(received, timestamp).compareTo(MAX_IN_FUTURE) > 0) {
      LOG.trace("skipping client outcomes more than {}s in the future", MAX_IN_FUTURE.getSeconds());
      return List.of();
    }
    List<Outcome> out = new ArrayList<>(sums.size());
    for (Map.Entry<Key, Long> e : sums.entrySet()) {
      Key key = e.getKey();
      OutcomeType type;
      String reason = key.reason();
      switch (key.field()) {
        case CLIENT_DISCARD -> type = OutcomeType.CLIENT_DISCARD;
        case FILTERED -> type = OutcomeType.FILTERED;
        case FILTERED_SAMPLING -> {
          type = OutcomeType.FILTERED;
          reason = samplingReason(reason);
          if (reason == null) {
            LOG.trace("invalid outcome combination: filtered_sampling_events {}", key.reason());
            continue;
          }
        }
        case RATE_LIMITED -> {
          type = OutcomeType.RATE_LIMITED;
          reason = reason.isEmpty() ? null : reason;
        }
        default -> throw new IllegalStateException("unhandled field " + key.field());
      }
      out.add(new Outcome(timestamp, scoping.outcomeOrgId(), scoping.projectId(), scoping.keyId(),
          type.code(), reason, null, null, null,
          key.category() == null ? null : key.category().code(), e.getValue()));
    }
    return out;
  }

  private record Report(Instant timestamp, Map<Key, Long> sums) {
  }

  /** The report in {@code payload}, or null if it is not one (Relay skips it with a trace log). */
  private static Report parse(Buffer payload) {
    JsonObject json;
    try {
      Object value = Json.decodeValue(payload);
      if (!(value instanceof JsonObject object)) {
        LOG.trace("invalid client report received: not an object");
        return null;
      }
      json = object;
    } catch (DecodeException e) {
      LOG.trace("invalid client report received", e);
      return null;
    }
    Instant timestamp;
    try {
      timestamp = timestamp(json.getValue("timestamp"));
    } catch (IllegalArgumentException e) {
      LOG.trace("invalid client report received: {}", e.getMessage());
      return null;
    }
    Map<Key, Long> sums = new TreeMap<>(ORDER);
    for (Field field : Field.values()) {
      Object raw = json.getValue(field.key);
      if (raw == null) {
        continue;
      }
      if (!(raw instanceof JsonArray entries)) {
        LOG.trace("invalid client report received: {} is not a list", field.key);
        return null;
      }
      for (Object entry : entries) {
        long quantity;
        if (!(entry instanceof JsonObject e)
            || !(e.getValue("reason") instanceof String reason)
            || !(e.getValue("category") instanceof String category)
            || (quantity = u32(e.getValue("quantity"))) < 0) {
          LOG.trace("invalid client report received: bad entry in {}", field.key);
          return null;
        }
        if (reason.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
          LOG.trace("ignored client outcome with an overlong reason");
          continue;
        }
        Key key = new Key(field, reason, DataCategory.fromApiName(category).orElse(null));
        sums.merge(key, quantity, (a, b) -> Math.min(U32_MAX, a + b));
      }
    }
    return new Report(timestamp, sums);
  }

  /** Relay's {@code UnixTimestamp}: seconds as an integer or float, or an RFC 3339 string. */
  private static Instant timestamp(Object raw) {
    if (raw == null) {
      return null;
    }
    if (raw instanceof Number n) {
      double secs = n.doubleValue();
      if (!(secs >= 0) || Double.isInfinite(secs)) {
        throw new IllegalArgumentException("timestamp out of range: " + raw);
      }
      return Instant.ofEpochSecond(n instanceof Double || n instanceof Float ? (long) secs
          : n.longValue());
    }
    if (raw instanceof String s) {
      try {
        return Instant.ofEpochSecond(OffsetDateTime.parse(s).toEpochSecond());
      } catch (DateTimeParseException e) {
        try {
          return Instant.ofEpochSecond(Instant.parse(s).getEpochSecond());
        } catch (DateTimeParseException e2) {
          throw new IllegalArgumentException("timestamp is not RFC 3339: " + s, e2);
        }
      }
    }
    throw new IllegalArgumentException("timestamp has the wrong type");
  }

  /** An unsigned 32-bit integer, or -1 if {@code raw} is not one. */
  private static long u32(Object raw) {
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short
        || raw instanceof Byte) {
      long v = ((Number) raw).longValue();
      return v >= 0 && v <= U32_MAX ? v : -1;
    }
    return -1;
  }

  /**
   * {@code Sampled:<rule ids>} becomes {@code Sampled:<rule categories>} (Relay's
   * {@code RuleCategories}: a sorted set, comma-separated); null if the reason is not of that form.
   */
  static String samplingReason(String reason) {
    if (!reason.startsWith(SAMPLED_PREFIX)) {
      return null;
    }
    TreeSet<RuleCategory> categories = new TreeSet<>();
    for (String id : reason.substring(SAMPLED_PREFIX.length()).split(",", -1)) {
      long value;
      try {
        value = Long.parseLong(id);
      } catch (NumberFormatException e) {
        return null;
      }
      if (value < 0 || value > U32_MAX || id.startsWith("+")) {
        return null;
      }
      categories.add(RuleCategory.of(value));
    }
    StringBuilder out = new StringBuilder(SAMPLED_PREFIX);
    for (RuleCategory category : categories) {
      if (out.length() > SAMPLED_PREFIX.length()) {
        out.append(',');
      }
      out.append(category.code);
    }
    return out.toString();
  }

  /** Relay's {@code RuleCategory}, in its declaration order (which orders the set). */
  private enum RuleCategory {
    BOOST_LOW_VOLUME_PROJECTS("1000"),
    BOOST_ENVIRONMENTS("1001"),
    IGNORE_HEALTH_CHECKS("1002"),
    BOOST_KEY_TRANSACTIONS("1003"),
    RECALIBRATION("1004"),
    BOOST_REPLAY_ID("1005"),
    BOOST_LOW_VOLUME_TRANSACTIONS("1400"),
    BOOST_LATEST_RELEASES("1500"),
    CUSTOM("3000"),
    OTHER("0");

    final String code;

    RuleCategory(String code) {
      this.code = code;
    }

    static RuleCategory of(long ruleId) {
      if (ruleId == 1000) {
        return BOOST_LOW_VOLUME_PROJECTS;
      } else if (ruleId == 1001) {
        return BOOST_ENVIRONMENTS;
      } else if (ruleId == 1002) {
        return IGNORE_HEALTH_CHECKS;
      } else if (ruleId == 1003) {
        return BOOST_KEY_TRANSACTIONS;
      } else if (ruleId == 1004) {
        return RECALIBRATION;
      } else if (ruleId == 1005) {
        return BOOST_REPLAY_ID;
      } else if (ruleId >= 1400 && ruleId <= 1499) {
        return BOOST_LOW_VOLUME_TRANSACTIONS;
      } else if (ruleId >= 1500 && ruleId <= 1599) {
        return BOOST_LATEST_RELEASES;
      } else if (ruleId >= 3000 && ruleId <= 4999) {
        return CUSTOM;
      }
      return OTHER;
    }
  }
}

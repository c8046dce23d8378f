package io.lookout.gateway.produce;

import io.lookout.gateway.envelope.FastTimestamps;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Logs and trace metrics as the {@code sentry_protos.snuba.v1.TraceItem} protobuf Relay writes to
 * {@code snuba-items} ({@code relay-server/src/processing/logs/store.rs},
 * {@code processing/trace_metrics/store.rs}; schema {@code sentry_protos/snuba/v1/trace_item.proto}).
 *
 * <p>The encoder is hand-written (the schema is small and stable, and it spares the gateway a
 * protobuf runtime): proto3 rules, so scalar fields holding their default value are left out,
 * {@code oneof} members and message fields are always written, map entries are
 * {@code {1: key, 2: value}} messages.
 */
final class TraceItems {

  /** {@code TRACE_ITEM_TYPE_LOG}. */
  static final int TYPE_LOG = 3;
  /** {@code TRACE_ITEM_TYPE_METRIC}. */
  static final int TYPE_METRIC = 8;

  private TraceItems() {
  }

  /**
   * The fields of a {@code TraceItem}.
   *
   * @param attributes values are {@link String}, {@link Boolean}, {@link Long}, {@link Double} or a
   *     {@link List} of those
   */
  record TraceItem(
      long organizationId,
      long projectId,
      String traceId,
      byte[] itemId,
      int itemType,
      Instant timestamp,
      Map<String, Object> attributes,
      double clientSampleRate,
      double serverSampleRate,
      int retentionDays,
      Instant received,
      int downsampledRetentionDays) {
  }

  /** A log of the logs product as a trace item; null if a required field is missing or bad. */
  static TraceItem fromLog(JsonObject log, ProduceScope scope, long payloadSizeBytes) {
    Instant timestamp = timestamp(log.getValue("timestamp"));
    String traceId = traceId(log.getValue("trace_id"));
    Object level = log.getValue("level");
    Object body = log.getValue("body");
    if (timestamp == null || traceId == null || !(level instanceof String)
        || !(body instanceof String)) {
      return null;
    }
    Map<String, Object> attributes = attributes(log.getValue("attributes"));
    // Set after the SDK's attributes: these always come from the log itself.
    attributes.put("sentry.severity_text", level);
    attributes.put("sentry.timestamp_precise", nanos(timestamp));
    attributes.put("sentry.body", body);
    String spanId = spanId(log.getValue("span_id"));
    if (spanId != null) {
      attributes.put("sentry.span_id", spanId);
    }
    attributes.put("sentry.payload_size_bytes", payloadSizeBytes);
    return item(TYPE_LOG, scope, traceId, timestamp, attributes, 1.0);
  }

  /** A trace metric as a trace item; null if a required field is missing or bad. */
  static TraceItem fromMetric(JsonObject metric, ProduceScope scope) {
    Instant timestamp = timestamp(metric.getValue("timestamp"));
    String traceId = traceId(metric.getValue("trace_id"));
    Object name = metric.getValue("name");
    Object type = metric.getValue("type");
    Object value = metric.getValue("value");
    if (timestamp == null || traceId == null || !(name instanceof String)
        || !(type instanceof String) || !(value instanceof Number number)
        || value instanceof BigDecimal) {
      return null;
    }
    Map<String, Object> attributes = attributes(metric.getValue("attributes"));
    double clientSampleRate = 1.0;
    if (attributes.get("sentry.client_sample_rate") instanceof Number rate
        && rate.doubleValue() > 0 && rate.doubleValue() <= 1) {
      clientSampleRate = rate.doubleValue();
    }
    attributes.put("sentry.metric_name", name);
    attributes.put("sentry.metric_type", type);
    // Relay's workaround for co-occurring attribute limits in queries.
    attributes.put("sentry._internal.cooccuring.name." + name, true);
    attributes.put("sentry._internal.cooccuring.type." + type, true);
    attributes.put("sentry.value", number.doubleValue());
    attributes.put("sentry.timestamp_precise", nanos(timestamp));
    String spanId = spanId(metric.getValue("span_id"));
    if (spanId != null) {
      attributes.put("sentry.span_id", spanId);
    }
    return item(TYPE_METRIC, scope, traceId, timestamp, attributes, clientSampleRate);
  }

  private static TraceItem item(int type, ProduceScope scope, String traceId, Instant timestamp,
      Map<String, Object> attributes, double clientSampleRate) {
    return new TraceItem(scope.scoping().organizationId(), scope.scoping().projectId(), traceId,
        Uuids.v7(timestamp), type, timestamp, attributes, clientSampleRate, 1.0,
        scope.retentionDays(), scope.receivedAt(), scope.downsampledRetentionDays());
  }

  /**
   * The SDK's {@code attributes} ({@code {"name": {"type": ..., "value": ...}}}) as trace item
   * values, in order. An attribute whose value is null, an object, or does not match its declared
   * type, or whose type is unknown, is left out (Relay's normalization removes it and records why
   * in {@code _meta}, which is not carried here).
   */
  static Map<String, Object> attributes(Object raw) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!(raw instanceof JsonObject attrs)) {
      return out;
    }
    for (Map.Entry<String, Object> e : attrs) {
      if (!(e.getValue() instanceof JsonObject attr)) {
        continue;
      }
      Object value = scalarOrArray(attr.getValue("value"));
      if (value != null && matches(attr.getValue("type"), value)) {
        out.put(e.getKey(), value);
      }
    }
    return out;
  }

  private static boolean matches(Object type, Object value) {
    if (!(type instanceof String t)) {
      return false;
    }
    return switch (t) {
      case "string" -> value instanceof String;
      case "boolean" -> value instanceof Boolean;
      case "integer" -> value instanceof Long;
      case "double" -> value instanceof Long || value instanceof Double;
      case "array" -> value instanceof List;
      default -> false;
    };
  }

  /** JSON scalar as String/Boolean/Long/Double, an array of scalars as a List; else null. */
  private static Object scalarOrArray(Object v) {
    if (v instanceof JsonArray array) {
      List<Object> values = new ArrayList<>(array.size());
      for (Object element : array) {
        Object scalar = scalar(element);
        if (scalar != null) {
          values.add(scalar);
        }
      }
      return values;
    }
    return scalar(v);
  }

  private static Object scalar(Object v) {
    if (v instanceof String || v instanceof Boolean) {
      return v;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger big) {
      // a u64 above i64: Relay drops it (i64::try_from fails)
      return big.bitLength() < 64 ? big.longValue() : null;
    }
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      return ((Number) v).doubleValue();
    }
    return null;
  }

  /** Relay's {@code Timestamp}: unix seconds (float, microsecond precision) or RFC 3339. */
  static Instant timestamp(Object raw) {
    if (raw instanceof Number n && !(raw instanceof BigInteger)) {
      double secs = n.doubleValue();
      if (!Double.isFinite(secs)) {
        return null;
      }
      long whole = (long) Math.floor(secs);
      long micros = (long) ((secs - whole) * 1_000_000d);
      return Instant.ofEpochSecond(whole, micros * 1_000L);
    }
    if (raw instanceof String s) {
      Instant fast = FastTimestamps.parse(s, false);
      if (fast != null) {
        return fast;
      }
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    return null;
  }

  /** 32 lower-case hex digits, from a trace id in any UUID form; null if it is not one. */
  static String traceId(Object raw) {
    UUID uuid = raw instanceof String s ? Uuids.parse(s) : null;
    return uuid == null ? null : Uuids.simple(uuid);
  }

  /** 16 lower-case hex digits; null if {@code raw} is not a span id. */
  static String spanId(Object raw) {
    if (!(raw instanceof String s) || s.length() != 16) {
      return null;
    }
    for (int i = 0; i < 16; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        return null;
      }
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static long nanos(Instant instant) {
    return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L),
        instant.getNano());
  }

  // --- protobuf encoding -------------------------------------------------------------------

  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;

  /** The protobuf bytes of {@code item}. */
  static byte[] encode(TraceItem item) {
    Writer w = new Writer(256 + item.attributes().size() * 48);
    w.uint64(1, item.organizationId());
    w.uint64(2, item.projectId());
    w.string(3, item.traceId());
    w.bytes(4, item.itemId());
    w.uint64(5, item.itemType());
    w.message(6, timestamp(item.timestamp()));
    for (Map.Entry<String, Object> attribute : item.attributes().entrySet()) {
      Writer entry = new Writer(32 + attribute.getKey().length());
      entry.string(1, attribute.getKey());
      entry.message(2, anyValue(attribute.getValue()));
      w.message(7, entry.toByteArray());
    }
    w.dbl(8, item.clientSampleRate());
    w.dbl(9, item.serverSampleRate());
    w.uint64(100, item.retentionDays());
    w.message(101, timestamp(item.received()));
    w.uint64(102, item.downsampledRetentionDays());
    return w.toByteArray();
  }

  private static byte[] timestamp(Instant instant) {
    Writer w = new Writer(16);
    w.uint64(1, instant.getEpochSecond());
    w.uint64(2, instant.getNano());
    return w.toByteArray();
  }

  private static byte[] anyValue(Object value) {
    Writer w = new Writer(16);
    if (value instanceof String s) {
      w.tag(1, LENGTH_DELIMITED);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      w.varint(utf8.length);
      w.raw(utf8);
    } else if (value instanceof Boolean b) {
      w.tag(2, VARINT);
      w.varint(b ? 1 : 0);
    } else if (value instanceof Long l) {
      w.tag(3, VARINT);
      w.varint(l);
    } else if (value instanceof Double d) {
      w.tag(4, FIXED64);
      w.fixed64(Double.doubleToRawLongBits(d));
    } else if (value instanceof List<?> list) {
      Writer array = new Writer(16 * list.size());
      for (Object element : list) {
        array.message(1, anyValue(element));
      }
      w.message(5, array.toByteArray());
    } else {
      throw new IllegalArgumentException("unsupported attribute value " + value.getClass());
    }
    return w.toByteArray();
  }

  /** Just enough of a protobuf writer for the messages above. */
  private static final class Writer {

    private final ByteArrayOutputStream out;

    Writer(int sizeHint) {
      out = new ByteArrayOutputStream(sizeHint);
    }

    void tag(int field, int wireType) {
      varint(((long) field << 3) | wireType);
    }

    void varint(long value) {
      long v = value;
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    void fixed64(long value) {
      for (int i = 0; i < 8; i++) {
        out.write((int) (value >>> (8 * i)));
      }
    }

    void raw(byte[] bytes) {
      out.write(bytes, 0, bytes.length);
    }

    /** A uint64/uint32/int64/int32/enum field; 0 is the default and is not written. */
    void uint64(int field, long value) {
      if (value != 0) {
        tag(field, VARINT);
        varint(value);
      }
    }

    void dbl(int field, double value) {
      if (Double.doubleToRawLongBits(value) != 0) {
        tag(field, FIXED64);
        fixed64(Double.doubleToRawLongBits(value));
      }
    }

    void string(int field, String value) {
      if (!value.isEmpty()) {
        bytes(field, value.getBytes(StandardCharsets.UTF_8));
      }
    }

    void bytes(int field, byte[] value) {
      if (value.length > 0) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        raw(value);
      }
    }

    /** A message field: written even when empty (it is set). */
    void message(int field, byte[] encoded) {
      tag(field, LENGTH_DELIMITED);
      varint(encoded.length);
      raw(encoded);
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}

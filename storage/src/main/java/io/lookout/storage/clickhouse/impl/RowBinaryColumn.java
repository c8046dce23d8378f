package io.lookout.storage.clickhouse.impl;

import io.vertx.core.json.JsonArray;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one column's values in ClickHouse's RowBinary format, taking the values a JSONEachRow row
 * holds (see {@link io.lookout.storage.clickhouse.ClickHouseWriter}): numbers, numeric strings and
 * booleans for numbers; unix seconds for DateTime; hyphenated or 32-hex UUIDs; names or numbers for
 * enums; JSON arrays for arrays. A value that does not fit throws {@link RowValueException}.
 */
abstract class RowBinaryColumn {

  /** ClickHouse's codes for such errors, all of which AnalyticsStep treats as a bad row. */
  static final int CANNOT_PARSE_TEXT = 6;
  static final int CANNOT_PARSE_INPUT = 27;
  static final int CANNOT_PARSE_DATE = 38;
  static final int CANNOT_PARSE_DATETIME = 41;
  static final int TYPE_MISMATCH = 53;
  static final int ARGUMENT_OUT_OF_BOUND = 69;
  static final int CANNOT_PARSE_NUMBER = 72;
  static final int TOO_LARGE_STRING_SIZE = 131;

  private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  final String type;

  RowBinaryColumn(String type) {
    this.type = type;
  }

  /** Writes a value that the row holds; {@code null} is an explicit JSON null. */
  abstract void write(RowBinaryBuffer out, Object value);

  /** Writes what ClickHouse stores for a field the row leaves out (18.16 ignores DEFAULT for JSONEachRow too). */
  abstract void writeDefault(RowBinaryBuffer out);

  /**
   * The writer of a column type as {@code DESCRIBE TABLE} spells it, or null for a type this class
   * cannot encode.
   *
   * @param serverZone the server's time zone, for DateTime text without a zone of its own
   */
  static RowBinaryColumn of(String type, ZoneId serverZone) {
    String t = type.strip();
    String inner = argument(t, "Nullable");
    if (inner != null) {
      RowBinaryColumn value = of(inner, serverZone);
      return value == null ? null : new NullableColumn(t, value);
    }
    inner = argument(t, "Array");
    if (inner != null) {
      RowBinaryColumn element = of(inner, serverZone);
      return element == null ? null : new ArrayColumn(t, element);
    }
    inner = argument(t, "FixedString");
    if (inner != null) {
      try {
        return new FixedStringColumn(t, Integer.parseInt(inner.strip()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    if (t.equals("DateTime")) {
      return new DateTimeColumn(t, serverZone);
    }
    inner = argument(t, "DateTime");
    if (inner != null) {
      try {
        return new DateTimeColumn(t, ZoneId.of(unquote(inner.strip())));
      } catch (DateTimeException | IllegalArgumentException e) {
        return null;
      }
    }
    inner = argument(t, "Enum8");
    if (inner != null) {
      Map<String, Integer> names = enumValues(inner);
      return names == null ? null : new EnumColumn(t, names, 1);
    }
    inner = argument(t, "Enum16");
    if (inner != null) {
      Map<String, Integer> names = enumValues(inner);
      return names == null ? null : new EnumColumn(t, names, 2);
    }
    switch (t) {
      case "UInt8":
        return new IntColumn(t, 1, 0, 0xFFL);
      case "UInt16":
        return new IntColumn(t, 2, 0, 0xFFFFL);
      case "UInt32":
        return new IntColumn(t, 4, 0, 0xFFFF_FFFFL);
      case "UInt64":
        return new UInt64Column(t);
      case "Int8":
        return new IntColumn(t, 1, Byte.MIN_VALUE, Byte.MAX_VALUE);
      case "Int16":
        return new IntColumn(t, 2, Short.MIN_VALUE, Short.MAX_VALUE);
      case "Int32":
        return new IntColumn(t, 4, Integer.MIN_VALUE, Integer.MAX_VALUE);
      case "Int64":
        return new IntColumn(t, 8, Long.MIN_VALUE, Long.MAX_VALUE);
      case "Float32":
        return new FloatColumn(t, false);
      case "Float64":
        return new FloatColumn(t, true);
      case "String":
        return new StringColumn(t);
      case "Date":
        return new DateColumn(t);
      case "UUID":
        return new UuidColumn(t);
      default:
        return null;
    }
  }

  /** {@code x} of {@code Name(x)}, or null if {@code type} is not {@code Name(...)}. */
  private static String argument(String type, String name) {
    if (type.length() > name.length() + 1 && type.startsWith(name) && type.charAt(name.length()) == '('
        && type.endsWith(")")) {
      return type.substring(name.length() + 1, type.length() - 1);
    }
    return null;
  }

  private static String unquote(String s) {
    if (s.length() >= 2 && s.charAt(0) == '\'' && s.charAt(s.length() - 1) == '\'') {
      return s.substring(1, s.length() - 1).replace("\\'", "'").replace("\\\\", "\\");
    }
    throw new IllegalArgumentException("not quoted: " + s);
  }

  /** {@code 'a' = 1, 'b\'c' = -2} as a map, in declaration order; null if it is not that. */
  static Map<String, Integer> enumValues(String list) {
    Map<String, Integer> values = new java.util.LinkedHashMap<>();
    int i = 0;
    int n = list.length();
    while (i < n) {
      while (i < n && (list.charAt(i) == ' ' || list.charAt(i) == ',')) {
        i++;
      }
      if (i == n) {
        break;
      }
      if (list.charAt(i) != '\'') {
        return null;
      }
      StringBuilder name = new StringBuilder();
      i++;
      while (i < n && list.charAt(i) != '\'') {
        char c = list.charAt(i++);
        if (c == '\\' && i < n) {
          c = list.charAt(i++);
        }
        name.append(c);
      }
      i++; // closing quote
      while (i < n && list.charAt(i) == ' ') {
        i++;
      }
      if (i >= n || list.charAt(i) != '=') {
        return null;
      }
      i++;
      int start = i;
      while (i < n && list.charAt(i) != ',') {
        i++;
      }
      try {
        values.put(name.toString(), Integer.parseInt(list.substring(start, i).strip()));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return values.isEmpty() ? null : values;
  }

  RowValueException mismatch(Object value, String expected) {
    return new RowValueException(TYPE_MISMATCH, "Type mismatch: " + describe(value) + " for a " + type
        + " column, expected " + expected);
  }

  RowValueException error(int code, String problem, Object value) {
    return new RowValueException(code, problem + ": " + describe(value) + " for a " + type + " column");
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String s = String.valueOf(value);
    if (s.length() > 100) {
      s = s.substring(0, 100) + "...";
    }
    return value instanceof String ? "'" + s + "'" : value.getClass().getSimpleName() + " " + s;
  }

  /** A whole number from a JSON value: null is 0 and true is 1, as ClickHouse reads JSONEachRow. */
  long integer(Object value) {
    if (value == null) {
      return 0;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (d != Math.rint(d) || Double.isInfinite(d)) {
        throw error(CANNOT_PARSE_INPUT, "Cannot parse input: not a whole number", value);
      }
      if (d < -0x1p63 || d >= 0x1p63) {
        throw error(ARGUMENT_OUT_OF_BOUND, "Value out of range", value);
      }
      return (long) d;
    }
    if (value instanceof BigInteger big) {
      if (big.bitLength() > 63) {
        throw error(ARGUMENT_OUT_OF_BOUND, "Value out of range", value);
      }
      return big.longValue();
    }
    if (value instanceof Number n) {
      return integer(n.doubleValue());
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        throw error(CANNOT_PARSE_NUMBER, "Cannot parse input: not a number", value);
      }
    }
    throw mismatch(value, "a number");
  }

  static final class IntColumn extends RowBinaryColumn {

    private final int bytes;
    private final long min;
    private final long max;

    IntColumn(String type, int bytes, long min, long max) {
      super(type);
      this.bytes = bytes;
      this.min = min;
      this.max = max;
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      long v = integer(value);
      if (v < min || v > max) {
        throw error(min == 0 && v < 0 ? CANNOT_PARSE_NUMBER : ARGUMENT_OUT_OF_BOUND,
            min == 0 && v < 0 ? "Unsigned type must not be negative" : "Value out of range", value);
      }
      writeBits(out, v);
    }

    private void writeBits(RowBinaryBuffer out, long v) {
      switch (bytes) {
        case 1:
          out.writeByte((int) v);
          break;
        case 2:
          out.writeShort((int) v);
          break;
        case 4:
          out.writeInt((int) v);
          break;
        default:
          out.writeLong(v);
      }
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      writeBits(out, 0);
    }
  }

  /** UInt64 also takes values above {@link Long#MAX_VALUE} (as {@link BigInteger} or text). */
  static final class UInt64Column extends RowBinaryColumn {

    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    UInt64Column(String type) {
      super(type);
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      if (value instanceof Long || value instanceof Integer) {
        long v = ((Number) value).longValue();
        if (v < 0) {
          throw error(CANNOT_PARSE_NUMBER, "Unsigned type must not be negative", value);
        }
        out.writeLong(v);
        return;
      }
      BigInteger big = value instanceof BigInteger b ? b : null;
      if (value instanceof String s) {
        try {
          big = new BigInteger(s.strip());
        } catch (NumberFormatException e) {
          throw error(CANNOT_PARSE_NUMBER, "Cannot parse input: not a number", value);
        }
      }
      if (big != null) {
        if (big.signum() < 0) {
          throw error(CANNOT_PARSE_NUMBER, "Unsigned type must not be negative", value);
        }
        if (big.compareTo(MAX) > 0) {
          throw error(ARGUMENT_OUT_OF_BOUND, "Value out of range", value);
        }
        out.writeLong(big.longValue());
        return;
      }
      long v = integer(value);
      if (v < 0) {
        throw error(CANNOT_PARSE_NUMBER, "Unsigned type must not be negative", value);
      }
      out.writeLong(v);
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeLong(0);
    }
  }

  static final class FloatColumn extends RowBinaryColumn {

    private final boolean wide;

    FloatColumn(String type, boolean wide) {
      super(type);
      this.wide = wide;
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      double d;
      if (value == null) {
        d = Double.NaN; // what 18.16 stores for a JSON null
      } else if (value instanceof Number n) {
        d = n.doubleValue();
      } else if (value instanceof Boolean b) {
        d = b ? 1 : 0;
      } else if (value instanceof String s) {
        try {
          d = Double.parseDouble(s.strip());
        } catch (NumberFormatException e) {
          throw error(CANNOT_PARSE_NUMBER, "Cannot parse input: not a number", value);
        }
      } else {
        throw mismatch(value, "a number");
      }
      if (wide) {
        out.writeLong(Double.doubleToRawLongBits(d));
      } else {
        out.writeInt(Float.floatToRawIntBits((float) d));
      }
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      if (wide) {
        out.writeLong(0);
      } else {
        out.writeInt(0);
      }
    }
  }

  static final class StringColumn extends RowBinaryColumn {

    StringColumn(String type) {
      super(type);
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      if (!(value instanceof String s)) {
        throw mismatch(value, "a string");
      }
      out.writeString(s);
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeByte(0);
    }
  }

  static final class FixedStringColumn extends RowBinaryColumn {

    private final int n;

    FixedStringColumn(String type, int n) {
      super(type);
      this.n = n;
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      if (!(value instanceof String s)) {
        throw mismatch(value, "a string");
      }
      if (!out.writeFixedString(s, n)) {
        throw error(TOO_LARGE_STRING_SIZE, "Too large value", value);
      }
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeZeros(n);
    }
  }

  /** Unix seconds (a number or digits), or {@code yyyy-MM-dd HH:mm:ss} in the column's time zone. */
  static final class DateTimeColumn extends RowBinaryColumn {

    private final ZoneId zone;

    DateTimeColumn(String type, ZoneId zone) {
      super(type);
      this.zone = zone;
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      long seconds;
      if (value instanceof String s && s.length() == 19 && s.charAt(4) == '-') {
        try {
          seconds = LocalDateTime.parse(s, DATE_TIME).atZone(zone).toEpochSecond();
        } catch (DateTimeException e) {
          throw error(CANNOT_PARSE_DATETIME, "Cannot parse datetime", value);
        }
      } else if (value == null || value instanceof Boolean) {
        throw mismatch(value, "unix seconds");
      } else {
        try {
          seconds = integer(value);
        } catch (RowValueException e) {
          throw error(CANNOT_PARSE_DATETIME, "Cannot parse datetime, expected unix seconds", value);
        }
      }
      if (seconds < 0 || seconds > 0xFFFF_FFFFL) {
        throw error(ARGUMENT_OUT_OF_BOUND, "DateTime out of range", value);
      }
      out.writeInt((int) seconds);
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeInt(0);
    }
  }

  /** {@code yyyy-MM-dd}, or days since 1970-01-01. */
  static final class DateColumn extends RowBinaryColumn {

    DateColumn(String type) {
      super(type);
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      long days;
      if (value instanceof String s && s.length() == 10 && s.charAt(4) == '-') {
        try {
          days = LocalDate.parse(s).toEpochDay();
        } catch (DateTimeException e) {
          throw error(CANNOT_PARSE_DATE, "Cannot parse date", value);
        }
      } else if (value == null || value instanceof Boolean || value instanceof String) {
        throw error(CANNOT_PARSE_DATE, "Cannot parse date, expected yyyy-MM-dd", value);
      } else {
        days = integer(value);
      }
      if (days < 0 || days > 0xFFFF) {
        throw error(ARGUMENT_OUT_OF_BOUND, "Date out of range", value);
      }
      out.writeShort((int) days);
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeShort(0);
    }
  }

  /**
   * RowBinary holds a UUID as two little-endian UInt64s, the high half (the first 16 hex digits)
   * first.
   */
  static final class UuidColumn extends RowBinaryColumn {

    UuidColumn(String type) {
      super(type);
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      if (!(value instanceof String s)) {
        throw mismatch(value, "a UUID string");
      }
      long high;
      long low;
      if (s.length() == 36 && s.charAt(8) == '-' && s.charAt(13) == '-' && s.charAt(18) == '-'
          && s.charAt(23) == '-') {
        high = hex(s, 0, 8) << 32 | hex(s, 9, 13) << 16 | hex(s, 14, 18);
        low = hex(s, 19, 23) << 48 | hex(s, 24, 36);
      } else if (s.length() == 32) {
        high = hex(s, 0, 16);
        low = hex(s, 16, 32);
      } else {
        throw error(CANNOT_PARSE_INPUT, "Cannot parse uuid", value);
      }
      out.writeLong(high);
      out.writeLong(low);
    }

    private long hex(String s, int from, int to) {
      long v = 0;
      for (int i = from; i < to; i++) {
        int d = Character.digit(s.charAt(i), 16);
        if (d < 0) {
          throw error(CANNOT_PARSE_INPUT, "Cannot parse uuid", s);
        }
        v = v << 4 | d;
      }
      return v;
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeZeros(16);
    }
  }

  /** Enum8/Enum16: a name of the type, or one of its numbers; left out, the smallest number. */
  static final class EnumColumn extends RowBinaryColumn {

    private final Map<String, Integer> byName;
    private final java.util.Set<Integer> numbers;
    private final int bytes;
    private final int smallest;

    EnumColumn(String type, Map<String, Integer> byName, int bytes) {
      super(type);
      this.byName = new HashMap<>(byName);
      this.numbers = new java.util.HashSet<>(byName.values());
      this.bytes = bytes;
      this.smallest = byName.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      int v;
      if (value instanceof String s) {
        Integer n = byName.get(s);
        if (n == null) {
          throw error(ARGUMENT_OUT_OF_BOUND, "Unknown element", value);
        }
        v = n;
      } else if (value instanceof Number) {
        long n = integer(value);
        if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE || !numbers.contains((int) n)) {
          throw error(ARGUMENT_OUT_OF_BOUND, "Unknown element", value);
        }
        v = (int) n;
      } else {
        throw mismatch(value, "an enum name");
      }
      writeBits(out, v);
    }

    private void writeBits(RowBinaryBuffer out, int v) {
      if (bytes == 1) {
        out.writeByte(v);
      } else {
        out.writeShort(v);
      }
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      writeBits(out, smallest);
    }
  }

  static final class NullableColumn extends RowBinaryColumn {

    private final RowBinaryColumn value;

    NullableColumn(String type, RowBinaryColumn value) {
      super(type);
      this.value = value;
    }

    @Override
    void write(RowBinaryBuffer out, Object v) {
      if (v == null) {
        out.writeByte(1);
      } else {
        out.writeByte(0);
        value.write(out, v);
      }
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeByte(1);
    }
  }

  static final class ArrayColumn extends RowBinaryColumn {

    private final RowBinaryColumn element;

    ArrayColumn(String type, RowBinaryColumn element) {
      super(type);
      this.element = element;
    }

    @Override
    void write(RowBinaryBuffer out, Object value) {
      List<?> list;
      if (value instanceof JsonArray a) {
        list = a.getList();
      } else if (value instanceof List<?> l) {
        list = l;
      } else {
        throw mismatch(value, "an array");
      }
      int n = list.size();
      out.writeVarint(n);
      for (int i = 0; i < n; i++) {
        Object e = list.get(i);
        // JsonArray.getList() hands out nested arrays as they were added: JsonArray or List
        element.write(out, e);
      }
    }

    @Override
    void writeDefault(RowBinaryBuffer out) {
      out.writeByte(0);
    }
  }
}

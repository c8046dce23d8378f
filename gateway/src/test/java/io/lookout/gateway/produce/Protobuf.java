package io.lookout.gateway.produce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal protobuf wire-format reader for tests: field number to the list of its values
 * (varint and fixed64 as {@link Long}, length-delimited as {@code byte[]}).
 */
final class Protobuf {

  private Protobuf() {
  }

  static Map<Integer, List<Object>> read(byte[] bytes) {
    Map<Integer, List<Object>> fields = new LinkedHashMap<>();
    int[] pos = {0};
    while (pos[0] < bytes.length) {
      long tag = varint(bytes, pos);
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      Object value;
      switch (wire) {
        case 0 -> value = varint(bytes, pos);
        case 1 -> {
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v |= (bytes[pos[0] + i] & 0xFFL) << (8 * i);
          }
          pos[0] += 8;
          value = v;
        }
        case 2 -> {
          int length = (int) varint(bytes, pos);
          byte[] v = new byte[length];
          System.arraycopy(bytes, pos[0], v, 0, length);
          pos[0] += length;
          value = v;
        }
        default -> throw new IllegalArgumentException("wire type " + wire);
      }
      fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
    }
    return fields;
  }

  static Object one(Map<Integer, List<Object>> fields, int field) {
    List<Object> values = fields.get(field);
    if (values == null || values.size() != 1) {
      throw new AssertionError("field " + field + ": " + values);
    }
    return values.get(0);
  }

  static String string(Map<Integer, List<Object>> fields, int field) {
    return new String((byte[]) one(fields, field), java.nio.charset.StandardCharsets.UTF_8);
  }

  static long varint(byte[] bytes, int[] pos) {
    long result = 0;
    int shift = 0;
    while (true) {
      byte b = bytes[pos[0]++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  /** The {@code attributes} map of an encoded TraceItem: key to decoded AnyValue. */
  static Map<String, Object> attributes(Map<Integer, List<Object>> item) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Object entryBytes : item.getOrDefault(7, List.of())) {
      Map<Integer, List<Object>> entry = read((byte[]) entryBytes);
      out.put(string(entry, 1), anyValue(read((byte[]) one(entry, 2))));
    }
    return out;
  }

  static Object anyValue(Map<Integer, List<Object>> value) {
    if (value.containsKey(1)) {
      return string(value, 1);
    }
    if (value.containsKey(2)) {
      return (Long) one(value, 2) != 0;
    }
    if (value.containsKey(3)) {
      return one(value, 3);
    }
    if (value.containsKey(4)) {
      return Double.longBitsToDouble((Long) one(value, 4));
    }
    if (value.containsKey(5)) {
      List<Object> list = new ArrayList<>();
      for (Object element : read((byte[]) one(value, 5)).getOrDefault(1, List.of())) {
        list.add(anyValue(read((byte[]) element)));
      }
      return list;
    }
    throw new AssertionError("empty AnyValue");
  }
}

package io.lookout.storage.kafka.message;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * Reads one msgpack map into plain Java values: nil to null, bool to Boolean, integers to Long
 * (BigInteger past Long.MAX_VALUE), floats to Double, str to String, bin to byte[], arrays to
 * List and maps to Map. Lengths announced in headers are checked against the bytes that are left
 * before anything is allocated, so a hostile header cannot make it allocate gigabytes.
 */
final class MsgpackReader {

  /** Relay nests at most a few levels (event, attachments, attachment); anything deep is hostile. */
  private static final int MAX_DEPTH = 32;

  private final MessageUnpacker unpacker;
  private final long total;
  private final String what;

  private MsgpackReader(byte[] bytes, String what) {
    this.unpacker = MessagePack.newDefaultUnpacker(bytes);
    this.total = bytes.length;
    this.what = what;
  }

  static Map<String, Object> readMap(byte[] bytes, String what) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidMessageException(what + ": empty message");
    }
    MsgpackReader reader = new MsgpackReader(bytes, what);
    try (MessageUnpacker u = reader.unpacker) {
      MessageFormat format = u.getNextFormat();
      if (format.getValueType() != ValueType.MAP) {
        throw new InvalidMessageException(
            what + ": expected a msgpack map, got " + describe(format.getValueType()));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) reader.read(0, true);
      if (u.hasNext()) {
        throw new InvalidMessageException(what + ": trailing bytes after the msgpack map");
      }
      return map;
    } catch (MessagePackException | IOException e) {
      throw new InvalidMessageException(what + ": not valid msgpack (" + Fields.brief(e.getMessage()) + ")", e);
    }
  }

  private Object read(int depth, boolean topLevel) throws IOException {
    if (depth > MAX_DEPTH) {
      throw fail("msgpack nested deeper than " + MAX_DEPTH + " levels");
    }
    MessageFormat format = unpacker.getNextFormat();
    switch (format.getValueType()) {
      case NIL:
        unpacker.unpackNil();
        return null;
      case BOOLEAN:
        return unpacker.unpackBoolean();
      case INTEGER:
        if (format == MessageFormat.UINT64) {
          BigInteger value = unpacker.unpackBigInteger();
          return value.bitLength() < 64 ? (Object) value.longValue() : value;
        }
        return unpacker.unpackLong();
      case FLOAT:
        return unpacker.unpackDouble();
      case STRING: {
        int length = unpacker.unpackRawStringHeader();
        checkRemaining(length);
        return new String(unpacker.readPayload(length), StandardCharsets.UTF_8);
      }
      case BINARY: {
        int length = unpacker.unpackBinaryHeader();
        checkRemaining(length);
        return unpacker.readPayload(length);
      }
      case ARRAY: {
        int size = unpacker.unpackArrayHeader();
        checkRemaining(size);
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
          list.add(read(depth + 1, false));
        }
        return list;
      }
      case MAP: {
        int size = unpacker.unpackMapHeader();
        checkRemaining(2L * size);
        Map<String, Object> map = new HashMap<>(Math.max(4, size * 2));
        for (int i = 0; i < size; i++) {
          Object key = read(depth + 1, false);
          if (!(key instanceof String)) {
            if (topLevel) {
              throw fail("msgpack map key must be a string, got " + Fields.describe(key));
            }
            key = String.valueOf(key instanceof byte[] b
                ? new String(b, StandardCharsets.UTF_8) : key);
          }
          map.put((String) key, read(depth + 1, false));
        }
        return map;
      }
      default:
        throw fail("unsupported msgpack value: " + describe(format.getValueType()));
    }
  }

  private void checkRemaining(long needed) {
    long remaining = total - unpacker.getTotalReadBytes();
    if (needed > remaining) {
      throw fail("msgpack value announces " + needed
          + " bytes or items but only " + remaining + " bytes are left");
    }
  }

  private InvalidMessageException fail(String problem) {
    return new InvalidMessageException(what + ": " + problem);
  }

  private static String describe(ValueType type) {
    return type.name().toLowerCase(java.util.Locale.ROOT);
  }
}

package io.lookout.storage.clickhouse.impl;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One growable byte array that a whole insert body is written into, little-endian as RowBinary wants
 * it. Strings are encoded to UTF-8 straight into the array, without a byte[] per value.
 */
final class RowBinaryBuffer {

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf;
  private int size;

  RowBinaryBuffer(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  int size() {
    return size;
  }

  /** Empties the buffer, keeping its array. */
  void clear() {
    size = 0;
  }

  InputStream toInputStream() {
    return new ByteArrayInputStream(buf, 0, size);
  }

  /** The whole body in one write, so no copy loop stands between the array and the socket. */
  void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  private void ensure(int more) {
    if (size + more > buf.length) {
      long wanted = Math.max((long) buf.length * 2, (long) size + more);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalStateException("an insert body cannot exceed 2 GB");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }

  void writeByte(int b) {
    ensure(1);
    buf[size++] = (byte) b;
  }

  void writeShort(int v) {
    ensure(2);
    SHORT.set(buf, size, (short) v);
    size += 2;
  }

  void writeInt(int v) {
    ensure(4);
    INT.set(buf, size, v);
    size += 4;
  }

  void writeLong(long v) {
    ensure(8);
    LONG.set(buf, size, v);
    size += 8;
  }

  void writeZeros(int n) {
    ensure(n);
    Arrays.fill(buf, size, size + n, (byte) 0);
    size += n;
  }

  /** LEB128, as RowBinary prefixes strings and arrays with their length. */
  void writeVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[size++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[size++] = (byte) v;
  }

  /** A String value: its UTF-8 length, then the bytes. */
  void writeString(String s) {
    long measured = measure(s);
    int utf8 = (int) measured;
    writeVarint(utf8);
    writeUtf8(s, utf8, measured < 0);
  }

  /**
   * A FixedString(n) value: the UTF-8 bytes padded with zero bytes.
   *
   * @return false, writing nothing, if the bytes do not fit
   */
  boolean writeFixedString(String s, int n) {
    long measured = measure(s);
    int utf8 = (int) measured;
    if (utf8 > n) {
      return false;
    }
    writeUtf8(s, utf8, measured < 0);
    writeZeros(n - utf8);
    return true;
  }

  /** The UTF-8 length in the low 32 bits; negative if any char is not ASCII. */
  static long measure(String s) {
    int len = s.length();
    int bytes = len;
    boolean ascii = true;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        ascii = false;
        bytes += extraUtf8Bytes(s, i, len);
        if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        }
      }
    }
    return ascii ? bytes : Long.MIN_VALUE | bytes;
  }

  /** Bytes beyond one that the non-ASCII char at {@code i} takes (a surrogate pair counts 4 in all). */
  private static int extraUtf8Bytes(String s, int i, int len) {
    char c = s.charAt(i);
    if (c < 0x800) {
      return 1;
    }
    if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
      return 2; // 4 bytes for 2 chars
    }
    if (Character.isSurrogate(c)) {
      return 0; // unpaired: '?', as String.getBytes(UTF_8) does
    }
    return 2;
  }

  @SuppressWarnings("deprecation")
  private void writeUtf8(String s, int utf8, boolean nonAscii) {
    ensure(utf8);
    int len = s.length();
    if (!nonAscii) {
      // all ASCII: the low byte of every char is its UTF-8 encoding (a plain copy for a Latin-1 string)
      s.getBytes(0, len, buf, size);
      size += len;
      return;
    }
    byte[] b = buf;
    int p = size;
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        b[p++] = (byte) (0xC0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[p++] = (byte) (0xF0 | (cp >> 18));
        b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        b[p++] = '?';
      } else {
        b[p++] = (byte) (0xE0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    size = p;
  }
}

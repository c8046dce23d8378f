package io.lookout.gateway.http;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;

/**
 * Decodes a request body by its {@code Content-Encoding} (gzip, x-gzip, deflate, br, zstd, identity)
 * while counting what it produces: the output never grows past {@code limit}, so a zip bomb costs
 * at most {@code limit} bytes and a {@link TooLargeException}, never the heap.
 */
public final class ContentDecoder {

  /** Read granularity: small, since most bodies are a few KB (a 64 KiB chunk cost ~135 KB of garbage per request). */
  private static final int CHUNK = 8 * 1024;

  /** The decoded body would exceed the limit. */
  public static final class TooLargeException extends Exception {

    TooLargeException(long limit) {
      super("decompressed body exceeds " + limit + " bytes", null, false, false);
    }
  }

  /** The body does not decode with the encoding it names. */
  public static final class MalformedException extends Exception {

    MalformedException(String message) {
      super(message, null, false, false);
    }
  }

  /** The encoding is not one Lookout decodes. */
  public static final class UnsupportedEncodingException extends Exception {

    UnsupportedEncodingException(String encoding) {
      super("unsupported content encoding '" + encoding + "'", null, false, false);
    }
  }

  private ContentDecoder() {
  }

  /** True when {@code decode} has work to do for this header value. */
  public static boolean isEncoded(String contentEncoding) {
    return contentEncoding != null && !contentEncoding.isBlank()
        && !contentEncoding.trim().equalsIgnoreCase("identity");
  }

  /**
   * Decodes {@code body}. A header listing several encodings ({@code gzip, br}) is undone right to
   * left, as RFC 9110 says.
   */
  public static Buffer decode(Buffer body, String contentEncoding, long limit)
      throws TooLargeException, MalformedException, UnsupportedEncodingException {
    if (!isEncoded(contentEncoding)) {
      return body;
    }
    String[] codings = contentEncoding.split(",");
    Buffer current = body;
    for (int i = codings.length - 1; i >= 0; i--) {
      current = decodeOne(current, codings[i].trim().toLowerCase(Locale.ROOT), limit);
    }
    return current;
  }

  private static Buffer decodeOne(Buffer body, String coding, long limit)
      throws TooLargeException, MalformedException, UnsupportedEncodingException {
    byte[] input = body.getBytes();
    try {
      return switch (coding) {
        case "", "identity" -> body;
        case "gzip", "x-gzip" -> drain(new GZIPInputStream(new ByteArrayInputStream(input), CHUNK), limit,
            input.length);
        case "deflate" -> inflate(input, limit);
        case "br" -> {
          ensureBrotli();
          yield drain(new BrotliInputStream(new ByteArrayInputStream(input)), limit, input.length);
        }
        case "zstd" -> drain(new ZstdInputStreamNoFinalizer(new ByteArrayInputStream(input)), limit, input.length);
        default -> throw new UnsupportedEncodingException(coding);
      };
    } catch (IOException e) {
      throw new MalformedException("body is not valid " + coding + ": " + e.getMessage());
    }
  }

  private static Buffer drain(InputStream in, long limit, int compressedSize) throws IOException, TooLargeException {
    try (in) {
      // JSON compresses about 4x: start there and let the buffer grow, rather than a fixed big block
      Buffer out = Buffer.buffer(initialCapacity(4L * compressedSize, limit));
      byte[] chunk = new byte[CHUNK];
      int n;
      while ((n = in.read(chunk)) != -1) {
        if (out.length() + (long) n > limit) {
          throw new TooLargeException(limit);
        }
        out.appendBytes(chunk, 0, n);
      }
      return out;
    }
  }

  /** HTTP "deflate" is zlib-wrapped by the RFC, but some clients send raw deflate: accept both. */
  private static Buffer inflate(byte[] input, long limit) throws TooLargeException, MalformedException {
    try {
      return inflate(input, limit, false);
    } catch (DataFormatException wrappedFailed) {
      try {
        return inflate(input, limit, true);
      } catch (DataFormatException e) {
        throw new MalformedException("body is not valid deflate: " + e.getMessage());
      }
    }
  }

  private static Buffer inflate(byte[] input, long limit, boolean raw) throws DataFormatException, TooLargeException {
    Inflater inflater = new Inflater(raw);
    try {
      inflater.setInput(input);
      Buffer out = Buffer.buffer(initialCapacity(4L * input.length, limit));
      byte[] chunk = new byte[CHUNK];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          if (inflater.needsDictionary()) {
            throw new DataFormatException("needs a preset dictionary");
          }
          break; // truncated input: keep what decoded, as zlib's streaming readers do
        }
        if (out.length() + (long) n > limit) {
          throw new TooLargeException(limit);
        }
        out.appendBytes(chunk, 0, n);
      }
      return out;
    } finally {
      inflater.end();
    }
  }

  /** Most an output buffer is sized up front: beyond it it grows as bytes actually arrive. */
  static final int MAX_INITIAL_CAPACITY = 1 << 20;

  /**
   * A starting size from a hint the client controls (Content-Length, compressed size), bounded so
   * that a claim alone never allocates more than {@link #MAX_INITIAL_CAPACITY}.
   */
  static int initialCapacity(long hint, long limit) {
    return (int) Math.max(1024L, Math.min(Math.min(hint, limit), MAX_INITIAL_CAPACITY));
  }

  private static volatile boolean brotliLoaded;

  private static void ensureBrotli() throws IOException {
    if (!brotliLoaded) {
      Brotli4jLoader.ensureAvailability();
      brotliLoaded = true;
    }
  }
}

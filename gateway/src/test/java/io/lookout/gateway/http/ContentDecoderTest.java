package io.lookout.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class ContentDecoderTest {

  private static final byte[] TEXT = "{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\"}\n".repeat(100)
      .getBytes(StandardCharsets.UTF_8);

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    }
    return out.toByteArray();
  }

  static byte[] deflate(byte[] data, boolean raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(6, raw))) {
      d.write(data);
    }
    return out.toByteArray();
  }

  @Test
  void identityAndMissingEncodingReturnTheBodyAsIs() throws Exception {
    Buffer body = Buffer.buffer(TEXT);
    assertThat(ContentDecoder.decode(body, null, 10)).isSameAs(body);
    assertThat(ContentDecoder.decode(body, "identity", 10)).isSameAs(body);
  }

  @Test
  void decodesEveryEncodingSdksUse() throws Exception {
    Brotli4jLoader.ensureAvailability();
    byte[][] encoded = {gzip(TEXT), gzip(TEXT), deflate(TEXT, false), deflate(TEXT, true),
        Encoder.compress(TEXT), Zstd.compress(TEXT)};
    String[] names = {"gzip", "X-Gzip", "deflate", "deflate", "br", "zstd"};
    for (int i = 0; i < names.length; i++) {
      assertThat(ContentDecoder.decode(Buffer.buffer(encoded[i]), names[i], 1 << 20).getBytes())
          .as(names[i]).isEqualTo(TEXT);
    }
  }

  @Test
  void stackedEncodingsAreUndoneRightToLeft() throws Exception {
    byte[] twice = Zstd.compress(gzip(TEXT));
    assertThat(ContentDecoder.decode(Buffer.buffer(twice), "gzip, zstd", 1 << 20).getBytes()).isEqualTo(TEXT);
  }

  @Test
  void zipBombStopsAtTheLimit() throws Exception {
    byte[] bomb = gzip(new byte[64 << 20]); // 64 MiB of zeros, ~64 KiB compressed
    assertThat(bomb.length).isLessThan(100_000);
    assertThatThrownBy(() -> ContentDecoder.decode(Buffer.buffer(bomb), "gzip", 1 << 20))
        .isInstanceOf(ContentDecoder.TooLargeException.class);
    byte[] zstdBomb = Zstd.compress(new byte[64 << 20]);
    assertThatThrownBy(() -> ContentDecoder.decode(Buffer.buffer(zstdBomb), "zstd", 1 << 20))
        .isInstanceOf(ContentDecoder.TooLargeException.class);
    byte[] deflateBomb = deflate(new byte[64 << 20], false);
    assertThatThrownBy(() -> ContentDecoder.decode(Buffer.buffer(deflateBomb), "deflate", 1 << 20))
        .isInstanceOf(ContentDecoder.TooLargeException.class);
  }

  @Test
  void garbageIsMalformedAndUnknownEncodingsAreUnsupported() {
    Buffer garbage = Buffer.buffer("definitely not compressed");
    assertThatThrownBy(() -> ContentDecoder.decode(garbage, "gzip", 1 << 20))
        .isInstanceOf(ContentDecoder.MalformedException.class);
    assertThatThrownBy(() -> ContentDecoder.decode(garbage, "zstd", 1 << 20))
        .isInstanceOf(ContentDecoder.MalformedException.class);
    assertThatThrownBy(() -> ContentDecoder.decode(garbage, "compress", 1 << 20))
        .isInstanceOf(ContentDecoder.UnsupportedEncodingException.class);
  }

  @Test
  void aClaimedSizeNeverAllocatesMoreThanTheBoundUpFront() {
    assertThat(ContentDecoder.initialCapacity(200L << 20, 200L << 20)).isEqualTo(ContentDecoder.MAX_INITIAL_CAPACITY);
    assertThat(ContentDecoder.initialCapacity(5_000, 1 << 20)).isEqualTo(5_000);
    assertThat(ContentDecoder.initialCapacity(0, 1 << 20)).isEqualTo(1024);
    assertThat(ContentDecoder.initialCapacity(50_000, 10_000)).isEqualTo(10_000);
  }
}

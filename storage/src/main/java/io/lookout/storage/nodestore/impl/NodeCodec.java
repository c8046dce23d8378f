package io.lookout.storage.nodestore.impl;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import java.util.Arrays;

/**
 * How a node's JSON is stored: one zstd frame, with the content size in its header so reading needs
 * no guess at the output size. CPU-bound: call it on a worker thread, never on an event loop.
 */
public final class NodeCodec {

  /*
   * One native context per worker thread, reused: for events of a few KB, setting up a fresh context
   * per call (what Zstd.compress(byte[], int) does) costs about a fifth of the compression time.
   * The worker pool's threads live as long as the process, so these are never freed on purpose.
   */
  private static final ThreadLocal<ZstdCompressCtx> COMPRESS = ThreadLocal.withInitial(ZstdCompressCtx::new);
  private static final ThreadLocal<ZstdDecompressCtx> DECOMPRESS = ThreadLocal.withInitial(ZstdDecompressCtx::new);

  private NodeCodec() {
  }

  /**
   * Frames up to this size are written into a block each thread keeps and copied out at their size:
   * one array per node instead of a worst-case one and its trimmed copy.
   */
  static final int REUSED_BLOCK = 256 * 1024;
  private static final ThreadLocal<byte[]> OUT = ThreadLocal.withInitial(() -> new byte[REUSED_BLOCK]);

  public static byte[] compress(byte[] json, int level) {
    ZstdCompressCtx ctx = COMPRESS.get();
    ctx.setLevel(level);
    if (Zstd.compressBound(json.length) > REUSED_BLOCK) {
      return ctx.compress(json);
    }
    byte[] out = OUT.get();
    int size = ctx.compressByteArray(out, 0, out.length, json, 0, json.length);
    return Arrays.copyOf(out, size);
  }

  /**
   * @throws IllegalStateException when {@code data} is not a zstd frame written by {@link #compress}
   */
  public static byte[] decompress(byte[] data) {
    long size = Zstd.getFrameContentSize(data);
    if (size < 0 || size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("stored node is not a zstd frame with a content size");
    }
    try {
      return DECOMPRESS.get().decompress(data, (int) size);
    } catch (ZstdException e) {
      throw new IllegalStateException("stored node is corrupt: " + e.getMessage(), e);
    }
  }
}

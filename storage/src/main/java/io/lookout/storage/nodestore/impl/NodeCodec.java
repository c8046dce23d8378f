package io.lookout.storage.nodestore.impl;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;

/**
 * How a node's JSON is stored: one zstd frame, with the content size in its header so reading needs
 * no guess at the output size. CPU-bound: call it on a worker thread, never on an event loop.
 */
public final class NodeCodec {

  private NodeCodec() {
  }

  public static byte[] compress(byte[] json, int level) {
    return Zstd.compress(json, level);
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
      return Zstd.decompress(data, (int) size);
    } catch (ZstdException e) {
      throw new IllegalStateException("stored node is corrupt: " + e.getMessage(), e);
    }
  }
}

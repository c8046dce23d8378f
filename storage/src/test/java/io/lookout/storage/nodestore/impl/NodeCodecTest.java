package io.lookout.storage.nodestore.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NodeCodecTest {

  private static final String EVENT = "{\"event_id\":\"9ec79c33ec9942ab8353589fcb2e04dc\",\"level\":\"error\","
      + "\"exception\":{\"values\":[{\"type\":\"java.lang.IllegalStateException\",\"value\":\"boom\","
      + "\"stacktrace\":{\"frames\":[{\"module\":\"com.acme.Orders\",\"function\":\"place\",\"lineno\":42,"
      + "\"in_app\":true},{\"module\":\"com.acme.Orders\",\"function\":\"place\",\"lineno\":42,\"in_app\":true}]}}]},"
      + "\"tags\":{\"environment\":\"production\",\"release\":\"1.0.0\"},\"user\":{\"email\":\"jürgen@example.com\"}}";

  @Test
  void roundTripGivesTheSameBytes() {
    byte[] json = EVENT.getBytes(StandardCharsets.UTF_8);
    for (int level : new int[] {1, 3, 19}) {
      byte[] stored = NodeCodec.compress(json, level);
      assertThat(NodeCodec.decompress(stored)).isEqualTo(json);
    }
  }

  @Test
  void repetitiveJsonGetsSmaller() {
    byte[] json = EVENT.repeat(20).getBytes(StandardCharsets.UTF_8);
    assertThat(NodeCodec.compress(json, 3).length).isLessThan(json.length / 5);
  }

  @Test
  void roundTripOfEmptyAndIncompressibleInput() {
    assertThat(NodeCodec.decompress(NodeCodec.compress(new byte[0], 3))).isEmpty();
    byte[] random = new byte[100_000];
    new Random(1).nextBytes(random);
    assertThat(NodeCodec.decompress(NodeCodec.compress(random, 3))).isEqualTo(random);
  }

  @Test
  void nodesBeyondTheReusedBlockAndAfterALargerOneRoundTrip() {
    byte[] large = new byte[NodeCodec.REUSED_BLOCK + 1];
    new Random(2).nextBytes(large);
    byte[] small = EVENT.getBytes(StandardCharsets.UTF_8);
    assertThat(NodeCodec.decompress(NodeCodec.compress(small, 3))).isEqualTo(small);
    assertThat(NodeCodec.decompress(NodeCodec.compress(large, 3))).isEqualTo(large);
    byte[] medium = Arrays.copyOf(large, 200_000); // incompressible, written into the block
    assertThat(NodeCodec.decompress(NodeCodec.compress(medium, 3))).isEqualTo(medium);
    // the block holds the end of the earlier frame: a frame is its own bytes only
    byte[] again = NodeCodec.compress(small, 3);
    assertThat(again).isEqualTo(NodeCodec.compress(small, 3));
    assertThat(NodeCodec.decompress(again)).isEqualTo(small);
  }

  @Test
  void garbageIsRejectedWithAClearError() {
    assertThatThrownBy(() -> NodeCodec.decompress("not zstd at all".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalStateException.class);
    byte[] stored = NodeCodec.compress(EVENT.getBytes(StandardCharsets.UTF_8), 3);
    byte[] truncated = java.util.Arrays.copyOf(stored, stored.length - 5);
    assertThatThrownBy(() -> NodeCodec.decompress(truncated)).isInstanceOf(IllegalStateException.class);
  }
}

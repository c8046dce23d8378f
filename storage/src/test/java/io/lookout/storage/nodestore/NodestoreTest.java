package io.lookout.storage.nodestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodestoreTest {

  @Test
  void nodeIdIsMd5HexOfProjectAndEventId() {
    // python3 -c "import hashlib; print(hashlib.md5(b'42:9ec79c33ec9942ab8353589fcb2e04dc').hexdigest())"
    assertThat(Nodestore.nodeId(42, "9ec79c33ec9942ab8353589fcb2e04dc"))
        .isEqualTo("6cb467f0ac3360327605d69def14c4e7");
  }

  @Test
  void nodeIdIgnoresHyphensAndCaseOfTheEventId() {
    String plain = Nodestore.nodeId(42, "9ec79c33ec9942ab8353589fcb2e04dc");
    assertThat(Nodestore.nodeId(42, "9ec79c33-ec99-42ab-8353-589fcb2e04dc")).isEqualTo(plain);
    assertThat(Nodestore.nodeId(42, "9EC79C33-EC99-42AB-8353-589FCB2E04DC")).isEqualTo(plain);
  }

  @Test
  void nodeIdDependsOnTheProject() {
    assertThat(Nodestore.nodeId(1, "9ec79c33ec9942ab8353589fcb2e04dc"))
        .isNotEqualTo(Nodestore.nodeId(2, "9ec79c33ec9942ab8353589fcb2e04dc"));
  }

  @Test
  void nodeIdRejectsWhatIsNotAUuid() {
    assertThatThrownBy(() -> Nodestore.nodeId(1, "not-an-event-id"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-an-event-id");
    assertThatThrownBy(() -> Nodestore.nodeId(1, "9ec79c33ec9942ab8353589fcb2e04d"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Nodestore.nodeId(1, "9ec79c33ec9942ab8353589fcb2e04dz"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Nodestore.nodeId(1, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nodeOfUsesTheNodeId() {
    Node node = Node.of(7, "9ec79c33-ec99-42ab-8353-589fcb2e04dc", Instant.EPOCH,
        "{}".getBytes(StandardCharsets.UTF_8));
    assertThat(node.id()).isEqualTo(Nodestore.nodeId(7, "9ec79c33ec9942ab8353589fcb2e04dc"));
  }
}

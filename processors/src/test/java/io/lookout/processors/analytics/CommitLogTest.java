package io.lookout.processors.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class CommitLogTest {

  @Test
  void aRecordHasArroyosKeyAndJsonValue() {
    ProducerRecord<byte[], byte[]> record = CommitLog.record("snuba-commit-log",
        new CommitLog.Commit("events", 3, "snuba-consumers", 1234, 1714658607.25));

    assertThat(record.topic()).isEqualTo("snuba-commit-log");
    assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("events:3:snuba-consumers");
    JsonObject value = new JsonObject(new String(record.value(), StandardCharsets.UTF_8));
    assertThat(value.getLong("offset")).isEqualTo(1234L);
    assertThat(value.getDouble("orig_message_ts")).isEqualTo(1714658607.25);
    // a plain float like Python's json.dumps, not 1.71465860725E9
    assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("1714658607.25");
  }

  @Test
  void decodeReadsWhatRecordWrites() {
    ProducerRecord<byte[], byte[]> record = CommitLog.record("log",
        new CommitLog.Commit("transactions", 0, "group:with:colons", 7, 1714658607.0));

    assertThat(CommitLog.decode(record.key(), record.value()))
        .isEqualTo(new CommitLog.Commit("transactions", 0, "group:with:colons", 7, 1714658607.0));
  }

  @Test
  void decodeReadsTheLegacyOffsetOnlyValue() {
    CommitLog.Commit commit = CommitLog.decode("events:1:g".getBytes(StandardCharsets.UTF_8),
        "42".getBytes(StandardCharsets.UTF_8));

    assertThat(commit.offset()).isEqualTo(42L);
    assertThat(commit.origMessageTs()).isNull();
  }

  @Test
  void decodeRejectsWhatIsNotACommit() {
    byte[] value = "{\"offset\": 1, \"orig_message_ts\": 2.0}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> CommitLog.decode("events".getBytes(StandardCharsets.UTF_8), value))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic:partition:group");
    assertThatThrownBy(() -> CommitLog.decode("events:x:g".getBytes(StandardCharsets.UTF_8), value))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitLog.decode("events:0:g".getBytes(StandardCharsets.UTF_8),
        "{\"offset\": 1}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommitLog.decode("events:0:g".getBytes(StandardCharsets.UTF_8),
        "nope".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
  }
}

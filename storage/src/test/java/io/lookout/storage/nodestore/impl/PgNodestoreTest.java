package io.lookout.storage.nodestore.impl;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class PgNodestoreTest {

  @Test
  void partitionNameAndDayRoundTrip() {
    LocalDate day = LocalDate.of(2024, 2, 29);
    assertThat(PgNodestore.partitionName(day)).isEqualTo("nodestore_node_p20240229");
    assertThat(PgNodestore.dayOf("nodestore_node_p20240229")).isEqualTo(day);
  }

  @Test
  void otherTablesAreNotPartitionsOfADay() {
    assertThat(PgNodestore.dayOf("nodestore_node")).isNull();
    assertThat(PgNodestore.dayOf("nodestore_node_pdefault")).isNull();
    assertThat(PgNodestore.dayOf("nodestore_node_p20241340")).isNull();
    assertThat(PgNodestore.dayOf("nodestore_node_p202401011")).isNull();
  }

  @Test
  void daysAreUtc() {
    assertThat(PgNodestore.day(Instant.parse("2024-03-01T23:59:59.999999Z"))).isEqualTo(LocalDate.of(2024, 3, 1));
    assertThat(PgNodestore.day(Instant.parse("2024-03-02T00:00:00Z"))).isEqualTo(LocalDate.of(2024, 3, 2));
    assertThat(PgNodestore.dayEnd(LocalDate.of(2024, 3, 1))).isEqualTo(Instant.parse("2024-03-02T00:00:00Z"));
  }

  @Test
  void timestampsAreTruncatedToMicroseconds() {
    assertThat(PgNodestore.timestamp(Instant.parse("2024-03-01T10:00:00.123456789Z")).toInstant())
        .isEqualTo(Instant.parse("2024-03-01T10:00:00.123456Z"));
  }
}

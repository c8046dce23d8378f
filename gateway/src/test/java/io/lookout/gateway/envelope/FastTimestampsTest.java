package io.lookout.gateway.envelope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class FastTimestampsTest {

  @Test
  void commonShapesParseToTheInstantTheIsoFormatterGives() {
    for (String s : List.of("2025-06-01T12:34:56Z", "2025-06-01T12:34:56.1Z", "2025-06-01T12:34:56.123z",
        "2025-06-01t12:34:56.123456789Z", "2024-02-29T23:59:59.999+02:30", "1999-12-31T00:00:00-05:00",
        "2025-06-01T12:34:56.000001-00:00", "0001-01-01T00:00:00Z", "2025-01-01T00:00:00+17:59")) {
      assertEquals(OffsetDateTime.parse(s).toInstant(), FastTimestamps.parse(s, false), s);
    }
  }

  @Test
  void aSpaceSeparatorIsTakenOnlyWhenAllowed() {
    assertEquals(Instant.parse("2025-06-01T12:34:56.5Z"), FastTimestamps.parse("2025-06-01 12:34:56.5Z", true));
    assertNull(FastTimestamps.parse("2025-06-01 12:34:56.5Z", false));
  }

  @Test
  void otherShapesAndInvalidValuesAreLeftToTheFullParser() {
    for (String s : List.of("2025-06-01T12:34Z", "2025-06-01T12:34:56", "2025-06-01T12:34:56+0200",
        "2025-06-01T12:34:56.Z", "2025-06-01T12:34:56.1234567890Z", "2025-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z", "2025-13-01T00:00:00Z", "2025-06-01T24:00:00Z", "2025-06-01T12:60:00Z",
        "2025-06-01T12:00:60Z", "2025-06-01T12:00:00+18:00", "2025-06-01T12:00:00+01:00:00",
        "2025-06-01X12:00:00Z", "+2025-06-01T12:00:00Z", "2025-06-01T12:00:00ZZ", "2025-6-01T12:00:00Z",
        "2025-06-01T12:00:00+01", "abcd-06-01T12:00:00Z")) {
      assertNull(FastTimestamps.parse(s, true), s);
    }
  }
}

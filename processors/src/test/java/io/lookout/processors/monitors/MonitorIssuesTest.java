package io.lookout.processors.monitors;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class MonitorIssuesTest {

  private static int threshold(Object value) {
    return MonitorIssues.threshold(new JsonObject().put("failure_issue_threshold", value), "failure_issue_threshold");
  }

  @Test
  void aThresholdIsAWholeNumberFromOneToSevenHundredTwentyElseOne() {
    assertThat(MonitorIssues.threshold(new JsonObject(), "failure_issue_threshold")).isEqualTo(1);
    assertThat(threshold(3)).isEqualTo(3);
    assertThat(threshold(2.0)).isEqualTo(2);
    assertThat(threshold(10_000L)).isEqualTo(MonitorIssues.MAX_THRESHOLD);
    assertThat(threshold(0)).isEqualTo(1);
    assertThat(threshold(-4)).isEqualTo(1);
    assertThat(threshold(2.5)).isEqualTo(1);
    assertThat(threshold("3")).isEqualTo(1);
    assertThat(threshold(null)).isEqualTo(1);
  }

  @Test
  void eachIncidentOfAMonitorHasAHashOfItsOwn() {
    assertThat(MonitorIssues.issueHash(7, 100)).matches("[0-9a-f]{32}")
        .isNotEqualTo(MonitorIssues.issueHash(7, 101))
        .isNotEqualTo(MonitorIssues.issueHash(8, 100))
        .isEqualTo(MonitorIssues.issueHash(7, 100));
  }
}

package io.lookout.processors.postprocess;

/** Alerts with {@code pipeline.transport = inline}: the forwarder runs the rules itself. */
class InlineAlertsIT extends AlertsItBase {

  @Override
  boolean inline() {
    return true;
  }
}

package io.lookout.processors.postprocess;

/** Alerts through {@code post_process_errors} tasks on the broker (Redis lists) and a worker. */
class BrokerAlertsIT extends AlertsItBase {

  @Override
  boolean inline() {
    return false;
  }
}

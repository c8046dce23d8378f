package io.lookout.processors.broker;

/**
 * The broker is not connected, or did not confirm in time ({@code publish_timeout_ms}): a publish
 * that fails with this may or may not have landed, so the caller retries (tasks are idempotent).
 */
public class BrokerUnavailableException extends TaskBrokerException {

  public BrokerUnavailableException(String message) {
    super(message);
  }

  public BrokerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.lookout.processors.broker;

/**
 * Too many published tasks are still waiting for the broker's confirm
 * ({@code rabbitmq_max_unconfirmed}): the caller backs off (pauses its input) instead of the
 * broker client buffering without bound.
 */
public class BrokerFullException extends TaskBrokerException {

  public BrokerFullException(String message) {
    super(message);
  }
}

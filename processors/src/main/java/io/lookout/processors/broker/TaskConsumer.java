package io.lookout.processors.broker;

import io.vertx.core.Future;

/** One subscription started by {@link TaskBroker#consume}. */
public interface TaskConsumer {

  /**
   * Stops taking tasks, waits (at most {@code close_timeout_ms}) for the handlers in flight and
   * settles their tasks; tasks still unsettled then go back to the queue for another consumer.
   */
  Future<Void> cancel();

  /** Tasks handed to the handler whose future has not completed yet. */
  int inFlight();
}

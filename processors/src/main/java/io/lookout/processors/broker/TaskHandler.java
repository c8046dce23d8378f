package io.lookout.processors.broker;

import io.vertx.core.Future;

/**
 * Runs one task. The future decides what becomes of it: success acks it; failure (or an exception
 * thrown by {@code handle}) retries it after {@code retry_delay_ms}, until {@code max_attempts},
 * after which it goes to the dead-letter queue. Complete the future only once what the task wrote
 * is durable: an acked task is never delivered again.
 */
@FunctionalInterface
public interface TaskHandler {

  Future<Void> handle(Task task);
}

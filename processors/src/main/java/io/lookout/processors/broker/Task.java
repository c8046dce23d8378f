package io.lookout.processors.broker;

import io.vertx.core.buffer.Buffer;

/**
 * One task as a handler sees it.
 *
 * @param queue the queue it was taken from
 * @param body the bytes that were published, unchanged
 * @param attempt 1 on first delivery, 2 after one failure, and so on (a redelivery after a
 *     worker crash does not count as an attempt: the handler never answered)
 */
public record Task(String queue, Buffer body, int attempt) {
}

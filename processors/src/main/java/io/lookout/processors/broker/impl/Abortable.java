package io.lookout.processors.broker.impl;

import io.vertx.core.Future;

/**
 * A broker that can stop as a crashed process would: connections dropped, nothing acked, released
 * or cleaned up. What it held must come back through the transport's own recovery (RabbitMQ
 * requeues a dead connection's unacked messages; the Redis reaper requeues the tasks of a consumer
 * whose heartbeat expired). Used by tests of that recovery.
 */
public interface Abortable {

  Future<Void> abort();
}

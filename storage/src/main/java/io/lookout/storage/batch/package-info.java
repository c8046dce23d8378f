/**
 * Closes writes into batches: one SQL statement, one ClickHouse INSERT or one Kafka batch per
 * batch instead of one write per event. Every writer of Lookout (nodestore, ClickHouse, outcomes)
 * sits on a {@link io.lookout.storage.batch.Batcher}.
 *
 * <p>The buffer knows nothing of offsets, tasks or acks: the caller holds on to the future that
 * {@link io.lookout.storage.batch.Batcher#add} returns and commits or acks only once it has
 * succeeded, which is how "nothing acknowledged is lost" reaches the writers.
 *
 * <p>Threading: a batcher belongs to one Vert.x context (one event loop). Every method, the timer
 * callbacks of its {@link io.lookout.storage.batch.BatchClock} and the completion of the futures
 * its {@link io.lookout.storage.batch.Flusher} returns must run on that context, so the batcher
 * takes no locks. Vert.x clients called from the context already complete their futures there;
 * a flusher doing blocking work should go through {@code vertx.executeBlocking}, whose future
 * also completes back on the calling context.
 */
package io.lookout.storage.batch;

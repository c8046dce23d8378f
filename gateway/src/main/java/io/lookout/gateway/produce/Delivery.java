package io.lookout.gateway.produce;

import io.vertx.core.Future;

/**
 * What became of records handed to Kafka together ({@link RecordSender#sendAll}). Both futures
 * complete on the context of the caller of {@code sendAll}; {@code acked} never completes after
 * {@code settled}.
 *
 * @param acked succeeds once Kafka acknowledged every record; fails with
 *     {@link ProduceFailedException} as soon as one record failed
 * @param settled succeeds once every record has completed, acknowledged or failed: until then
 *     the Kafka client still holds some of them
 */
public record Delivery(Future<Void> acked, Future<Void> settled) {
}

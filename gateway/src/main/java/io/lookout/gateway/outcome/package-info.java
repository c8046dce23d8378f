/**
 * Outcomes, Relay's record of what became of every item (accepted, filtered, rate limited,
 * invalid, discarded by the client), on the {@code outcomes} topic.
 *
 * <ul>
 *   <li>{@link io.lookout.gateway.outcome.Outcomes} builds them for a request's items, one per
 *       data category with summed quantities;
 *   <li>{@link io.lookout.gateway.outcome.ClientReports} turns the SDK's {@code client_report}
 *       items into outcomes;
 *   <li>{@link io.lookout.gateway.outcome.OutcomeEmitter} batches them to Kafka and never holds
 *       up or fails a request: when it cannot keep up it drops outcomes and counts them.
 * </ul>
 */
package io.lookout.gateway.outcome;

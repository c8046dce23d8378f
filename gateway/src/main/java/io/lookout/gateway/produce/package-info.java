/**
 * The gateway's Kafka side, Relay's store service in processing mode: what an accepted envelope
 * becomes on Kafka, and sending it durably.
 *
 * <ul>
 *   <li>{@link io.lookout.gateway.produce.KafkaRouting} (pure) turns an envelope and its
 *       {@link io.lookout.gateway.produce.ProduceScope} into
 *       {@link io.lookout.gateway.produce.ProducedRecord}s in send order, plus the outcomes that
 *       go with them and the items it could not route
 *       ({@link io.lookout.gateway.produce.RoutedEnvelope}).
 *   <li>{@link io.lookout.gateway.produce.EnvelopeProducer} sends one envelope's records and
 *       succeeds only when Kafka acknowledged all of them ({@code acks=all}); it holds at most
 *       {@code envelope_buffer_size} envelopes and refuses more at once
 *       ({@link io.lookout.gateway.produce.BufferFullException}, a 503).
 *   <li>{@link io.lookout.gateway.produce.RecordSender} is the Kafka producer and its sender thread
 *       underneath, shared with the outcome emitter.
 * </ul>
 *
 * <p>The endpoint's sequence: {@code route} the envelope; emit its
 * {@link io.lookout.gateway.produce.RoutedEnvelope#outcomes()} and the {@code invalid} outcomes of
 * its {@link io.lookout.gateway.produce.RoutedEnvelope#dropped()} items; {@code send} the
 * records; on success emit the
 * {@link io.lookout.gateway.produce.RoutedEnvelope#acceptedOutcomes()} and answer
 * {@code 200 {"id": eventId}}; on {@code BufferFullException} or
 * {@link io.lookout.gateway.produce.ProduceFailedException} answer 503.
 *
 * <p>Where the routing knowingly differs from current Relay:
 * <ul>
 *   <li>raw security and NEL reports are forwarded as event payloads, unconverted (Relay turns
 *       NEL into logs);
 *   <li>unreal reports are dropped ({@code process_unreal}); form data, statsd, metric buckets and
 *       unknown items are dropped without an outcome;
 *   <li>a span sent as plain JSON is forwarded in the v2 flat shape, without Relay's v1 fields;
 *   <li>check-in payloads are forwarded as sent (only the routing key is computed); an unreadable
 *       check-in is dropped without an outcome, as older Relay did;
 *   <li>logs carry no {@code _meta} attributes; sessions are not validated for age;
 *   <li>sessions go to {@code ingest-sessions} as the last Relay that produced them did (current
 *       Relay turns them into metrics); there is no separate billing-outcomes topic.
 * </ul>
 */
package io.lookout.gateway.produce;

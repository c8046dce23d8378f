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
 *   <li>{@link io.lookout.gateway.produce.RecordSender} is the vertx-kafka-client producer
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
 */
package io.lookout.gateway.produce;

/**
 * The Kafka message contracts: what the gateway writes and the processors read, in the exact wire
 * shape Sentry's own parts use, so a real Relay can feed Lookout's processors and Lookout's
 * gateway can feed Sentry's.
 *
 * <ul>
 *   <li>{@link io.lookout.storage.kafka.message.IngestCodec}: the msgpack maps Relay writes to the
 *       {@code ingest-*} topics ({@code relay-server/src/services/store.rs}, serialized with
 *       {@code rmp_serde::to_vec_named}: a map with string keys, a {@code type} tag, msgpack bin for
 *       bytes and nil for {@code None}), as the {@link io.lookout.storage.kafka.message.IngestMessage}
 *       records.
 *   <li>{@link io.lookout.storage.kafka.message.OutcomeCodec}: Relay's {@code TrackRawOutcome} JSON
 *       on {@code outcomes}.
 *   <li>{@link io.lookout.storage.kafka.message.EventStreamCodec}: Sentry's eventstream
 *       {@code [2, "insert", event, state]} JSON on {@code events} and {@code transactions}.
 *   <li>{@link io.lookout.storage.kafka.message.SessionCodec},
 *       {@link io.lookout.storage.kafka.message.SpanCodec}: the JSON Relay writes to
 *       {@code ingest-sessions} and {@code ingest-spans};
 *       {@link io.lookout.storage.kafka.message.TraceItemMessage}: the protobuf bytes on
 *       {@code snuba-items}.
 * </ul>
 *
 * <p>Decoding never trusts its input: anything that is not the expected shape throws
 * {@link io.lookout.storage.kafka.message.InvalidMessageException}, which a consumer sends to its
 * dead-letter topic. Unknown fields are ignored, so a newer producer does not break an older
 * consumer.
 *
 * <p>Records holding {@code byte[]} do not copy them (these are hot-path values, often megabytes):
 * treat them as immutable once handed over. Their {@code equals} compares contents and their
 * {@code toString} prints lengths, never payloads (which carry user data).
 */
package io.lookout.storage.kafka.message;

/**
 * The Sentry envelope format: {@link io.lookout.gateway.envelope.EnvelopeParser} reads a request
 * body as Relay does, {@link io.lookout.gateway.envelope.EnvelopeWriter} writes one, and
 * {@link io.lookout.gateway.envelope.Envelope} / {@link io.lookout.gateway.envelope.EnvelopeItem}
 * hold it in between, with the item types, attachment types, content types and data categories
 * Relay knows.
 *
 * <p>No limits are enforced here (sizes and counts per item type are the limits step's job), but
 * parsing is safe on hostile input: a declared {@code length} is checked against the body before
 * use, header nesting is capped at 128 levels (serde_json's limit; Jackson's own default would be
 * 1000), and the work is linear in the body size.
 */
package io.lookout.gateway.envelope;

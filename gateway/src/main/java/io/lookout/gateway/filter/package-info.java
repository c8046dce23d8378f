/**
 * Inbound data filters as Relay's {@code relay-filter} applies them:
 * {@link io.lookout.gateway.filter.FilterConfig} reads a project's {@code filterSettings} (the JSON
 * of a Sentry project config) and compiles its patterns once;
 * {@link io.lookout.gateway.filter.InboundFilters#check} answers which filter, if any, drops an
 * event, as a {@link io.lookout.gateway.filter.FilterStatKey} whose reason goes into the filtered
 * outcome.
 *
 * <p>Pure functions over the event JSON: no I/O, no clock, nothing resolved over the network.
 */
package io.lookout.gateway.filter;

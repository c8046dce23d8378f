/**
 * Request authentication as Relay does it: {@link io.lookout.gateway.auth.AuthExtractor} finds the
 * one set of credentials a request carries (X-Sentry-Auth, Authorization, query, path key or the
 * envelope's DSN) and answers a {@link io.lookout.gateway.auth.RequestAuth} or an
 * {@link io.lookout.gateway.auth.AuthException} with Relay's status and text;
 * {@link io.lookout.gateway.auth.Dsn} parses and prints DSNs.
 *
 * <p>No I/O and no project state here: whether the key exists, is enabled and belongs to the
 * project of the path is decided later, from the cached project state.
 */
package io.lookout.gateway.auth;

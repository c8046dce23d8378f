package io.lookout.gateway.project;

/**
 * One DSN key of a project, as the gateway needs it on every request.
 *
 * @param rateLimitCount with {@code rateLimitWindow}: at most this many events per window
 *     seconds through this key; both {@code null} for no per-key limit
 */
public record ProjectKey(long keyId, String publicKey, boolean active, Integer rateLimitCount,
    Integer rateLimitWindow) {
}

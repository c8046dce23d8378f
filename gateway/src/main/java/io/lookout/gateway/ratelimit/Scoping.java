package io.lookout.gateway.ratelimit;

/**
 * Who sent the data: the ids a quota can be scoped to (Relay's {@code Scoping}).
 *
 * @param organizationId the project's organization
 * @param projectId the project
 * @param keyId the numeric id of the DSN public key, or null when it is not known (then a key
 *     quota has no sub-scope in its counter, as in Relay)
 */
public record Scoping(long organizationId, long projectId, Long keyId) {

  public Scoping {
    if (organizationId < 0 || projectId < 0 || (keyId != null && keyId < 0)) {
      throw new IllegalArgumentException("ids must not be negative: " + organizationId + "/"
          + projectId + "/" + keyId);
    }
  }

  /** The id of this scoping's instance of {@code scope}; null for global, unknown, or no key id. */
  public Long scopeId(QuotaScope scope) {
    return switch (scope) {
      case ORGANIZATION -> organizationId;
      case PROJECT -> projectId;
      case KEY -> keyId;
      case GLOBAL, UNKNOWN -> null;
    };
  }
}

package io.lookout.gateway.ratelimit;

/**
 * What a quota is counted per: Relay's {@code QuotaScope} ({@code relay-quotas/src/quota.rs}).
 * A quota is enforced separately within each instance of its scope (each project key, each
 * project, ...); a {@link #GLOBAL} quota has one counter for the whole installation.
 */
public enum QuotaScope {
  /** Everything, across organizations (Relay's {@code global}). */
  GLOBAL("global"),
  /** The organization the project belongs to; the default scope. */
  ORGANIZATION("organization"),
  /** One project. */
  PROJECT("project"),
  /** One DSN key of a project. */
  KEY("key"),
  /**
   * A scope this build does not know. As in Relay, its counter has no sub-scope in the key and a
   * rate limit it causes is reported as the most specific scope, {@link #KEY}.
   */
  UNKNOWN("unknown");

  private final String apiName;

  /** The id of {@code scoping}'s instance of this scope; null for global, unknown, or no key id. */
  public Long idOf(io.lookout.gateway.project.Scoping scoping) {
    return switch (this) {
      case ORGANIZATION -> scoping.organizationId();
      case PROJECT -> scoping.projectId();
      case KEY -> scoping.keyId();
      case GLOBAL, UNKNOWN -> null;
    };
  }

  QuotaScope(String apiName) {
    this.apiName = apiName;
  }

  /** The name in quota configs and in {@code X-Sentry-Rate-Limits}. */
  public String apiName() {
    return apiName;
  }

  /** The scope with this name; anything else (or null) is {@link #UNKNOWN}, never an error. */
  public static QuotaScope fromApiName(String name) {
    if (name == null) {
      return UNKNOWN;
    }
    for (QuotaScope scope : values()) {
      if (scope != UNKNOWN && scope.apiName.equals(name)) {
        return scope;
      }
    }
    return UNKNOWN;
  }
}

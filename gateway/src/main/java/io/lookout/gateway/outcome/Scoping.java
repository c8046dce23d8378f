package io.lookout.gateway.outcome;

/**
 * Whom a request's data belongs to: Relay's {@code Scoping} (organization, project, DSN key),
 * resolved by the auth step from the project config. Outcomes and Kafka messages carry these ids.
 *
 * @param orgId the organization; 0 when unknown (outcomes then leave {@code org_id} out, as Relay
 *     does for an organization id of 0)
 * @param projectId the project
 * @param keyId the DSN key's id, or null when unknown
 */
public record Scoping(long orgId, long projectId, Long keyId) {

  public Scoping {
    if (orgId < 0) {
      throw new IllegalArgumentException("org_id must be >= 0, got " + orgId);
    }
    if (projectId < 0) {
      throw new IllegalArgumentException("project_id must be >= 0, got " + projectId);
    }
    if (keyId != null && keyId < 0) {
      throw new IllegalArgumentException("key_id must be >= 0, got " + keyId);
    }
  }

  /** The organization as an outcome carries it: null for 0. */
  public Long outcomeOrgId() {
    return orgId == 0 ? null : orgId;
  }
}

package io.lookout.gateway.project;

/**
 * Who a request's data belongs to: the ids that quotas count against and outcomes are recorded for.
 *
 * @param keyId the public key's numeric id; null when unknown
 */
public record Scoping(long organizationId, long projectId, Long keyId) {

  public Scoping {
    if (organizationId < 0 || projectId < 0 || (keyId != null && keyId < 0)) {
      throw new IllegalArgumentException("ids must not be negative: " + organizationId + "/" + projectId + "/" + keyId);
    }
  }

  public static Scoping of(ProjectState state) {
    return new Scoping(state.organizationId(), state.projectId(), state.key().keyId());
  }

  /** The org id as outcomes carry it: Relay leaves out an org id of 0. */
  public Long outcomeOrgId() {
    return organizationId == 0 ? null : organizationId;
  }
}

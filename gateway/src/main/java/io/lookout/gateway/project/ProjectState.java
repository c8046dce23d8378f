package io.lookout.gateway.project;

import io.vertx.core.json.JsonObject;

/**
 * What the gateway knows of the project behind a public key: enough to accept, filter, rate limit
 * and route its data without touching Postgres on the request path.
 *
 * @param options per-project settings (inbound filters in Relay's {@code filterSettings} shape,
 *     quotas, ...); never null
 */
public record ProjectState(long projectId, long organizationId, String slug, boolean active, ProjectKey key,
    JsonObject options) {

  public ProjectState {
    options = options == null ? new JsonObject() : options;
  }

  /** True when both the project and the key take data. */
  public boolean accepting() {
    return active && key.active();
  }
}

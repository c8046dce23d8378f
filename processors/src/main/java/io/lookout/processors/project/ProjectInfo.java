package io.lookout.processors.project;

import io.vertx.core.json.JsonObject;

/**
 * What the processors need to know about a project: its organization (releases, environments and
 * the eventstream are per organization), its slug (short ids) and its options (data scrubbing).
 */
public record ProjectInfo(long id, long organizationId, String slug, boolean active, JsonObject options) {
}

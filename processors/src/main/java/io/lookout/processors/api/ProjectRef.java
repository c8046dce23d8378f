package io.lookout.processors.api;

import io.vertx.sqlclient.Row;

/** A project as the API shows it inside other objects, with the slug of its organization. */
public record ProjectRef(long id, String slug, String name, String platform, long organizationId,
    String organizationSlug) {

  /** From a row with {@code project_id, project_slug, project_name, project_platform, org_id, org_slug}. */
  static ProjectRef of(Row row) {
    return new ProjectRef(row.getLong("project_id"), row.getString("project_slug"), row.getString("project_name"),
        row.getString("project_platform"), row.getLong("org_id"), row.getString("org_slug"));
  }
}

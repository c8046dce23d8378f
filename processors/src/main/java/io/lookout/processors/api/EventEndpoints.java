package io.lookout.processors.api;

import io.lookout.storage.nodestore.Nodestore;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * {@code GET /api/0/issues/{id}/events/latest/} (also under {@code /organizations/{org}/}) and
 * {@code GET /api/0/projects/{org}/{project}/events/{event_id}/}: one stored event, read from the
 * nodestore, in Sentry's event shape ({@link EventSerializer}). The latest event of an issue is the
 * one the save path recorded in {@code groups.latest_event_id}: one primary-key read, one node read.
 */
final class EventEndpoints {

  private final ApiStore store;
  private final Nodestore nodestore;

  EventEndpoints(ApiStore store, Nodestore nodestore) {
    this.store = store;
    this.nodestore = nodestore;
  }

  Future<?> latest(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    return store.issue(IssueDetailsEndpoint.ref(ctx)).compose(row -> {
      String eventId = row.getString("latest_event_id");
      if (eventId == null) {
        throw ApiError.notFound();
      }
      return respond(ctx, row.getLong("project_id"), eventId.strip());
    });
  }

  Future<?> byId(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    String eventId = ApiContext.eventId(ctx.pathParam("event_id"));
    return store.project(ctx.pathParam("org"), ctx.pathParam("project"))
        .compose(project -> respond(ctx, project.id(), eventId));
  }

  private Future<Void> respond(RoutingContext ctx, long projectId, String eventId) {
    return load(projectId, eventId).map(bytes -> {
      JsonObject raw = new JsonObject(Buffer.buffer(bytes));
      ApiContext.ok(ctx, EventSerializer.event(raw, projectId, bytes.length));
      return null;
    });
  }

  /** The stored JSON of the event, or a 404. */
  Future<byte[]> load(long projectId, String eventId) {
    String node = Nodestore.nodeId(projectId, eventId);
    return nodestore.getMany(List.of(node)).map(found -> {
      byte[] bytes = found.get(node);
      if (bytes == null) {
        throw ApiError.notFound();
      }
      return bytes;
    });
  }
}

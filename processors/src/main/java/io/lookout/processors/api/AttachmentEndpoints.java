package io.lookout.processors.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Row;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /api/0/projects/{org}/{project}/events/{event_id}/attachments/} (list) and
 * {@code .../attachments/{attachment_id}/} (one; with {@code ?download=1} its bytes, as Sentry's
 * endpoint, with the stored Content-Type and a Content-Disposition naming the file).
 */
final class AttachmentEndpoints {

  private final ApiStore store;
  private final EventEndpoints events;

  AttachmentEndpoints(ApiStore store, EventEndpoints events) {
    this.store = store;
    this.events = events;
  }

  Future<?> list(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    String eventId = ApiContext.eventId(ctx.pathParam("event_id"));
    return store.project(ctx.pathParam("org"), ctx.pathParam("project"))
        .compose(project -> store.attachments(project.id(), eventId).compose(rows -> {
          JsonArray body = new JsonArray();
          rows.forEach(row -> body.add(attachment(row)));
          // no attachments: an unknown event is a 404 as in Sentry, a known one an empty list
          Future<?> exists = body.isEmpty() ? events.load(project.id(), eventId) : Future.succeededFuture();
          return exists.map(ignored -> {
            ApiContext.ok(ctx, body);
            return null;
          });
        }));
  }

  Future<?> get(RoutingContext ctx) {
    ApiContext.require(ctx, "event:read");
    String eventId = ApiContext.eventId(ctx.pathParam("event_id"));
    long attachmentId = ApiContext.id(ctx.pathParam("attachment_id"));
    String download = ctx.request().getParam("download");
    boolean wantsBytes = download != null && !download.equals("0") && !download.equalsIgnoreCase("false");
    return store.project(ctx.pathParam("org"), ctx.pathParam("project"))
        .compose(project -> store.attachment(project.id(), eventId, attachmentId, wantsBytes))
        .map(row -> {
          if (!wantsBytes) {
            ApiContext.ok(ctx, attachment(row));
            return null;
          }
          Buffer data = row.getBuffer("data");
          String type = row.getString("content_type");
          ctx.response()
              .putHeader(HttpHeaders.CONTENT_TYPE, type == null || type.isBlank() ? "application/octet-stream" : type)
              .putHeader("Content-Disposition", contentDisposition(row.getString("name")))
              .end(data);
          return null;
        });
  }

  /** Sentry's attachment JSON. */
  static JsonObject attachment(Row row) {
    String type = row.getString("content_type");
    return new JsonObject()
        .put("id", Long.toString(row.getLong("id")))
        .put("event_id", row.getString("event_id"))
        .put("type", row.getString("type"))
        .put("name", row.getString("name"))
        .put("mimetype", type)
        .put("dateCreated", ApiJson.date(row.getOffsetDateTime("date_added")))
        .put("size", row.getLong("size"))
        .put("headers", new JsonObject().put("Content-Type", type == null ? "application/octet-stream" : type))
        .put("sha1", row.getString("checksum"));
  }

  /** {@code attachment; filename="..."}, plus RFC 6266's {@code filename*} when the name is not plain ASCII. */
  static String contentDisposition(String name) {
    String base = name == null ? "attachment" : name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'))
        + 1);
    base = String.join(" ", base.strip().split("\\s+"));
    StringBuilder ascii = new StringBuilder();
    boolean plain = true;
    for (char c : base.toCharArray()) {
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        ascii.append('_');
        plain = false;
      } else {
        ascii.append(c);
      }
    }
    String header = "attachment; filename=\"" + (ascii.isEmpty() ? "attachment" : ascii) + "\"";
    if (!plain) {
      header += "; filename*=UTF-8''" + URLEncoder.encode(base, StandardCharsets.UTF_8).replace("+", "%20");
    }
    return header;
  }
}

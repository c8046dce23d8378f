package io.lookout.gateway.endpoint;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.AttachmentType;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.gateway.http.Multipart;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /api/{project_id}/events/{event_id}/attachments/}: multipart files attached to an
 * event sent earlier. Every file becomes an attachment item of that event. Answers 201.
 */
public final class AttachmentsEndpoint {

  private final IngestSupport ingest;

  public AttachmentsEndpoint(IngestSupport ingest) {
    this.ingest = ingest;
  }

  public void handle(HttpServerRequest request, long projectId, String rawEventId) {
    if (request.method() != HttpMethod.POST) {
      Responses.json(request, 405, new JsonObject().put("detail", "method not allowed"));
      return;
    }
    String eventId = EventIds.normalize(rawEventId);
    if (eventId == null) {
      ingest.respondFailure(request, Rejection.badRequest("invalid_event_id", "invalid event id",
          "the event id in the path is not a uuid").exception());
      return;
    }
    RequestAuth auth;
    try {
      auth = IngestSupport.authenticate(request, projectId, null, null);
    } catch (RuntimeException e) {
      ingest.respondFailure(request, e);
      return;
    }
    ingest.readMultipart(request, ingest.limits().maxAttachmentsSize(), "too_large:attachment")
        .compose(multipart -> {
          Envelope envelope = Envelope.create(new JsonObject().put("event_id", eventId));
          for (Multipart.Part part : multipart.files()) {
            envelope.add(attachment(part, AttachmentType.ATTACHMENT));
          }
          return ingest.project(auth, projectId).compose(project -> ingest.process(request, auth, project, envelope));
        })
        .onSuccess(result -> Responses.raw(request, 201, "application/json", Buffer.buffer()))
        .onFailure(err -> ingest.respondFailure(request, err));
  }

  static EnvelopeItem attachment(Multipart.Part part, AttachmentType type) {
    JsonObject header = new JsonObject()
        .put("type", ItemType.ATTACHMENT.wireName())
        .put("attachment_type", type.wireName())
        .put("filename", part.filename() == null || part.filename().isBlank() ? part.name() : part.filename());
    if (part.contentType() != null) {
      header.put("content_type", part.contentType());
    }
    return EnvelopeItem.create(header, part.data());
  }
}

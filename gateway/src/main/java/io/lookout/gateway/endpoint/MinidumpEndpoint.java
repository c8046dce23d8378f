package io.lookout.gateway.endpoint;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.AttachmentType;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.gateway.http.ContentDecoder;
import io.lookout.gateway.http.Multipart;
import io.lookout.gateway.ingest.EnvelopeProcessor;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/{project_id}/minidump/}: native crash reports from Breakpad/Crashpad clients.
 * The minidump comes as the multipart file {@code upload_file_minidump} (other files become
 * attachments, the {@code sentry} field or {@code sentry[key]} fields the event) or as the raw
 * body; gzip and zstd containers are undone. It is stored as an {@code event.minidump} attachment
 * of a stub native event. Answers the hyphenated event id as text; never 429.
 */
public final class MinidumpEndpoint {

  static final String FIELD = "upload_file_minidump";

  private final IngestSupport ingest;

  public MinidumpEndpoint(IngestSupport ingest) {
    this.ingest = ingest;
  }

  public void handle(HttpServerRequest request, long projectId) {
    if (request.method() != HttpMethod.POST) {
      Responses.json(request, 405, new JsonObject().put("detail", "method not allowed"));
      return;
    }
    RequestAuth auth;
    try {
      auth = IngestSupport.authenticate(request, projectId, null, null);
    } catch (RuntimeException e) {
      ingest.respondFailure(request, e);
      return;
    }
    long limit = ingest.limits().maxAttachmentsSize();
    String type = String.valueOf(request.getHeader("Content-Type")).toLowerCase(Locale.ROOT);
    Future<Multipart> parts = type.startsWith("multipart/form-data")
        ? ingest.readMultipart(request, limit, "too_large:attachment")
        : ingest.readBody(request, limit, "too_large:attachment").map(body -> new Multipart(
            List.of(new Multipart.Part(FIELD, "minidump.dmp", "application/x-dmp", body)), MultiMap.caseInsensitiveMultiMap()));
    parts.compose(multipart -> {
          Envelope envelope = envelope(multipart, ingest.limits().maxAttachmentSize());
          String eventId = envelope.eventId().orElseThrow();
          return ingest.project(auth, projectId)
              .compose(project -> ingest.process(request, auth, project, envelope))
              .map(result -> eventId)
              .recover(err -> err instanceof EnvelopeProcessor.RateLimitedException
                  ? Future.succeededFuture(eventId) : Future.failedFuture(err));
        })
        .onSuccess(eventId -> Responses.raw(request, 200, "text/plain", Buffer.buffer(EventIds.hyphenated(eventId))))
        .onFailure(err -> ingest.respondFailure(request, err));
  }

  static Envelope envelope(Multipart multipart, long maxMinidump) {
    Multipart.Part minidump = null;
    List<Multipart.Part> others = new ArrayList<>();
    for (Multipart.Part part : multipart.files()) {
      if (minidump == null && FIELD.equals(part.name())) {
        minidump = part;
      } else {
        others.add(part);
      }
    }
    if (minidump == null) {
      throw Rejection.badRequest("missing_minidump_upload", "missing minidump",
          "no multipart file named " + FIELD).exception();
    }
    Buffer data = unwrap(minidump.data(), maxMinidump);
    String magic = data.length() >= 4 ? data.getString(0, 4) : "";
    if (!magic.equals("MDMP") && !magic.equals("PMDM")) {
      throw Rejection.badRequest("invalid_minidump", "invalid minidump", "the upload is not a minidump").exception();
    }
    JsonObject event = event(multipart.attributes());
    String eventId = EventIds.normalize(event.getString("event_id"));
    if (eventId == null) {
      eventId = EventIds.random();
    }
    event.put("event_id", eventId);
    Envelope envelope = Envelope.create(new JsonObject().put("event_id", eventId));
    envelope.add(EnvelopeItem.create(ItemType.EVENT, event.toBuffer()));
    envelope.add(AttachmentsEndpoint.attachment(new Multipart.Part(minidump.name(),
        minidump.filename() == null ? "minidump.dmp" : minidump.filename(), "application/x-dmp", data),
        AttachmentType.MINIDUMP));
    for (Multipart.Part other : others) {
      envelope.add(AttachmentsEndpoint.attachment(other, AttachmentType.ATTACHMENT));
    }
    return envelope;
  }

  /** The stub event: native, fatal, now; plus what the client sent in {@code sentry} fields. */
  static JsonObject event(MultiMap attributes) {
    JsonObject event = new JsonObject();
    String json = attributes.get("sentry");
    if (json != null) {
      try {
        event = new JsonObject(json);
      } catch (DecodeException e) {
        throw Rejection.badRequest("invalid_json", "invalid event", "the sentry field is not JSON").exception();
      }
    }
    for (Map.Entry<String, String> field : attributes.entries()) {
      String name = field.getKey();
      if (name.startsWith("sentry[") && name.endsWith("]") && name.indexOf('[', 7) < 0) {
        event.put(name.substring(7, name.length() - 1), field.getValue());
      }
    }
    if (!event.containsKey("platform")) {
      event.put("platform", "native");
    }
    if (!event.containsKey("level")) {
      event.put("level", "fatal");
    }
    if (!event.containsKey("timestamp")) {
      event.put("timestamp", Instant.now().getEpochSecond());
    }
    return event;
  }

  /** Undoes a gzip or zstd container around the minidump (Crashpad can compress uploads). */
  static Buffer unwrap(Buffer data, long limit) {
    if (data.length() < 4) {
      return data;
    }
    int b0 = data.getUnsignedByte(0);
    int b1 = data.getUnsignedByte(1);
    String encoding = b0 == 0x1f && b1 == 0x8b ? "gzip"
        : (b0 == 0x28 && b1 == 0xb5 && data.getUnsignedByte(2) == 0x2f && data.getUnsignedByte(3) == 0xfd) ? "zstd"
        : null;
    if (encoding == null) {
      return data;
    }
    try {
      return ContentDecoder.decode(data, encoding, limit);
    } catch (ContentDecoder.TooLargeException e) {
      throw Rejection.tooLarge("too_large:attachment", "payload too large", "decompressed minidump exceeds "
          + limit + " bytes").exception();
    } catch (ContentDecoder.MalformedException | ContentDecoder.UnsupportedEncodingException e) {
      throw Rejection.badRequest("invalid_minidump", "invalid minidump", e.getMessage()).exception();
    }
  }
}

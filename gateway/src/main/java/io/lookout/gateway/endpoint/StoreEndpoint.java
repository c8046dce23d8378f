package io.lookout.gateway.endpoint;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * {@code POST|GET /api/{project_id}/store/} and the legacy {@code /api/store/}: one JSON event
 * (GET: in {@code sentry_data}; old SDKs: base64 of zlib), or an envelope when the Content-Type
 * says so. GET answers a 1x1 gif, as pixel-tracking clients expect.
 */
public final class StoreEndpoint {

  static final Buffer PIXEL = Buffer.buffer(Base64.getDecoder().decode(
      "R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"));

  private final IngestSupport ingest;

  public StoreEndpoint(IngestSupport ingest) {
    this.ingest = ingest;
  }

  public void handle(HttpServerRequest request, Long projectId) {
    boolean get = request.method() == HttpMethod.GET;
    if (!get && request.method() != HttpMethod.POST) {
      Responses.json(request, 405, new JsonObject().put("detail", "method not allowed"));
      return;
    }
    Future<Buffer> body = get
        ? Future.succeededFuture(Buffer.buffer(String.valueOf(request.getParam("sentry_data", ""))))
        : ingest.readBody(request, ingest.limits().maxEventSize(), "too_large:event");
    body.compose(raw -> {
          String contentType = request.getHeader("Content-Type");
          Envelope envelope = contentType != null && contentType.startsWith("application/x-sentry-envelope")
              ? IngestSupport.parseEnvelope(raw)
              : eventEnvelope(decodeEvent(raw));
          RequestAuth auth = IngestSupport.authenticate(request, projectId, null, null);
          return ingest.project(auth, projectId)
              .compose(project -> ingest.process(request, auth, project, envelope));
        })
        .onSuccess(result -> {
          if (get) {
            Responses.raw(request, 200, "image/gif", PIXEL);
          } else {
            IngestSupport.respondAccepted(request, result);
          }
        })
        .onFailure(err -> ingest.respondFailure(request, err));
  }

  static Envelope eventEnvelope(JsonObject event) {
    String eventId = EventIds.normalize(event.getString("event_id"));
    if (eventId == null) {
      eventId = EventIds.random();
    }
    event.put("event_id", eventId);
    ItemType type = "transaction".equals(event.getString("type")) ? ItemType.TRANSACTION : ItemType.EVENT;
    Envelope envelope = Envelope.create(new JsonObject().put("event_id", eventId));
    envelope.add(EnvelopeItem.create(type, event.toBuffer()));
    return envelope;
  }

  /** JSON, or the legacy encoding: base64 of (optionally zlib-compressed) JSON. */
  static JsonObject decodeEvent(Buffer raw) {
    String text = raw.toString(StandardCharsets.UTF_8).trim();
    try {
      if (text.startsWith("{")) {
        return new JsonObject(text);
      }
      byte[] decoded = Base64.getMimeDecoder().decode(text);
      return new JsonObject(Buffer.buffer(inflateIfZlib(decoded)));
    } catch (DecodeException | IllegalArgumentException | ClassCastException | DataFormatException e) {
      throw Rejection.badRequest("invalid_json", "invalid event", "body is not a JSON event: "
          + e.getMessage()).exception();
    }
  }

  private static byte[] inflateIfZlib(byte[] data) throws DataFormatException {
    if (data.length < 2 || (data[0] & 0xff) != 0x78) {
      return data;
    }
    Inflater inflater = new Inflater();
    try {
      inflater.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && inflater.needsInput()) {
          break;
        }
        out.write(chunk, 0, n);
        if (out.size() > 1 << 20) {
          throw new DataFormatException("decoded event exceeds 1 MiB");
        }
      }
      return out.toByteArray();
    } finally {
      inflater.end();
    }
  }
}

package io.lookout.gateway.endpoint;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * {@code POST /api/{project_id}/security/} and {@code /csp-report/}: browser CSP, Expect-CT and
 * Expect-Staple reports, forwarded as a {@code raw_security} item. {@code sentry_release} and
 * {@code sentry_environment} in the query become item headers, as in Relay. Answers 201.
 */
public final class SecurityEndpoint {

  private final IngestSupport ingest;

  public SecurityEndpoint(IngestSupport ingest) {
    this.ingest = ingest;
  }

  public void handle(HttpServerRequest request, long projectId) {
    if (request.method() != HttpMethod.POST) {
      Responses.json(request, 405, new JsonObject().put("detail", "method not allowed"));
      return;
    }
    ingest.readBody(request, ingest.limits().maxEventSize(), "too_large:security")
        .compose(body -> {
          try {
            body.toJsonObject(); // reject what is not a JSON report here, with its own answer
          } catch (DecodeException | ClassCastException e) {
            throw Rejection.badRequest("security_report", "invalid security report", "body is not a JSON object")
                .exception();
          }
          RequestAuth auth = IngestSupport.authenticate(request, projectId, null, null);
          String eventId = EventIds.random();
          JsonObject header = new JsonObject().put("type", ItemType.RAW_SECURITY.wireName());
          String contentType = request.getHeader("Content-Type");
          if (contentType != null) {
            header.put("content_type", contentType);
          }
          putIfPresent(header, "sentry_release", request.getParam("sentry_release"));
          putIfPresent(header, "sentry_environment", request.getParam("sentry_environment"));
          Envelope envelope = Envelope.create(new JsonObject().put("event_id", eventId));
          envelope.add(EnvelopeItem.create(header, body));
          return ingest.project(auth, projectId).compose(project -> ingest.process(request, auth, project, envelope));
        })
        .onSuccess(result -> Responses.raw(request, 201, "application/json", io.vertx.core.buffer.Buffer.buffer()))
        .onFailure(err -> ingest.respondFailure(request, err));
  }

  private static void putIfPresent(JsonObject header, String key, String value) {
    if (value != null && !value.isBlank()) {
      header.put(key, value);
    }
  }
}

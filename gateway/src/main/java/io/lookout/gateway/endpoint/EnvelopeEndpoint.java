package io.lookout.gateway.endpoint;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.Envelope;
import io.vertx.core.http.HttpServerRequest;

/** {@code POST /api/{project_id}/envelope/}: what every current SDK sends. */
public final class EnvelopeEndpoint {

  private final IngestSupport ingest;

  public EnvelopeEndpoint(IngestSupport ingest) {
    this.ingest = ingest;
  }

  public void handle(HttpServerRequest request, long projectId) {
    ingest.readBody(request, ingest.limits().maxEnvelopeSize(), "too_large:envelope")
        .compose(body -> {
          Envelope envelope = IngestSupport.parseEnvelope(body);
          RequestAuth auth = IngestSupport.authenticate(request, projectId, null,
              () -> envelope.dsn().orElse(null));
          return ingest.project(auth, projectId)
              .compose(project -> ingest.process(request, auth, project, envelope));
        })
        .onSuccess(result -> IngestSupport.respondAccepted(request, result))
        .onFailure(err -> ingest.respondFailure(request, err));
  }
}

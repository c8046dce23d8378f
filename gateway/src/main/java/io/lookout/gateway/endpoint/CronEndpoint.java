package io.lookout.gateway.endpoint;

import io.lookout.gateway.auth.RequestAuth;
import io.lookout.gateway.envelope.Envelope;
import io.lookout.gateway.envelope.EnvelopeItem;
import io.lookout.gateway.envelope.ItemType;
import io.lookout.gateway.ingest.EnvelopeProcessor;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET|POST /api/{project_id}/cron/{monitor_slug}/[{sentry_key}/]}: a check-in from a
 * plain HTTP call (curl in a crontab). Query: {@code status} (in_progress, ok, error),
 * {@code check_in_id}, {@code environment}, {@code duration} (ms); a POST body may carry the same
 * fields and a {@code monitor_config}. Answers 202 and, like Relay, never 429.
 */
public final class CronEndpoint {

  private static final Set<String> STATUSES = Set.of("in_progress", "ok", "error");

  private final IngestSupport ingest;

  public CronEndpoint(IngestSupport ingest) {
    this.ingest = ingest;
  }

  public void handle(HttpServerRequest request, long projectId, String slug, String pathKey) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.POST) {
      Responses.json(request, 405, new JsonObject().put("detail", "method not allowed"));
      return;
    }
    Future<Buffer> body = request.method() == HttpMethod.POST
        ? ingest.readBody(request, ingest.limits().maxCheckInSize(), "too_large:check_in")
        : Future.succeededFuture(Buffer.buffer());
    body.compose(raw -> {
          JsonObject checkIn = checkIn(request, slug, raw);
          RequestAuth auth = IngestSupport.authenticate(request, projectId, pathKey, null);
          Envelope envelope = Envelope.create(new JsonObject());
          envelope.add(EnvelopeItem.create(ItemType.CHECK_IN, checkIn.toBuffer()));
          return ingest.project(auth, projectId).compose(project -> ingest.process(request, auth, project, envelope))
              .map(result -> checkIn.getString("check_in_id"));
        })
        .recover(err -> err instanceof EnvelopeProcessor.RateLimitedException
            ? Future.succeededFuture(null) : Future.failedFuture(err))
        .onSuccess(id -> Responses.json(request, 202, new JsonObject()))
        .onFailure(err -> ingest.respondFailure(request, err));
  }

  static JsonObject checkIn(HttpServerRequest request, String slug, Buffer raw) {
    JsonObject fromBody = new JsonObject();
    if (raw.length() > 0) {
      try {
        fromBody = raw.toJsonObject();
      } catch (DecodeException | ClassCastException e) {
        throw Rejection.badRequest("invalid_json", "invalid check-in", "body is not a JSON object").exception();
      }
    }
    String status = param(request, fromBody, "status");
    if (status == null || !STATUSES.contains(status)) {
      throw Rejection.badRequest("invalid_check_in", "invalid check-in",
          "status must be one of in_progress, ok, error").exception();
    }
    String checkInId = param(request, fromBody, "check_in_id");
    if (checkInId == null) {
      checkInId = UUID.randomUUID().toString();
    } else if (EventIds.normalize(checkInId) == null) {
      throw Rejection.badRequest("invalid_check_in", "invalid check-in", "check_in_id must be a uuid").exception();
    }
    JsonObject checkIn = new JsonObject()
        .put("check_in_id", EventIds.hyphenated(EventIds.normalize(checkInId)))
        .put("monitor_slug", slug)
        .put("status", status);
    String environment = param(request, fromBody, "environment");
    if (environment != null) {
      checkIn.put("environment", environment);
    }
    String duration = param(request, fromBody, "duration");
    if (duration != null) {
      try {
        checkIn.put("duration", Double.parseDouble(duration) / 1000.0); // ms in, seconds in the check-in
      } catch (NumberFormatException e) {
        throw Rejection.badRequest("invalid_check_in", "invalid check-in", "duration must be a number").exception();
      }
    }
    if (fromBody.getValue("monitor_config") instanceof JsonObject config) {
      checkIn.put("monitor_config", config);
    }
    return checkIn;
  }

  private static String param(HttpServerRequest request, JsonObject body, String name) {
    String value = request.getParam(name);
    if (value == null && body.getValue(name) != null) {
      value = String.valueOf(body.getValue(name));
    }
    return value == null || value.isBlank() ? null : value;
  }
}

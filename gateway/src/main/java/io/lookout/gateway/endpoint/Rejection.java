package io.lookout.gateway.endpoint;

import io.lookout.storage.kafka.message.OutcomeType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Why a request was turned away: one value that maps to both the HTTP answer
 * ({@code status} + {@code {"detail", "causes"}}) and the outcome recorded for the data it carried.
 * Endpoints fail their futures with it; {@link Responses} writes it.
 *
 * @param outcome what the dropped data counts as, or {@code null} when nothing is recorded
 *     (e.g. overload: the SDK retries, so the data is not lost yet)
 * @param reason the outcome's reason code (Relay's discard reason, e.g. {@code too_large})
 */
public record Rejection(int status, String detail, List<String> causes, OutcomeType outcome, String reason) {

  public Rejection {
    causes = List.copyOf(causes);
  }

  public static Rejection invalid(int status, String reason, String detail, String... causes) {
    return new Rejection(status, detail, List.of(causes), OutcomeType.INVALID, reason);
  }

  public static Rejection badRequest(String reason, String detail, String... causes) {
    return invalid(400, reason, detail, causes);
  }

  public static Rejection tooLarge(String reason, String detail, String... causes) {
    return invalid(413, reason, detail, causes);
  }

  /** Overload: no outcome, the SDK keeps the data and retries. */
  public static Rejection unavailable(String detail, String... causes) {
    return new Rejection(503, detail, List.of(causes), null, null);
  }

  public JsonObject body() {
    JsonObject body = new JsonObject().put("detail", detail);
    if (!causes.isEmpty()) {
      body.put("causes", new JsonArray(List.copyOf(causes)));
    }
    return body;
  }

  /** The Throwable form, for failing a Future; carries no stack trace (it is an answer, not a bug). */
  public RejectedException exception() {
    return new RejectedException(this);
  }

  /** Fails a request's future with a {@link Rejection}. */
  public static final class RejectedException extends RuntimeException {

    private final transient Rejection rejection;

    RejectedException(Rejection rejection) {
      super(rejection.status() + " " + rejection.detail(), null, false, false);
      this.rejection = rejection;
    }

    public Rejection rejection() {
      return rejection;
    }
  }
}

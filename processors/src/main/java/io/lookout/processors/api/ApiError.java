package io.lookout.processors.api;

/**
 * A request the API answers with a 4xx and Sentry's {@code {"detail": ...}} body. Thrown (or failed
 * with) anywhere in a route; the server's failure handler turns it into the response. Anything else
 * that fails a request becomes a 500 without details, logged at ERROR.
 */
public final class ApiError extends RuntimeException {

  /** Sentry's wording, so clients that match on it keep working. */
  public static final String NOT_FOUND = "The requested resource does not exist";
  public static final String NO_CREDENTIALS = "Authentication credentials were not provided.";
  public static final String INVALID_TOKEN = "Invalid token";
  public static final String NO_PERMISSION = "You do not have permission to perform this action.";

  private final int status;

  public ApiError(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String detail() {
    return getMessage();
  }

  public static ApiError notFound() {
    return new ApiError(404, NOT_FOUND);
  }

  public static ApiError badRequest(String detail) {
    return new ApiError(400, detail);
  }
}

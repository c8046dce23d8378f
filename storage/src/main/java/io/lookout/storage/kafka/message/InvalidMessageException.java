package io.lookout.storage.kafka.message;

/**
 * A Kafka message that cannot be decoded: not the expected encoding, an unknown type, a missing
 * required field or a field of the wrong type. Retrying cannot help, so a consumer sends the
 * message to its dead-letter topic and commits past it. The message says what was wrong, never
 * what the payload contained.
 */
public final class InvalidMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public InvalidMessageException(String message) {
    super(message);
  }

  public InvalidMessageException(String message, Throwable cause) {
    super(message, cause);
  }
}

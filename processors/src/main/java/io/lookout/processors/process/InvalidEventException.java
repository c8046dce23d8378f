package io.lookout.processors.process;

/**
 * An event that can never be processed (its payload is not a JSON object, its project does not
 * exist): retrying cannot help, so it goes to the dead-letter topic or queue.
 */
public final class InvalidEventException extends RuntimeException {

  public InvalidEventException(String message) {
    super(message, null, false, false);
  }
}

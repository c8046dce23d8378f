package io.lookout.processors.broker;

/** The broker could not do what was asked; the subclass says whether waiting would help. */
public class TaskBrokerException extends RuntimeException {

  public TaskBrokerException(String message) {
    super(message);
  }

  public TaskBrokerException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.lookout.gateway.produce;

/**
 * Kafka did not acknowledge a record (delivery timeout, metadata or buffer wait over
 * {@code max_block_ms}, broker error); the cause is the Kafka client's exception. The envelope is
 * not known to be durable: the endpoint answers 503 so that the SDK retries.
 */
public final class ProduceFailedException extends RuntimeException {

  private final String topic;

  public ProduceFailedException(String topic, Throwable cause) {
    super("failed to produce to " + topic + ": " + cause.getMessage(), cause);
    this.topic = topic;
  }

  /** The topic of the record that failed. */
  public String topic() {
    return topic;
  }
}

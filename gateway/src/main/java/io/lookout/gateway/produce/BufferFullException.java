package io.lookout.gateway.produce;

/**
 * {@link ProducerConfig#envelopeBufferSize()} envelopes already await their acks; this one was not
 * sent. The endpoint answers 503 {@code {"detail":"failed to queue envelope","causes":[...]}}, as
 * Relay does when its envelope buffer is full. Stackless: under an outage it is made for every
 * request.
 */
public final class BufferFullException extends RuntimeException {

  /** Relay's cause text for a full envelope buffer. */
  public static final String MESSAGE = "envelope buffer capacity exceeded";

  private final int capacity;

  public BufferFullException(int capacity) {
    super(MESSAGE, null, false, false);
    this.capacity = capacity;
  }

  /** The bound that was reached. */
  public int capacity() {
    return capacity;
  }
}

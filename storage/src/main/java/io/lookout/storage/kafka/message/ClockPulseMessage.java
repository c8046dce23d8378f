package io.lookout.storage.kafka.message;

/**
 * {@code {"message_type": "clock_pulse"}} on {@code ingest-monitors}: not from Relay but from
 * Sentry's monitors clock, to mark minute boundaries when check-ins are quiet. Decoded so that a
 * consumer sharing the topic with Sentry can skip it instead of dead-lettering it.
 */
public record ClockPulseMessage() implements IngestMessage {

  public static final String TYPE = "clock_pulse";

  @Override
  public String type() {
    return TYPE;
  }
}

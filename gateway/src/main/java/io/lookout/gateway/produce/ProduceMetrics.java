package io.lookout.gateway.produce;

/** Names of the gateway's Kafka produce meters, with their tags. */
public final class ProduceMetrics {

  /** Tag: the topic written (its real name). */
  public static final String TAG_TOPIC = "topic";

  /** Tag: {@code ok} or {@code failed}. */
  public static final String TAG_RESULT = "result";

  /**
   * Gauge, envelopes handed to Kafka and not yet acknowledged; bounded by
   * {@link ProducerConfig#envelopeBufferSize()}. No tags.
   */
  public static final String BUFFERED_ENVELOPES = "gateway.kafka.buffered_envelopes";

  /**
   * Timer, from handing an envelope's records to Kafka until the last one completed. Tags:
   * {@value #TAG_RESULT}.
   */
  public static final String LATENCY = "gateway.kafka.produce.latency";

  /** Counter, records Kafka did not acknowledge (timeout, broker error). Tags: {@value #TAG_TOPIC}. */
  public static final String FAILED = "gateway.kafka.produce.failed";

  /**
   * Gauge, groups of records waiting for the sender thread to hand them to the Kafka client;
   * bounded by {@link ProducerConfig#sendQueueSize()}. No tags.
   */
  public static final String SEND_QUEUE = "gateway.kafka.send_queue";

  /** Counter, envelopes refused because the envelope buffer was full. No tags. */
  public static final String REJECTED = "gateway.kafka.produce.rejected";

  private ProduceMetrics() {
  }
}

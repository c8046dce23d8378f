package io.lookout.gateway.produce;

import io.lookout.storage.kafka.message.Outcome;
import java.util.List;

/**
 * What {@link KafkaRouting#route} made of an envelope.
 *
 * @param eventId the event id the records carry: the envelope's, or a new one when an item needs
 *     an event and the envelope had none (the endpoint answers {@code {"id": eventId}}); null when
 *     no item needs one and the envelope had none
 * @param records the records to send, in order: attachment chunks come before the event that
 *     refers to them
 * @param outcomes outcomes that hold whatever happens to the records: the SDK's own from
 *     {@code client_report} items and {@code invalid} ones for parts of items that could not be
 *     routed (one bad log of a container); emit them now
 * @param acceptedOutcomes the {@code accepted} outcomes Relay emits itself once the records are in
 *     Kafka (span, log and trace-metric counts, which go from Relay straight to storage); emit
 *     them only after the send succeeded
 * @param dropped items that produced no record at all
 */
public record RoutedEnvelope(
    String eventId,
    List<ProducedRecord> records,
    List<Outcome> outcomes,
    List<Outcome> acceptedOutcomes,
    List<DroppedItem> dropped) {

  public RoutedEnvelope {
    records = List.copyOf(records);
    outcomes = List.copyOf(outcomes);
    acceptedOutcomes = List.copyOf(acceptedOutcomes);
    dropped = List.copyOf(dropped);
  }
}

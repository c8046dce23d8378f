package io.lookout.storage.kafka.message;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * {@code [2, "insert", event, state]}: a saved event, as Sentry's
 * {@code SnubaProtocolEventStream.insert} writes it after {@code save_event}.
 *
 * @param event the third element: the event row for Snuba
 * @param state the fourth element: what the post-process forwarder needs to schedule
 *     {@code post_process_group}
 */
public record EventStreamInsert(Event event, State state) implements EventStreamMessage {

  public static final String OPERATION = "insert";

  /** The post-process queue Sentry uses for errors, and the forwarder's default. */
  public static final String QUEUE_POST_PROCESS_ERRORS = "post_process_errors";

  /** The post-process queue Sentry uses for transactions. */
  public static final String QUEUE_POST_PROCESS_TRANSACTIONS = "post_process_transactions";

  public EventStreamInsert {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(state, "state");
  }

  @Override
  public int version() {
    return VERSION;
  }

  @Override
  public String operation() {
    return OPERATION;
  }

  /**
   * The event object, keys in Sentry's order: {@code group_id, group_ids, event_id,
   * organization_id, project_id, message, platform, datetime, data, primary_hash, retention_days,
   * occurrence_id, occurrence_data}. Every key is written, null when there is no value (a
   * transaction has no group or primary hash).
   *
   * @param eventId 32 hex digits
   * @param message Sentry's {@code search_message}: the text Snuba indexes for search
   * @param datetime the event's timestamp; written as {@code 2024-05-02T14:03:27.123456Z}, so kept
   *     to the microsecond
   * @param data the normalized event JSON, as stored in nodestore
   * @param occurrenceData the issue occurrence for issue-platform events; empty otherwise
   */
  public record Event(
      String eventId,
      long projectId,
      Long organizationId,
      Long groupId,
      List<Long> groupIds,
      String message,
      String platform,
      Instant datetime,
      JsonObject data,
      String primaryHash,
      Integer retentionDays,
      String occurrenceId,
      JsonObject occurrenceData) {

    public Event {
      eventId = EventIds.normalize(eventId);
      EventMessage.requireNonNegative("project_id", projectId);
      groupIds = groupIds == null ? List.of() : List.copyOf(groupIds);
      datetime = Objects.requireNonNull(datetime, "datetime").truncatedTo(ChronoUnit.MICROS);
      Objects.requireNonNull(data, "data");
      occurrenceData = occurrenceData == null ? new JsonObject() : occurrenceData;
    }
  }

  /**
   * The state object: {@code is_new, is_regression, is_new_group_environment, queue,
   * skip_consume, group_states}.
   *
   * @param queue the post-process queue, e.g. {@value #QUEUE_POST_PROCESS_ERRORS}; null lets the
   *     forwarder pick its default
   * @param skipConsume true when no post-processing should happen (e.g. reprocessing)
   * @param groupStates one entry per group for events in several groups, or null
   */
  public record State(
      boolean isNew,
      boolean isRegression,
      boolean isNewGroupEnvironment,
      String queue,
      boolean skipConsume,
      List<GroupState> groupStates) {

    public State {
      groupStates = groupStates == null ? null : List.copyOf(groupStates);
    }
  }

  /** One entry of {@code group_states} ({@code GroupState} in {@code sentry/eventstream/base.py}). */
  public record GroupState(
      long id, boolean isNew, boolean isRegression, boolean isNewGroupEnvironment) {
  }
}

package io.lookout.processors.broker;

import java.util.List;
import java.util.regex.Pattern;

/** The pipeline's queues, named as Sentry's Celery queues are, and the rule every queue name follows. */
public final class TaskQueues {

  public static final String PROCESS_EVENT = "events.process_event";
  public static final String SYMBOLICATE_EVENT = "events.symbolicate_event";
  public static final String SAVE_EVENT = "events.save_event";
  public static final String SAVE_EVENT_TRANSACTION = "events.save_event_transaction";
  public static final String POST_PROCESS_ERRORS = "post_process_errors";

  public static final List<String> ALL =
      List.of(PROCESS_EVENT, SYMBOLICATE_EVENT, SAVE_EVENT, SAVE_EVENT_TRANSACTION, POST_PROCESS_ERRORS);

  /** Suffix of the queue that holds the tasks which failed {@code max_attempts} times. */
  public static final String DEAD_SUFFIX = ".dead";

  // no ':' (the Redis transport builds keys from the name) and no AMQP-reserved "amq." start
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,199}");

  private TaskQueues() {
  }

  public static String deadLetterQueue(String queue) {
    return queue + DEAD_SUFFIX;
  }

  /** @throws IllegalArgumentException when the name could not be used as a queue on both transports */
  public static String requireValid(String queue) {
    if (queue == null || !NAME.matcher(queue).matches() || queue.startsWith("amq.")) {
      throw new IllegalArgumentException("invalid queue name '" + queue
          + "': letters, digits, '_', '.', '-' only, at most 200, not starting with 'amq.'");
    }
    return queue;
  }
}

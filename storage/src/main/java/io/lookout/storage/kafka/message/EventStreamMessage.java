package io.lookout.storage.kafka.message;

/**
 * A message of Sentry's eventstream protocol on {@code events} and {@code transactions}: a JSON
 * array {@code [version, operation, ...]} ({@code sentry/eventstream/snuba.py}, version 2). Snuba's
 * errors and transactions consumers write inserts to ClickHouse; the post-process forwarder turns
 * inserts into {@code post_process_*} tasks. {@link EventStreamCodec} reads and writes them.
 */
public sealed interface EventStreamMessage permits EventStreamInsert, EventStreamOperation {

  /** The protocol version Sentry writes. */
  int VERSION = 2;

  /** The first element: 2 (1 is the older format with the same insert shape). */
  int version();

  /** The second element: {@code insert}, or a replacement such as {@code start_delete_groups}. */
  String operation();
}

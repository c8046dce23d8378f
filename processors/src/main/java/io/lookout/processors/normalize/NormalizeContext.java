package io.lookout.processors.normalize;

import java.time.Instant;
import java.util.Objects;

/**
 * What normalization knows about one event besides its payload.
 *
 * @param projectId the project the event belongs to
 * @param eventId 32 hex digits from the Kafka message; it wins over the payload's own id
 * @param receivedAt when the gateway received the event (the message's {@code start_time})
 * @param remoteAddr the client's IP address, or null
 * @param sentAt the envelope's {@code sent_at}, or null when unknown
 * @param options the project's normalization options (null means {@link ProjectOptions#defaults()})
 */
public record NormalizeContext(long projectId, String eventId, Instant receivedAt, String remoteAddr,
    Instant sentAt, ProjectOptions options) {

  public NormalizeContext {
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (options == null) {
      options = ProjectOptions.defaults();
    }
  }
}

package io.lookout.gateway.produce;

import io.lookout.gateway.project.Scoping;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link KafkaRouting} needs to know about a request besides its envelope: whose data it is,
 * who sent it, when it arrived and how long to keep it.
 *
 * @param remoteAddr the client IP (event messages and outcomes carry it), or null
 * @param receivedAt when the request arrived: {@code start_time} / {@code received} of the
 *     messages and the time of their outcomes
 * @param retentionDays the project's event retention (Relay's default is
 *     {@value #DEFAULT_RETENTION_DAYS})
 * @param downsampledRetentionDays retention of downsampled span data; Relay uses the event
 *     retention unless the project says otherwise
 * @param client the SDK's {@code sentry_client} string from the auth header (check-ins and
 *     sessions carry it as {@code sdk}), or null
 */
public record ProduceScope(
    Scoping scoping,
    String remoteAddr,
    Instant receivedAt,
    int retentionDays,
    int downsampledRetentionDays,
    String client) {

  /** Relay's {@code DEFAULT_EVENT_RETENTION}. */
  public static final int DEFAULT_RETENTION_DAYS = 90;

  public ProduceScope {
    Objects.requireNonNull(scoping, "scoping");
    Objects.requireNonNull(receivedAt, "receivedAt");
    requireRetention("retention_days", retentionDays);
    requireRetention("downsampled_retention_days", downsampledRetentionDays);
  }

  /** A scope with the default retention and no client string. */
  public static ProduceScope of(Scoping scoping, String remoteAddr, Instant receivedAt) {
    return new ProduceScope(scoping, remoteAddr, receivedAt, DEFAULT_RETENTION_DAYS,
        DEFAULT_RETENTION_DAYS, null);
  }

  public ProduceScope withRetention(int days, int downsampledDays) {
    return new ProduceScope(scoping, remoteAddr, receivedAt, days, downsampledDays, client);
  }

  public ProduceScope withClient(String newClient) {
    return new ProduceScope(scoping, remoteAddr, receivedAt, retentionDays,
        downsampledRetentionDays, newClient);
  }

  /**
   * Relay's {@code safe_timestamp}: unix seconds of {@link #receivedAt}, or of now if that is
   * before 1970.
   */
  public long receivedSeconds() {
    long secs = receivedAt.getEpochSecond();
    return secs >= 0 ? secs : Instant.now().getEpochSecond();
  }

  private static void requireRetention(String name, int days) {
    if (days < 0 || days > 0xFFFF) {
      throw new IllegalArgumentException(name + " must be within 0..65535, got " + days);
    }
  }
}

package io.lookout.processors.cleanup;

import static io.lookout.storage.config.Conf.bool;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.DateTimeException;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Retention ({@code processors.json: cleanup}).
 *
 * @param retentionDays data older than this many days is deleted (the default of
 *     {@code bin/lookout cleanup --days})
 * @param scheduled whether the processors run the cleanup themselves every day
 * @param dailyAt the wall-clock time of the daily run, {@code HH:mm}
 * @param timezone the time zone of {@code dailyAt}
 * @param batchSize the most rows one DELETE statement removes, so each statement's locks are short
 *     while ingest runs
 * @param blobGraceMinutes an attachment body no attachment refers to is deleted only once it is
 *     this old, so a save that is about to refer to it again does not lose it
 */
public record CleanupConfig(int retentionDays, boolean scheduled, LocalTime dailyAt, ZoneId timezone, int batchSize,
    int blobGraceMinutes) {

  public CleanupConfig {
    positive("cleanup.retention_days", retentionDays);
    positive("cleanup.batch_size", batchSize);
    if (blobGraceMinutes < 0) {
      throw new ConfigException("'cleanup.blob_grace_minutes' must be >= 0");
    }
    if (dailyAt == null || timezone == null) {
      throw new ConfigException("'cleanup.daily_at' and 'cleanup.timezone' must be set");
    }
  }

  public static CleanupConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    String at = string(j, "daily_at", "03:00");
    LocalTime dailyAt;
    try {
      dailyAt = LocalTime.parse(at);
    } catch (DateTimeParseException e) {
      throw new ConfigException("'cleanup.daily_at' must be a time HH:mm, got '" + at + "'");
    }
    String tz = string(j, "timezone", "UTC");
    ZoneId zone;
    try {
      zone = ZoneId.of(tz);
    } catch (DateTimeException e) {
      throw new ConfigException("'cleanup.timezone' is not a time zone: '" + tz + "'");
    }
    return new CleanupConfig(integer(j, "retention_days", 90), bool(j, "scheduled", true), dailyAt, zone,
        integer(j, "batch_size", 1000), integer(j, "blob_grace_minutes", 60));
  }
}

package io.lookout.processors.grouping;

import static io.lookout.storage.config.Conf.bool;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.positive;

import io.vertx.core.json.JsonObject;

/**
 * Grouping settings ({@code processors.json: grouping}). The defaults are Sentry's
 * ({@code newstyle:2023-01-11}, {@code eventtypes}, {@code MAX_CULPRIT_LENGTH}).
 *
 * @param maxFrames frames of one stack trace considered, counted from the crashing frame (Relay
 *     keeps 250 anyway); older frames are ignored
 * @param titleValueMaxLength the exception value (or message) in a title is cut to this many
 *     characters, {@code "..."} included
 * @param culpritMaxLength the culprit is cut to this many characters
 * @param metadataValueMaxLength {@code metadata.value} is cut to this many characters
 * @param metadataTypeMaxLength {@code metadata.type} is cut to this many characters
 * @param culpritPrefersTransaction when true the event's {@code transaction} beats the crashing
 *     frame as culprit, exactly as Sentry's {@code get_culprit}; when false (default) the frame
 *     wins and the transaction is only the fallback
 */
public record GroupingConfig(
    int maxFrames,
    int titleValueMaxLength,
    int culpritMaxLength,
    int metadataValueMaxLength,
    int metadataTypeMaxLength,
    boolean culpritPrefersTransaction) {

  public GroupingConfig {
    positive("grouping.max_frames", maxFrames);
    atLeast("grouping.title_value_max_length", titleValueMaxLength);
    atLeast("grouping.culprit_max_length", culpritMaxLength);
    atLeast("grouping.metadata_value_max_length", metadataValueMaxLength);
    atLeast("grouping.metadata_type_max_length", metadataTypeMaxLength);
  }

  public static GroupingConfig defaults() {
    return new GroupingConfig(250, 100, 200, 1024, 128, true);
  }

  public static GroupingConfig fromJson(JsonObject json) {
    JsonObject section = json == null ? new JsonObject() : json;
    GroupingConfig d = defaults();
    return new GroupingConfig(
        integer(section, "max_frames", d.maxFrames()),
        integer(section, "title_value_max_length", d.titleValueMaxLength()),
        integer(section, "culprit_max_length", d.culpritMaxLength()),
        integer(section, "metadata_value_max_length", d.metadataValueMaxLength()),
        integer(section, "metadata_type_max_length", d.metadataTypeMaxLength()),
        bool(section, "culprit_prefers_transaction", d.culpritPrefersTransaction()));
  }

  // "..." needs room, so lengths below 4 make no sense
  private static void atLeast(String key, int value) {
    if (value < 4) {
      throw new io.lookout.storage.config.ConfigException(
          "'" + key + "' must be at least 4, got " + value);
    }
  }
}

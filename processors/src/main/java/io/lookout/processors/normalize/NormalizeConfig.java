package io.lookout.processors.normalize;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;

import io.vertx.core.json.JsonObject;

/**
 * Limits of the {@code process_event} normalization ({@code processors.json: normalize}).
 * Defaults follow Relay's store normalization where Relay has a number.
 *
 * @param maxFrames frames kept per stack trace; longer ones keep both ends and record {@code frames_omitted}
 *     (Relay's hard limit is 250)
 * @param maxBreadcrumbs newest breadcrumbs kept (Sentry's SENTRY_MAX_BREADCRUMBS, 100)
 * @param maxStringLength characters kept of any string without a field limit of its own
 * @param maxDatabagDepth nesting kept in databags (extra, contexts, request data, breadcrumb data, frame vars)
 * @param maxDatabagBreadth entries kept per object or array inside a databag
 * @param maxTagKeyLength longer tag keys are dropped (Relay: 200)
 * @param maxTagValueLength longer tag values are dropped (Relay: 200)
 * @param maxClockDriftMs an envelope {@code sent_at} this far from the receive time shifts all timestamps
 *     (Relay: 55 minutes)
 * @param maxPastAgeMs older timestamps are replaced by the receive time (Relay's max_secs_in_past: 30 days)
 * @param maxFutureMs timestamps further ahead are replaced by the receive time (Relay: 60 s)
 * @param maxExceptions exceptions kept per event, the newest (outermost) ones (Sentry's SENTRY_MAX_EXCEPTIONS: 25)
 */
public record NormalizeConfig(
    int maxFrames,
    int maxBreadcrumbs,
    int maxStringLength,
    int maxDatabagDepth,
    int maxDatabagBreadth,
    int maxTagKeyLength,
    int maxTagValueLength,
    long maxClockDriftMs,
    long maxPastAgeMs,
    long maxFutureMs,
    int maxExceptions) {

  public NormalizeConfig {
    positive("normalize.max_frames", maxFrames);
    positive("normalize.max_breadcrumbs", maxBreadcrumbs);
    positive("normalize.max_string_length", maxStringLength);
    positive("normalize.max_databag_depth", maxDatabagDepth);
    positive("normalize.max_databag_breadth", maxDatabagBreadth);
    positive("normalize.max_tag_key_length", maxTagKeyLength);
    positive("normalize.max_tag_value_length", maxTagValueLength);
    positive("normalize.max_clock_drift_ms", maxClockDriftMs);
    positive("normalize.max_past_age_ms", maxPastAgeMs);
    positive("normalize.max_future_ms", maxFutureMs);
    positive("normalize.max_exceptions", maxExceptions);
    if (maxFrames < 2) {
      throw new io.lookout.storage.config.ConfigException("'normalize.max_frames' must be at least 2");
    }
  }

  public static NormalizeConfig defaults() {
    return fromJson(new JsonObject());
  }

  public static NormalizeConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    return new NormalizeConfig(
        integer(j, "max_frames", 250),
        integer(j, "max_breadcrumbs", 100),
        integer(j, "max_string_length", 16384),
        integer(j, "max_databag_depth", 7),
        integer(j, "max_databag_breadth", 100),
        integer(j, "max_tag_key_length", 200),
        integer(j, "max_tag_value_length", 200),
        longValue(j, "max_clock_drift_ms", 55L * 60 * 1000),
        longValue(j, "max_past_age_ms", 30L * 24 * 3600 * 1000),
        longValue(j, "max_future_ms", 60_000L),
        integer(j, "max_exceptions", 25));
  }
}

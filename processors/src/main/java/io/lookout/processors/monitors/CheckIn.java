package io.lookout.processors.monitors;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * One check-in as the SDKs send it (the {@code check_in} envelope item, which Relay passes on as the
 * payload of a {@code check_in} message): {@code check_in_id}, {@code monitor_slug}, {@code status},
 * {@code duration} (seconds), {@code environment}, {@code monitor_config}.
 *
 * @param id the check-in's id; a fresh random one when the SDK sent none
 * @param durationMs the duration the SDK reported, or null
 * @param monitorConfig the config to create or update the monitor with, or null
 */
public record CheckIn(UUID id, String slug, String status, Long durationMs, String environment,
    JsonObject monitorConfig) {

  public static final String IN_PROGRESS = "in_progress";
  public static final String OK = "ok";
  public static final String ERROR = "error";
  private static final Set<String> STATUSES = Set.of(IN_PROGRESS, OK, ERROR);
  /** Sentry's environment name limit. */
  private static final int MAX_ENVIRONMENT = 64;

  /**
   * @throws IllegalArgumentException with what is wrong: not JSON, no slug, an unknown status, a
   *     check-in id that is not a UUID
   */
  public static CheckIn parse(byte[] payload) {
    JsonObject json;
    try {
      json = new JsonObject(Buffer.buffer(payload));
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("check-in payload is not a JSON object");
    }
    String slug = slugify(json.getValue("monitor_slug"));
    Object status = json.getValue("status");
    if (!(status instanceof String s) || !STATUSES.contains(s)) {
      throw new IllegalArgumentException("check-in status must be one of " + STATUSES + ", got " + status);
    }
    UUID id = uuid(json.getValue("check_in_id"));
    Long duration = null;
    Object rawDuration = json.getValue("duration");
    if (rawDuration instanceof Number n && n.doubleValue() >= 0 && !Double.isInfinite(n.doubleValue())) {
      duration = Math.round(n.doubleValue() * 1000);
    }
    Object env = json.getValue("environment");
    String environment = env instanceof String e && !e.isBlank() ? e.strip() : "production";
    if (environment.length() > MAX_ENVIRONMENT) {
      environment = environment.substring(0, MAX_ENVIRONMENT);
    }
    Object config = json.getValue("monitor_config");
    return new CheckIn(id, slug, (String) status, duration, environment,
        config instanceof JsonObject c ? c : null);
  }

  /** Sentry's slugify: lower case, runs of other characters as one '-', at most 50 characters. */
  static String slugify(Object raw) {
    if (!(raw instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("check-in has no monitor_slug");
    }
    String slug = text.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-")
        .replaceAll("^-+|-+$", "");
    if (slug.isEmpty()) {
      throw new IllegalArgumentException("monitor_slug '" + text + "' has no letters or digits");
    }
    return slug.length() > 50 ? slug.substring(0, 50) : slug;
  }

  private static UUID uuid(Object raw) {
    if (raw == null) {
      return UUID.randomUUID();
    }
    if (raw instanceof String text) {
      String hex = text.replace("-", "").toLowerCase(Locale.ROOT);
      if (hex.matches("[0-9a-f]{32}")) {
        return new UUID(Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16));
      }
    }
    throw new IllegalArgumentException("check_in_id must be a UUID, got " + raw);
  }
}

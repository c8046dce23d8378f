package io.lookout.gateway.project;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.positive;

import io.vertx.core.json.JsonObject;

/**
 * Project-state cache and envelope buffer ({@code gateway.json: cache}), Relay's names and defaults.
 *
 * @param projectExpiry seconds a fetched project state is fresh
 * @param projectGracePeriod seconds an expired state is still served while it is refreshed in the
 *     background (a Postgres outage within it does not stop ingest)
 * @param missExpiry seconds an unknown key is remembered as unknown (negative cache)
 * @param maxProjects project states held; the least recently fetched go first
 * @param envelopeBufferSize envelopes accepted and waiting for their Kafka acks; beyond it 503
 *     "failed to queue envelope"
 */
public record CacheConfig(
    int projectExpiry,
    int projectGracePeriod,
    int missExpiry,
    int maxProjects,
    int envelopeBufferSize) {

  public CacheConfig {
    positive("cache.project_expiry", projectExpiry);
    if (projectGracePeriod < 0) {
      throw new io.lookout.storage.config.ConfigException("'cache.project_grace_period' must be >= 0");
    }
    positive("cache.miss_expiry", missExpiry);
    positive("cache.max_projects", maxProjects);
    positive("cache.envelope_buffer_size", envelopeBufferSize);
  }

  public static CacheConfig fromJson(JsonObject json) {
    return new CacheConfig(
        integer(json, "project_expiry", 300),
        integer(json, "project_grace_period", 120),
        integer(json, "miss_expiry", 60),
        integer(json, "max_projects", 100_000),
        integer(json, "envelope_buffer_size", 1000));
  }
}

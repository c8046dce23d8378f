package io.lookout.processors.config;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * How events travel between the stages ({@code processors.json: pipeline}).
 *
 * @param transport {@code broker}: ingest, process and save are tasks on the broker, as Sentry runs
 *     them; {@code inline}: the consuming verticle runs process and save itself, no broker hop
 * @param processingStoreTtlS how long a payload waits in the processing store between stages
 * @param dedupTtlS how long an (project, event id) is remembered to drop duplicates
 * @param projectCacheTtlMs how long a project's settings are cached
 * @param projectCacheSize most projects cached at once
 * @param retentionDays the retention the eventstream messages carry
 * @param topicPrefix put in front of every Kafka topic the processors read or write, so that several
 *     pipelines (or test runs) can share one Kafka cluster
 */
public record PipelineConfig(String transport, long processingStoreTtlS, long dedupTtlS,
    long projectCacheTtlMs, int projectCacheSize, int retentionDays, String topicPrefix) {

  public static final String BROKER = "broker";
  public static final String INLINE = "inline";

  public PipelineConfig {
    if (!BROKER.equals(transport) && !INLINE.equals(transport)) {
      throw new ConfigException("'pipeline.transport' must be \"broker\" or \"inline\", got \"" + transport + "\"");
    }
    positive("pipeline.processing_store_ttl_s", processingStoreTtlS);
    positive("pipeline.dedup_ttl_s", dedupTtlS);
    positive("pipeline.project_cache_ttl_ms", projectCacheTtlMs);
    positive("pipeline.project_cache_size", projectCacheSize);
    positive("pipeline.retention_days", retentionDays);
    if (topicPrefix == null || !topicPrefix.matches("[A-Za-z0-9._-]*")) {
      throw new ConfigException("'pipeline.topic_prefix' may only hold letters, digits, '.', '_' and '-'");
    }
  }

  /** Maps Sentry's topic name to the one this pipeline uses. */
  public String topic(String name) {
    return topicPrefix + name;
  }

  public boolean inline() {
    return INLINE.equals(transport);
  }

  public static PipelineConfig fromJson(JsonObject json) {
    return new PipelineConfig(
        string(json, "transport", BROKER),
        longValue(json, "processing_store_ttl_s", 3600),
        longValue(json, "dedup_ttl_s", 3600),
        longValue(json, "project_cache_ttl_ms", 60_000),
        integer(json, "project_cache_size", 10_000),
        integer(json, "retention_days", 90),
        string(json, "topic_prefix", ""));
  }
}

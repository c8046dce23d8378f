package io.lookout.storage.nodestore;

import static io.lookout.storage.config.Conf.integer;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * Nodestore settings ({@code storage.json: nodestore}).
 *
 * @param compressionLevel zstd level of the stored payloads (1 fastest .. 19 smallest). Default 1:
 *     each event is compressed on its own, and for Sentry events of 2-5 KB level 3 saves about 1% of
 *     the bytes for about a third more CPU, which is the save path's largest cost (NodestoreBench)
 * @param precreateDays daily partitions created ahead of today, so writes never wait for DDL
 * @param retentionDays what {@code cleanup} keeps by default
 */
public record NodestoreConfig(int compressionLevel, int precreateDays, int retentionDays) {

  public NodestoreConfig {
    if (compressionLevel < 1 || compressionLevel > 19) {
      throw new ConfigException("'nodestore.compression_level' must be 1..19, got " + compressionLevel);
    }
    if (precreateDays < 0 || precreateDays > 31) {
      throw new ConfigException("'nodestore.precreate_days' must be 0..31, got " + precreateDays);
    }
    if (retentionDays < 1) {
      throw new ConfigException("'nodestore.retention_days' must be >= 1, got " + retentionDays);
    }
  }

  public static NodestoreConfig fromJson(JsonObject json) {
    return new NodestoreConfig(
        integer(json, "compression_level", 1),
        integer(json, "precreate_days", 3),
        integer(json, "retention_days", 90));
  }
}

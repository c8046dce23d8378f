package io.lookout.processors.config;

import static io.lookout.storage.config.Conf.section;

import io.lookout.processors.analytics.AnalyticsConfig;
import io.lookout.processors.api.ApiConfig;
import io.lookout.processors.broker.BrokerConfig;
import io.lookout.processors.cleanup.CleanupConfig;
import io.lookout.processors.clickhouse.RowConsumerConfig;
import io.lookout.processors.outcomes.OutcomesConsumerVerticle;
import io.lookout.processors.postprocess.PostProcessConfig;
import io.lookout.processors.sessions.SessionsConsumerVerticle;
import io.lookout.processors.monitors.MonitorsConfig;
import io.lookout.processors.grouping.GroupingConfig;
import io.lookout.processors.normalize.NormalizeConfig;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;

/**
 * {@code conf/processors.json}: every setting of the consumers, the task workers, the stages and the
 * read API. Each section is its own record; conf/README.md documents every key, and any key can be
 * overridden by {@code LOOKOUT_PROCESSORS__<SECTION>__<KEY>}.
 */
public record ProcessorsConfig(
    AdminConfig admin,
    PipelineConfig pipeline,
    ConsumerConfig consumers,
    WorkersConfig workers,
    EventStreamConfig producer,
    BrokerConfig broker,
    NormalizeConfig normalize,
    GroupingConfig grouping,
    ApiConfig api,
    MonitorsConfig monitors,
    CleanupConfig cleanup,
    RowConsumerConfig outcomes,
    RowConsumerConfig sessions,
    PostProcessConfig postProcess,
    AnalyticsConfig analytics) {

  public static final String FILE = "processors";

  public static ProcessorsConfig load() {
    return load(ConfLoader.fromEnvironment());
  }

  public static ProcessorsConfig load(ConfLoader loader) {
    return fromJson(loader.load(FILE));
  }

  public static ProcessorsConfig fromJson(JsonObject json) {
    try {
      return new ProcessorsConfig(
          AdminConfig.fromJson(section(json, "admin")),
          PipelineConfig.fromJson(section(json, "pipeline")),
          ConsumerConfig.fromJson(section(json, "consumers")),
          WorkersConfig.fromJson(section(json, "workers")),
          EventStreamConfig.fromJson(section(json, "producer")),
          BrokerConfig.fromJson(section(json, "broker")),
          NormalizeConfig.fromJson(section(json, "normalize")),
          GroupingConfig.fromJson(section(json, "grouping")),
          ApiConfig.fromJson(section(json, "api")),
          MonitorsConfig.fromJson(section(json, "monitors")),
          CleanupConfig.fromJson(section(json, "cleanup")),
          OutcomesConsumerVerticle.config(section(json, "outcomes")),
          SessionsConsumerVerticle.config(section(json, "sessions")),
          PostProcessConfig.fromJson(section(json, "post_process")),
          AnalyticsConfig.fromJson(section(json, "analytics")));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("processors.json: " + e.getMessage());
    }
  }
}

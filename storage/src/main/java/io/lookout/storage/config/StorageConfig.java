package io.lookout.storage.config;

import io.lookout.storage.clickhouse.ClickHouseConfig;
import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.nodestore.NodestoreConfig;
import io.lookout.storage.postgres.PostgresConfig;
import io.lookout.storage.rabbitmq.RabbitMqConfig;
import io.lookout.storage.redis.RedisConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Everything in {@code conf/storage.json}: where the five services are and how Lookout uses them.
 *
 * @param stateDir where {@code bin/lookout stack} keeps the local services' data, logs and pids
 */
public record StorageConfig(
    Path stateDir,
    PostgresConfig postgres,
    RedisConfig redis,
    RabbitMqConfig rabbitmq,
    ClickHouseConfig clickhouse,
    KafkaConfig kafka,
    NodestoreConfig nodestore) {

  public static final String FILE = "storage";

  /** Reads conf/storage.json of this process (see {@link ConfLoader#fromEnvironment()}). */
  public static StorageConfig load() {
    return load(ConfLoader.fromEnvironment());
  }

  public static StorageConfig load(ConfLoader loader) {
    return fromJson(loader.load(FILE), loader.homeDir());
  }

  /**
   * @param home the folder a relative {@code stack.state_dir} resolves against (the checkout)
   */
  public static StorageConfig fromJson(JsonObject json, Path home) {
    String state = Conf.string(Conf.section(json, "stack"), "state_dir", ".lookout");
    Conf.notBlank("stack.state_dir", state);
    return new StorageConfig(
        home.resolve(state).toAbsolutePath().normalize(),
        PostgresConfig.fromJson(Conf.section(json, "postgres")),
        RedisConfig.fromJson(Conf.section(json, "redis")),
        RabbitMqConfig.fromJson(Conf.section(json, "rabbitmq")),
        ClickHouseConfig.fromJson(Conf.section(json, "clickhouse")),
        KafkaConfig.fromJson(Conf.section(json, "kafka")),
        NodestoreConfig.fromJson(Conf.section(json, "nodestore")));
  }
}

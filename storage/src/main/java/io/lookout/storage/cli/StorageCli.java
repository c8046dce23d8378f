package io.lookout.storage.cli;

import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.ConfigException;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.TopicProvisioner;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage commands {@code bin/lookout} calls: {@code shell} (resolved settings as shell
 * assignments, so bash never parses JSON nor re-implements the override rule), {@code topics}
 * (create/grow the Kafka topics) and {@code migrate} (Postgres and ClickHouse migrations).
 */
public final class StorageCli {

  private static final Logger LOG = LoggerFactory.getLogger(StorageCli.class);

  private StorageCli() {
  }

  public static void main(String[] args) {
    String command = args.length == 0 ? "help" : args[0];
    int code;
    try {
      StorageConfig config = StorageConfig.load(ConfLoader.fromEnvironment());
      code = switch (command) {
        case "shell" -> shell(config, System.out);
        case "topics" -> topics(config);
        case "migrate" -> Migrate.run(config);
        default -> usage();
      };
    } catch (ConfigException e) {
      LOG.error("configuration error: {}", e.getMessage());
      code = 2;
    } catch (Exception e) {
      LOG.error("{} failed: {}", command, e.toString(), e);
      code = 1;
    }
    System.exit(code);
  }

  private static int usage() {
    LOG.error("usage: StorageCli shell|topics|migrate");
    return 2;
  }

  /** Prints {@code NAME='value'} lines for bin/lookout to eval. */
  static int shell(StorageConfig c, PrintStream out) {
    Map<String, Object> vars = new LinkedHashMap<>();
    vars.put("LOOKOUT_STATE_DIR", c.stateDir());
    vars.put("PG_HOST", c.postgres().host());
    vars.put("PG_PORT", c.postgres().port());
    vars.put("PG_DATABASE", c.postgres().database());
    vars.put("PG_USER", c.postgres().user());
    vars.put("PG_PASSWORD", c.postgres().password());
    vars.put("REDIS_HOST", c.redis().host());
    vars.put("REDIS_PORT", c.redis().port());
    vars.put("REDIS_PASSWORD", c.redis().password());
    vars.put("RABBITMQ_HOST", c.rabbitmq().host());
    vars.put("RABBITMQ_PORT", c.rabbitmq().port());
    vars.put("RABBITMQ_VHOST", c.rabbitmq().vhost());
    vars.put("RABBITMQ_USER", c.rabbitmq().user());
    vars.put("RABBITMQ_PASSWORD", c.rabbitmq().password());
    vars.put("CLICKHOUSE_HOST", c.clickhouse().host());
    vars.put("CLICKHOUSE_HTTP_PORT", c.clickhouse().httpPort());
    vars.put("CLICKHOUSE_NATIVE_PORT", c.clickhouse().nativePort());
    vars.put("CLICKHOUSE_DATABASE", c.clickhouse().database());
    vars.put("CLICKHOUSE_USER", c.clickhouse().user());
    vars.put("CLICKHOUSE_PASSWORD", c.clickhouse().password());
    vars.put("KAFKA_HOST", c.kafka().firstHost());
    vars.put("KAFKA_PORT", c.kafka().firstPort());
    vars.put("KAFKA_CONTROLLER_PORT", c.kafka().controllerPort());
    StringBuilder sb = new StringBuilder();
    vars.forEach((k, v) -> sb.append(k).append('=').append(shellQuote(String.valueOf(v))).append('\n'));
    out.print(sb);
    out.flush();
    return 0;
  }

  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  private static int topics(StorageConfig config) throws Exception {
    TopicProvisioner.Result r = TopicProvisioner.provisionBlocking(config.kafka(), config.kafka().topics());
    LOG.info("kafka topics: {} created, {} grown, {} unchanged", r.created().size(), r.grown().size(),
        r.unchanged().size());
    return 0;
  }
}

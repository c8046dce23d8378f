package io.lookout.processors.broker;

import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.string;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Set;

/**
 * The task broker ({@code processors.json: broker}). Where RabbitMQ and Redis are comes from
 * {@code storage.json}; this says how the pipeline uses them.
 *
 * <p>JSON keys (snake_case) and defaults, as read by {@link #fromJson(JsonObject)}:
 * <ul>
 *   <li>{@code transport} ("rabbitmq"): {@code rabbitmq} or {@code redis}.
 *   <li>{@code max_attempts} (5): a task whose handler failed this many times goes to
 *       {@code <queue>.dead}.
 *   <li>{@code retry_delay_ms} (1000): wait before a failed task is delivered again (0 = at once).
 *   <li>{@code publish_timeout_ms} (5000): a publish not confirmed by then fails with
 *       {@link BrokerUnavailableException}.
 *   <li>{@code close_timeout_ms} (10000): how long closing waits for handlers in flight.
 *   <li>{@code rabbitmq_max_unconfirmed} (10000): published messages awaiting RabbitMQ's confirm,
 *       past which publish fails at once with {@link BrokerFullException}.
 *   <li>{@code rabbitmq_tasks_per_message} (100): tasks published together go out as messages of up
 *       to this many tasks each; RabbitMQ's work is per message. A consumer takes at most
 *       {@code max(1, concurrency / this)} messages at a time, so the tasks in flight stay within the
 *       queue's concurrency. 1 = one message per task, as Sentry's Celery workers have it.
 *   <li>{@code redis_visibility_timeout_ms} (30000): a Redis consumer that has not refreshed its
 *       heartbeat for this long is taken for dead and its tasks go back to the queue.
 *   <li>{@code queue_prefix} (""): put in front of every queue name, so that several deployments
 *       (or test runs) can share one RabbitMQ vhost or Redis database.
 *   <li>{@code redis_poll_timeout_ms} (1000): how long an idle Redis consumer blocks in one BLMOVE
 *       (on a connection of its own) before it looks again; also bounds how late a retry becomes due.
 * </ul>
 */
public record BrokerConfig(
    String transport,
    int maxAttempts,
    long retryDelayMs,
    long publishTimeoutMs,
    long redisVisibilityTimeoutMs,
    long redisPollTimeoutMs,
    long closeTimeoutMs,
    int rabbitmqMaxUnconfirmed,
    String queuePrefix,
    int rabbitmqTasksPerMessage) {

  public static final String RABBITMQ = "rabbitmq";
  public static final String REDIS = "redis";

  private static final Set<String> KEYS = Set.of("transport", "max_attempts", "retry_delay_ms",
      "publish_timeout_ms", "redis_visibility_timeout_ms", "redis_poll_timeout_ms", "close_timeout_ms",
      "rabbitmq_max_unconfirmed", "queue_prefix", "rabbitmq_tasks_per_message");

  public BrokerConfig {
    if (!RABBITMQ.equals(transport) && !REDIS.equals(transport)) {
      throw new ConfigException("'broker.transport' must be \"rabbitmq\" or \"redis\", got '" + transport + "'");
    }
    positive("broker.max_attempts", maxAttempts);
    if (retryDelayMs < 0) {
      throw new ConfigException("'broker.retry_delay_ms' must be >= 0, got " + retryDelayMs);
    }
    positive("broker.publish_timeout_ms", publishTimeoutMs);
    positive("broker.close_timeout_ms", closeTimeoutMs);
    positive("broker.rabbitmq_max_unconfirmed", rabbitmqMaxUnconfirmed);
    positive("broker.rabbitmq_tasks_per_message", rabbitmqTasksPerMessage);
    // the heartbeat is refreshed three times per timeout, so a live consumer never looks dead
    if (redisVisibilityTimeoutMs < 300) {
      throw new ConfigException("'broker.redis_visibility_timeout_ms' must be at least 300, got "
          + redisVisibilityTimeoutMs);
    }
    queuePrefix = queuePrefix == null ? "" : queuePrefix;
    if (!queuePrefix.isEmpty()) {
      TaskQueues.requireValid(queuePrefix + "x");
    }
    if (redisPollTimeoutMs < 10) {
      throw new ConfigException("'broker.redis_poll_timeout_ms' must be at least 10, got " + redisPollTimeoutMs);
    }
  }

  public static BrokerConfig defaults() {
    return fromJson(new JsonObject());
  }

  /**
   * Reads the keys listed on the class; a missing key takes its default. An unknown key is an
   * error, so a misspelt bound does not silently run with its default.
   */
  public static BrokerConfig fromJson(JsonObject json) {
    JsonObject j = json == null ? new JsonObject() : json;
    for (String key : j.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("'broker." + key + "' is not a broker setting (known: " + KEYS + ")");
      }
    }
    return new BrokerConfig(
        string(j, "transport", RABBITMQ).trim().toLowerCase(Locale.ROOT),
        integer(j, "max_attempts", 5),
        longValue(j, "retry_delay_ms", 1000),
        longValue(j, "publish_timeout_ms", 5000),
        longValue(j, "redis_visibility_timeout_ms", 30_000),
        longValue(j, "redis_poll_timeout_ms", 1000),
        longValue(j, "close_timeout_ms", 10_000),
        integer(j, "rabbitmq_max_unconfirmed", 10_000),
        string(j, "queue_prefix", ""),
        integer(j, "rabbitmq_tasks_per_message", 100));
  }

  public BrokerConfig withTransport(String value) {
    return new BrokerConfig(value, maxAttempts, retryDelayMs, publishTimeoutMs, redisVisibilityTimeoutMs,
        redisPollTimeoutMs, closeTimeoutMs, rabbitmqMaxUnconfirmed, queuePrefix, rabbitmqTasksPerMessage);
  }
}

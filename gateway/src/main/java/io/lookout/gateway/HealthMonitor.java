package io.lookout.gateway;

import io.lookout.storage.kafka.KafkaConfig;
import io.lookout.storage.redis.RedisConnector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness as Relay's {@code /api/relay/healthcheck/ready/}: Kafka and Redis answer. Checked in
 * the background every few seconds, so the endpoint answers from memory and a load balancer's
 * probes cost nothing.
 */
public final class HealthMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);
  static final long INTERVAL_MS = 3000;

  private final Vertx vertx;
  private final Admin admin;
  private final RedisConnector redis;
  private volatile boolean kafkaUp;
  private volatile boolean redisUp;
  private long timer = -1;

  public HealthMonitor(Vertx vertx, KafkaConfig kafka, RedisConnector redis) {
    this.vertx = vertx;
    this.redis = redis;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2500);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "lookout-gateway-health");
    this.admin = Admin.create(props);
  }

  /** Runs the first check and schedules the next ones. */
  public Future<Void> start() {
    timer = vertx.setPeriodic(INTERVAL_MS, id -> check());
    return check();
  }

  public boolean ready() {
    return kafkaUp && redisUp;
  }

  public boolean kafkaUp() {
    return kafkaUp;
  }

  public boolean redisUp() {
    return redisUp;
  }

  Future<Void> check() {
    Future<Boolean> kafka = vertx.executeBlocking(() -> {
      try {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs(2000)).clusterId().get(2500, TimeUnit.MILLISECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    }, false);
    Future<Boolean> redisPing = redis.send(Request.cmd(Command.PING)).map(r -> true).otherwise(false);
    return Future.join(kafka, redisPing).transform(ar -> {
      boolean k = kafka.succeeded() && kafka.result();
      boolean r = redisPing.succeeded() && redisPing.result();
      if (k != kafkaUp || r != redisUp) {
        LOG.info("readiness: kafka {}, redis {}", k ? "up" : "DOWN", r ? "up" : "DOWN");
      }
      kafkaUp = k;
      redisUp = r;
      return Future.succeededFuture();
    });
  }

  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return vertx.executeBlocking(() -> {
      admin.close(java.time.Duration.ofSeconds(2));
      return null;
    }, false);
  }
}

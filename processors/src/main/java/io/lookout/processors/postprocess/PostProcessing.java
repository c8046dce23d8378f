package io.lookout.processors.postprocess;

import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.redis.RedisConnector;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * What post-processing needs, shared by the forwarder (inline transport) and the
 * {@code post_process_errors} workers: the connections, and the settings. Each verticle builds its
 * own {@link PostProcessor} with {@link #processor}, whose notifier (HTTP and SMTP clients, bounded
 * webhook queue) belongs to that verticle's context and is closed with it.
 */
public record PostProcessing(PostProcessConfig config, Pool pool, RedisConnector redis, Nodestore nodestore,
    RuleStore rules, MeterRegistry registry) {

  public static PostProcessing create(PostProcessConfig config, Pool pool, RedisConnector redis, Nodestore nodestore,
      MeterRegistry registry) {
    return new PostProcessing(config, pool, redis, nodestore,
        new RuleStore(pool, config.rulesCacheTtlMs(), config.rulesCacheSize(), System::currentTimeMillis), registry);
  }

  /** A processor sending through {@code notifier} (one per verticle: it belongs to that verticle's context). */
  public PostProcessor processor(AlertNotifier notifier) {
    return new PostProcessor(rules, new FrequencyCounter(redis, System::currentTimeMillis), notifier, pool, nodestore,
        registry);
  }

  /** A notifier for the calling verticle; close it when the verticle stops. */
  public AlertNotifier notifier(Vertx vertx) {
    return new AlertNotifier(vertx, config, registry);
  }
}

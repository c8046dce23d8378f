package io.lookout.processors.postprocess;

import static io.lookout.storage.config.Conf.bool;
import static io.lookout.storage.config.Conf.integer;
import static io.lookout.storage.config.Conf.longValue;
import static io.lookout.storage.config.Conf.notBlank;
import static io.lookout.storage.config.Conf.positive;
import static io.lookout.storage.config.Conf.section;
import static io.lookout.storage.config.Conf.string;
import static io.lookout.storage.config.Conf.tcpPort;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * The post-process forwarder and the {@code post_process_errors} workers
 * ({@code processors.json: post_process}).
 *
 * @param group the forwarder's Kafka consumer group on {@code events}
 * @param commitLogTopic the topic the analytics consumer publishes its commits to (Sentry's
 *     {@code --synchronize-commit-log-topic}); the topic prefix is applied to it
 * @param synchronizeCommitGroup the analytics consumer's group whose commits the forwarder never
 *     passes (Sentry's {@code --synchronize-commit-group})
 * @param maxPollRecords records per poll, which is the most one batch holds
 * @param maxBatchesInFlight batches handed on but not yet committed; at this many the forwarder pauses
 * @param pollTimeoutMs how long one poll waits
 * @param retryDelayMs first delay before a failed hand-off is tried again (doubles up to 10 s)
 * @param sessionTimeoutMs Kafka's session timeout for the forwarder's group
 * @param concurrency {@code post_process_errors} tasks a worker holds unacknowledged at once
 * @param rulesCacheTtlMs how long a project's alert rules are cached by the workers
 * @param rulesCacheSize most projects whose rules are cached at once
 * @param issueUrlPrefix where the issue links in alerts point (the read API / UI base URL)
 * @param webhook webhook delivery settings
 * @param smtp email delivery settings
 */
public record PostProcessConfig(String group, String commitLogTopic, String synchronizeCommitGroup,
    int maxPollRecords, int maxBatchesInFlight, long pollTimeoutMs, long retryDelayMs, int sessionTimeoutMs,
    int concurrency, long rulesCacheTtlMs, int rulesCacheSize, String issueUrlPrefix, Webhook webhook,
    Smtp smtp) {

  private static final Set<String> KEYS = Set.of("group", "commit_log_topic", "synchronize_commit_group",
      "max_poll_records", "max_batches_in_flight", "poll_timeout_ms", "retry_delay_ms", "session_timeout_ms",
      "concurrency", "rules_cache_ttl_ms", "rules_cache_size", "issue_url_prefix", "webhook", "smtp");

  public PostProcessConfig {
    notBlank("post_process.group", group);
    notBlank("post_process.commit_log_topic", commitLogTopic);
    notBlank("post_process.synchronize_commit_group", synchronizeCommitGroup);
    positive("post_process.max_poll_records", maxPollRecords);
    positive("post_process.max_batches_in_flight", maxBatchesInFlight);
    positive("post_process.poll_timeout_ms", pollTimeoutMs);
    positive("post_process.retry_delay_ms", retryDelayMs);
    positive("post_process.session_timeout_ms", sessionTimeoutMs);
    positive("post_process.concurrency", concurrency);
    positive("post_process.rules_cache_ttl_ms", rulesCacheTtlMs);
    positive("post_process.rules_cache_size", rulesCacheSize);
    issueUrlPrefix = issueUrlPrefix == null ? "" : issueUrlPrefix.replaceAll("/+$", "");
  }

  /**
   * @param timeoutMs one POST's deadline (connect + answer)
   * @param maxAttempts tries per alert, the first included; a 2xx ends them, a 4xx other than 408/429 too
   * @param retryDelayMs delay before the second try; doubles for each further one
   * @param maxInFlight webhook requests in flight at once per worker; more wait in a bounded queue
   * @param maxQueued alerts waiting for a free request slot; beyond it an alert is dropped and counted
   */
  public record Webhook(long timeoutMs, int maxAttempts, long retryDelayMs, int maxInFlight, int maxQueued) {
    public Webhook {
      positive("post_process.webhook.timeout_ms", timeoutMs);
      positive("post_process.webhook.max_attempts", maxAttempts);
      positive("post_process.webhook.retry_delay_ms", retryDelayMs);
      positive("post_process.webhook.max_in_flight", maxInFlight);
      positive("post_process.webhook.max_queued", maxQueued);
    }

    static Webhook fromJson(JsonObject json) {
      return new Webhook(longValue(json, "timeout_ms", 5000), integer(json, "max_attempts", 3),
          longValue(json, "retry_delay_ms", 500), integer(json, "max_in_flight", 32), integer(json, "max_queued", 1000));
    }
  }

  /**
   * @param host the SMTP server
   * @param port its port
   * @param from the sender address of alert emails
   * @param username SMTP login, empty for none
   * @param password SMTP password
   * @param ssl TLS from the first byte (SMTPS, usually port 465)
   * @param startTls {@code DISABLED}, {@code OPTIONAL} or {@code REQUIRED}
   * @param subjectPrefix put in front of every alert subject
   * @param timeoutMs one email's deadline (connect, hand-over to the server)
   */
  public record Smtp(String host, int port, String from, String username, String password, boolean ssl,
      String startTls, String subjectPrefix, long timeoutMs) {
    public Smtp {
      positive("post_process.smtp.timeout_ms", timeoutMs);
      notBlank("post_process.smtp.host", host);
      tcpPort("post_process.smtp.port", port);
      notBlank("post_process.smtp.from", from);
      if (!Set.of("DISABLED", "OPTIONAL", "REQUIRED").contains(startTls)) {
        throw new ConfigException("'post_process.smtp.start_tls' must be DISABLED, OPTIONAL or REQUIRED, got '"
            + startTls + "'");
      }
    }

    static Smtp fromJson(JsonObject json) {
      return new Smtp(string(json, "host", "127.0.0.1"), integer(json, "port", 25),
          string(json, "from", "lookout@localhost"), string(json, "username", ""), string(json, "password", ""),
          bool(json, "ssl", false), string(json, "start_tls", "OPTIONAL"), string(json, "subject_prefix", "[Lookout] "),
          longValue(json, "timeout_ms", 10_000));
    }
  }

  public static PostProcessConfig fromJson(JsonObject json) {
    for (String key : json.fieldNames()) {
      if (!KEYS.contains(key)) {
        throw new ConfigException("'post_process' has an unknown key '" + key + "'");
      }
    }
    return new PostProcessConfig(
        string(json, "group", "post-process-forwarder"),
        string(json, "commit_log_topic", "snuba-commit-log"),
        string(json, "synchronize_commit_group", "snuba-consumers"),
        integer(json, "max_poll_records", 500),
        integer(json, "max_batches_in_flight", 4),
        longValue(json, "poll_timeout_ms", 100),
        longValue(json, "retry_delay_ms", 500),
        integer(json, "session_timeout_ms", 10_000),
        integer(json, "concurrency", 64),
        longValue(json, "rules_cache_ttl_ms", 10_000),
        integer(json, "rules_cache_size", 10_000),
        string(json, "issue_url_prefix", "http://127.0.0.1:9000"),
        Webhook.fromJson(section(json, "webhook")),
        Smtp.fromJson(section(json, "smtp")));
  }
}

package io.lookout.processors.postprocess;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fired rule's actions: webhooks (the payload of Sentry's legacy webhooks plugin, retried
 * with a doubling delay, at most {@code max_in_flight} requests at once and {@code max_queued}
 * waiting) and emails over SMTP. A delivery that fails for good is logged and counted; it does not
 * fail the post-process task, since the alert is already recorded as fired.
 */
public final class AlertNotifier {

  private static final Logger LOG = LoggerFactory.getLogger(AlertNotifier.class);

  /** What an alert tells about its issue, read from Postgres when a rule fires. */
  public record Issue(long id, long shortId, String title, String culprit, String projectSlug, String projectName,
      String orgSlug) {
  }

  private final Vertx vertx;
  private final PostProcessConfig.Webhook webhook;
  private final PostProcessConfig.Smtp smtp;
  private final String issueUrlPrefix;
  private final HttpClient http;
  private final MailClient mail;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
  private final Counter webhooksSent;
  private final Counter webhooksFailed;
  private final Counter webhooksDropped;
  private final Counter emailsSent;
  private final Counter emailsFailed;
  private int inFlight;

  public AlertNotifier(Vertx vertx, PostProcessConfig config, MeterRegistry registry) {
    this.vertx = vertx;
    this.webhook = config.webhook();
    this.smtp = config.smtp();
    this.issueUrlPrefix = config.issueUrlPrefix();
    this.http = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, webhook.timeoutMs()))
        .setIdleTimeout((int) Math.max(1, webhook.timeoutMs() / 1000 * 2)),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(webhook.maxInFlight()));
    MailConfig mailConfig = new MailConfig(smtp.host(), smtp.port(), StartTLSOptions.valueOf(smtp.startTls()),
        smtp.username().isEmpty() ? LoginOption.DISABLED : LoginOption.REQUIRED)
        .setSsl(smtp.ssl())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, smtp.timeoutMs()))
        .setKeepAlive(false);
    if (!smtp.username().isEmpty()) {
      mailConfig.setUsername(smtp.username()).setPassword(smtp.password());
    }
    this.mail = MailClient.create(vertx, mailConfig);
    this.webhooksSent = Counter.builder("lookout.alerts.webhooks").tag("result", "sent")
        .description("alert webhooks delivered").register(registry);
    this.webhooksFailed = Counter.builder("lookout.alerts.webhooks").tag("result", "failed")
        .description("alert webhooks that failed every attempt").register(registry);
    this.webhooksDropped = Counter.builder("lookout.alerts.webhooks").tag("result", "dropped")
        .description("alert webhooks dropped because max_queued were waiting").register(registry);
    this.emailsSent = Counter.builder("lookout.alerts.emails").tag("result", "sent")
        .description("alert emails handed to the SMTP server").register(registry);
    this.emailsFailed = Counter.builder("lookout.alerts.emails").tag("result", "failed")
        .description("alert emails the SMTP server did not take").register(registry);
  }

  /** Runs every action of {@code rule}; completes (never fails) once each has been delivered or given up. */
  public Future<Void> notify(AlertRule rule, PostProcessJob job, Issue issue, JsonObject event) {
    List<Future<Void>> all = new java.util.ArrayList<>();
    for (AlertRule.Action action : rule.actions()) {
      if (action instanceof AlertRule.WebhookAction w) {
        all.add(sendWebhook(w.url(), webhookPayload(rule, job, issue, event, issueUrlPrefix)));
      } else if (action instanceof AlertRule.EmailAction e) {
        all.add(sendEmail(email(rule, job, issue, smtp, issueUrlPrefix, e.addresses())));
      }
    }
    return Future.join(all).mapEmpty();
  }

  public Future<Void> close() {
    return http.close().eventually(mail::close);
  }

  // --- webhooks ----------------------------------------------------------------------------------

  /**
   * The body Sentry's webhooks plugin posts ({@code WebHooksPlugin.get_group_data}): the issue's
   * id, project, culprit, level, message and link, the names of the rules that fired, and the event
   * with {@code id} and {@code event_id} set.
   */
  public static JsonObject webhookPayload(AlertRule rule, PostProcessJob job, Issue issue, JsonObject event,
      String issueUrlPrefix) {
    JsonObject eventBody = event == null ? new JsonObject() : event.copy();
    eventBody.put("id", job.eventId()).put("event_id", job.eventId());
    return new JsonObject()
        .put("id", Long.toString(issue.id()))
        .put("project", issue.projectSlug())
        .put("project_name", issue.projectName())
        .put("project_slug", issue.projectSlug())
        .put("logger", job.tag("logger"))
        .put("level", job.level())
        .put("culprit", issue.culprit())
        .put("message", job.message() != null ? job.message() : issue.title())
        .put("url", issueUrl(issueUrlPrefix, issue, "webhooks_plugin"))
        .put("triggering_rules", new JsonArray().add(rule.name()))
        .put("event", eventBody);
  }

  static String issueUrl(String prefix, Issue issue, String referrer) {
    return prefix + "/organizations/" + issue.orgSlug() + "/issues/" + issue.id() + "/?referrer=" + referrer;
  }

  private Future<Void> sendWebhook(String url, JsonObject payload) {
    Promise<Void> done = Promise.promise();
    Runnable start = () -> attempt(url, payload.toBuffer(), 1, webhook.retryDelayMs(), done);
    if (inFlight < webhook.maxInFlight()) {
      inFlight++;
      start.run();
    } else if (waiting.size() < webhook.maxQueued()) {
      waiting.addLast(start);
    } else {
      webhooksDropped.increment();
      LOG.warn("webhook to {} dropped: {} alerts already wait for a free request", url, waiting.size());
      return Future.succeededFuture();
    }
    return done.future().onComplete(ar -> {
      Runnable next = waiting.pollFirst();
      if (next != null) {
        next.run();
      } else {
        inFlight--;
      }
    });
  }

  private void attempt(String url, io.vertx.core.buffer.Buffer body, int attempt, long delay, Promise<Void> done) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
        .setTimeout(webhook.timeoutMs()).putHeader("Content-Type", "application/json")
        .putHeader("User-Agent", "lookout-webhooks");
    http.request(options)
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          int status = ar.succeeded() ? ar.result() : 0;
          if (status >= 200 && status < 300) {
            webhooksSent.increment();
            done.complete();
            return;
          }
          String why = ar.succeeded() ? "HTTP " + status : String.valueOf(ar.cause());
          boolean permanent = status >= 400 && status < 500 && status != 408 && status != 429;
          if (permanent || attempt >= webhook.maxAttempts()) {
            webhooksFailed.increment();
            LOG.warn("webhook to {} failed after {} attempt(s): {}", url, attempt, why);
            done.complete();
            return;
          }
          LOG.debug("webhook to {} failed ({}), retrying in {} ms", url, why, delay);
          vertx.setTimer(delay, t -> attempt(url, body, attempt + 1, delay * 2, done));
        });
  }

  // --- email -------------------------------------------------------------------------------------

  /** The alert email: subject {@code "{prefix}{PROJECT}-{short id} - {title}"}, a plain-text body. */
  public static MailMessage email(AlertRule rule, PostProcessJob job, Issue issue, PostProcessConfig.Smtp smtp,
      String issueUrlPrefix, List<String> to) {
    String shortId = io.lookout.processors.api.ApiJson.shortId(issue.projectSlug(), issue.shortId());
    StringBuilder text = new StringBuilder();
    text.append("Alert rule \"").append(rule.name()).append("\" fired for ").append(issue.orgSlug()).append('/')
        .append(issue.projectSlug()).append("\n\n");
    text.append(issue.title()).append('\n');
    if (issue.culprit() != null && !issue.culprit().isEmpty()) {
      text.append(issue.culprit()).append('\n');
    }
    text.append('\n').append(issueUrl(issueUrlPrefix, issue, "alert_email")).append("\n\n");
    text.append("Issue: ").append(shortId).append('\n');
    text.append("Event: ").append(job.eventId()).append('\n');
    text.append("Level: ").append(job.level()).append('\n');
    if (job.environment() != null) {
      text.append("Environment: ").append(job.environment()).append('\n');
    }
    if (job.isNew()) {
      text.append("This is a new issue.\n");
    } else if (job.isRegression()) {
      text.append("This issue was resolved and happened again (regression).\n");
    }
    if (!job.tags().isEmpty()) {
      text.append("\nTags:\n");
      for (Map.Entry<String, String> tag : job.tags()) {
        text.append("  ").append(tag.getKey()).append(" = ").append(tag.getValue()).append('\n');
      }
    }
    String title = issue.title().replaceAll("[\\r\\n]+", " ");
    return new MailMessage().setFrom(smtp.from()).setTo(List.copyOf(to))
        .setSubject(smtp.subjectPrefix() + shortId + " - " + (title.length() > 200 ? title.substring(0, 200) : title))
        .setText(text.toString());
  }

  private Future<Void> sendEmail(MailMessage message) {
    return mail.sendMail(message).timeout(smtp.timeoutMs(), TimeUnit.MILLISECONDS)
        .<Void>map(r -> {
          emailsSent.increment();
          return null;
        })
        .recover(err -> {
          emailsFailed.increment();
          LOG.warn("alert email to {} failed: {}", message.getTo(), err.toString());
          return Future.succeededFuture();
        });
  }
}

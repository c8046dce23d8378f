package io.lookout.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.ProcessorsMain;
import io.lookout.processors.api.ApiServer;
import io.lookout.processors.config.ProcessorsConfig;
import io.sentry.Attachment;
import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.ITransaction;
import io.sentry.Sentry;
import io.sentry.UserFeedback;
import io.sentry.protocol.Feedback;
import io.sentry.protocol.SentryId;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * End to end with the real Sentry Java SDK: errors, messages, a transaction, an attachment and
 * feedback go through the gateway (managed mode, the project's DSN from the admin code), the
 * processors (RabbitMQ transport) save them, and the read API gives them back: the right issues with
 * their counts, titles and culprits, scrubbed event bodies, the attachment's bytes, the feedback, and
 * an issue that regresses after it was resolved.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SdkToApiIT {

  private static final String CARD = "4111 1111 1111 1111";
  private static final String FEEDBACK = "the order page froze after I clicked pay";
  private static final String USER_REPORT = "my card was charged twice";
  private static final byte[] ATTACHMENT = "line 1: export started\nline 2: export failed\n\u00e9\u0000\u0001"
      .getBytes(StandardCharsets.UTF_8);
  private static final String ISSUES = "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT + "/issues/";
  private static final String EVENTS = "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT + "/events/";

  private static E2eStack stack;
  private static ProcessorsMain processors;
  private static String apiDeployment;
  private static ApiClient api;

  private static final List<SentryId> lockedIds = new ArrayList<>();
  private static final List<SentryId> declinedIds = new ArrayList<>();
  private static final List<SentryId> messageIds = new ArrayList<>();
  private static SentryId attachmentId;
  private static SentryId transactionId;

  @BeforeAll
  static void start() throws Exception {
    stack = E2eStack.create();
    stack.startGateway();
    ProcessorsConfig config = ProcessorsConfig.fromJson(stack.processorsJson("broker"));
    ProcessorsMain.Plan all = ProcessorsMain.Plan.parse(new String[0], config);
    // ProcessorsMain does not hand out the API's port; the API is deployed below the way it does it
    ProcessorsMain.Plan plan = new ProcessorsMain.Plan(all.consumers(), all.queues(), all.concurrency(), false);
    processors = ProcessorsMain.start(stack.vertx, config, stack.storage, plan, stack.topicPrefix::concat)
        .await(180, TimeUnit.SECONDS);
    ApiServer server = new ApiServer(config.api(), processors.services().pool(), processors.services().nodestore());
    apiDeployment = stack.vertx.deployVerticle(server).await(60, TimeUnit.SECONDS);
    api = new ApiClient(server.actualPort(), stack.createToken());

    Sentry.init(options -> {
      options.setDsn(stack.dsn());
      options.setRelease("backend@2.1.0");
      options.setEnvironment("e2e");
      options.addInAppInclude("io.lookout.e2e");
      options.setTracesSampleRate(1.0);
      options.setEnableAutoSessionTracking(false);
      options.setSendClientReports(false);
    });
    sendEverything();
  }

  @AfterAll
  static void stop() throws Exception {
    Sentry.close();
    APP.shutdownNow();
    try {
      if (apiDeployment != null) {
        stack.vertx.undeploy(apiDeployment).await(30, TimeUnit.SECONDS);
      }
      if (processors != null) {
        processors.stop().await(60, TimeUnit.SECONDS);
      }
    } finally {
      if (stack != null) {
        stack.close();
      }
    }
  }

  // --- what the application does

  static void placeOrder(int order) {
    throw new IllegalStateException("order " + order + " is locked");
  }

  static void chargeCard() {
    throw new IllegalArgumentException("card " + CARD + " declined");
  }

  static void exportReport() {
    throw new UnsupportedOperationException("export to xlsx is not supported");
  }

  /**
   * The application's thread: every capture runs as a task of its own there, through one helper per
   * bug, so that the same bug always has the same stack (Sentry groups by the in-app frames, callers
   * included) and the scope (extras, breadcrumbs) is that thread's.
   */
  private static final ExecutorService APP = Executors.newSingleThreadExecutor(r -> new Thread(r, "e2e-app"));

  private static <T> T onAppThread(Callable<T> task) {
    try {
      return APP.submit(task).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static SentryId capture(Runnable failing, Hint hint) {
    try {
      failing.run();
      throw new AssertionError("did not throw");
    } catch (RuntimeException e) {
      return hint == null ? Sentry.captureException(e) : Sentry.captureException(e, hint);
    }
  }

  static SentryId lockedOrder(int order) {
    return onAppThread(() -> capture(() -> placeOrder(order), null));
  }

  static SentryId declinedCard() {
    return onAppThread(() -> capture(SdkToApiIT::chargeCard, null));
  }

  /**
   * The SDK attaches the thread's stack to a message, and Sentry groups such a message by its in-app
   * frames: one call site (named, since lambdas' names are normalized away) makes one issue.
   */
  static SentryId paymentFailed(int order) {
    return onAppThread(() -> reportPaymentFailure(order));
  }

  static SentryId reportPaymentFailure(int order) {
    return Sentry.captureMessage("Payment failed for order " + order);
  }

  private static void sendEverything() {
    onAppThread(() -> {
      Sentry.setExtra("password", "hunter2");
      Sentry.setExtra("order", "1234");
      Sentry.addBreadcrumb(Breadcrumb.info("charging card " + CARD));
      return null;
    });
    for (int i = 0; i < 3; i++) {
      lockedIds.add(lockedOrder(1000 + i));
    }
    declinedIds.add(declinedCard());
    declinedIds.add(declinedCard());
    messageIds.add(paymentFailed(1234));
    messageIds.add(paymentFailed(5678));

    transactionId = onAppThread(() -> {
      ITransaction tx = Sentry.startTransaction("GET /checkout", "http.server");
      tx.startChild("db.query", "SELECT * FROM orders WHERE id = ?").finish();
      tx.finish();
      return tx.getEventId();
    });

    attachmentId = onAppThread(() -> capture(SdkToApiIT::exportReport,
        Hint.withAttachment(new Attachment(ATTACHMENT, "export.log", "text/plain"))));

    onAppThread(() -> {
      Feedback feedback = new Feedback(FEEDBACK);
      feedback.setName("Jane Doe");
      feedback.setContactEmail("jane@example.com");
      feedback.setAssociatedEventId(lockedIds.get(2));
      return Sentry.captureFeedback(feedback);
    });
    onAppThread(() -> {
      UserFeedback report = new UserFeedback(declinedIds.get(1));
      report.setName("John Roe");
      report.setEmail("john@example.com");
      report.setComments(USER_REPORT);
      Sentry.captureUserFeedback(report);
      return null;
    });
    Sentry.flush(30_000);
  }

  // --- what the API shows

  private static JsonArray allIssues() throws Exception {
    return api.array(ISSUES + "?query=&limit=100");
  }

  /** The issues the errors and messages make, by title prefix, with their event counts. */
  private static final Map<String, Long> EXPECTED = new LinkedHashMap<>();

  static {
    EXPECTED.put("IllegalStateException: order ", 3L);
    EXPECTED.put("IllegalArgumentException: card ", 2L);
    EXPECTED.put("Payment failed for order ", 2L);
    EXPECTED.put("UnsupportedOperationException: export to xlsx is not supported", 1L);
  }

  private static long count(JsonObject issue) {
    return Long.parseLong(issue.getString("count"));
  }

  private static boolean hasExpectedCounts(JsonArray issues) {
    for (Map.Entry<String, Long> e : EXPECTED.entrySet()) {
      JsonObject issue = findTitled(issues, e.getKey());
      if (issue == null || count(issue) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** The issue list once every error and message event sent at the start is counted. */
  private static JsonArray settledIssues() throws Exception {
    return ApiClient.poll(SdkToApiIT::allIssues, SdkToApiIT::hasExpectedCounts);
  }

  private static JsonObject findTitled(JsonArray issues, String titlePrefix) {
    for (int i = 0; i < issues.size(); i++) {
      if (issues.getJsonObject(i).getString("title").startsWith(titlePrefix)) {
        return issues.getJsonObject(i);
      }
    }
    return null;
  }

  private static JsonObject issueTitled(JsonArray issues, String titlePrefix) {
    JsonObject issue = findTitled(issues, titlePrefix);
    if (issue != null) {
      return issue;
    }
    throw new AssertionError("no issue titled '" + titlePrefix + "...' in " + issues.encodePrettily());
  }

  @Test
  @Order(1)
  void eachBugIsOneIssueWithItsCountTitleAndCulprit() throws Exception {
    JsonArray issues = settledIssues();
    for (Map.Entry<String, Long> e : EXPECTED.entrySet()) {
      assertThat(count(issueTitled(issues, e.getKey()))).as("%s in %s", e.getKey(), issues.encodePrettily())
          .isEqualTo(e.getValue());
    }

    JsonObject locked = issueTitled(issues, "IllegalStateException: order ");
    assertThat(locked.getString("count")).isEqualTo("3");
    assertThat(locked.getString("culprit")).isEqualTo("io.lookout.e2e.SdkToApiIT in placeOrder");
    assertThat(locked.getString("level")).isEqualTo("error");
    assertThat(locked.getString("status")).isEqualTo("unresolved");
    assertThat(locked.getJsonObject("metadata").getString("type")).isEqualTo("IllegalStateException");
    assertThat(locked.getJsonObject("project").getString("slug")).isEqualTo(E2eStack.PROJECT);

    JsonObject declined = issueTitled(issues, "IllegalArgumentException: card ");
    assertThat(declined.getString("count")).isEqualTo("2");
    assertThat(declined.getString("culprit")).isEqualTo("io.lookout.e2e.SdkToApiIT in chargeCard");
    assertThat(declined.getString("title")).doesNotContain(CARD).doesNotContain(CARD.replace(" ", ""));

    JsonObject payment = issueTitled(issues, "Payment failed for order ");
    assertThat(payment.getString("count")).isEqualTo("2");
    assertThat(payment.getString("level")).isEqualTo("info");

    JsonObject export = issueTitled(issues, "UnsupportedOperationException: export to xlsx is not supported");
    assertThat(export.getString("count")).isEqualTo("1");
    assertThat(export.getString("culprit")).isEqualTo("io.lookout.e2e.SdkToApiIT in exportReport");

    // the default list is Sentry's: unresolved issues, which all of them are
    assertThat(api.array(ISSUES).size()).isEqualTo(issues.size());
    assertThat(api.array(ISSUES + "?query=is:resolved")).isEmpty();
  }

  @Test
  @Order(2)
  void latestEventHasTheExceptionAndNoSecrets() throws Exception {
    JsonObject locked = issueTitled(settledIssues(), "IllegalStateException: order ");
    JsonObject event = api.object("/api/0/issues/" + locked.getString("id") + "/events/latest/");
    assertThat(event.getString("groupID")).isEqualTo(locked.getString("id"));
    assertThat(lockedIds.stream().map(SentryId::toString).toList()).contains(event.getString("eventID"));
    JsonObject exception = entry(event, "exception");
    JsonObject value = exception.getJsonArray("values").getJsonObject(0);
    assertThat(value.getString("type")).isEqualTo("IllegalStateException");
    assertThat(value.getString("value")).matches("order 10\\d\\d is locked");
    JsonArray frames = value.getJsonObject("stacktrace").getJsonArray("frames");
    JsonObject top = frames.getJsonObject(frames.size() - 1);
    assertThat(top.getString("function")).isEqualTo("placeOrder");
    assertThat(top.getString("module")).isEqualTo("io.lookout.e2e.SdkToApiIT");
    assertThat(top.getBoolean("inApp")).isTrue();
    assertThat(event.getJsonObject("context").getString("password")).isEqualTo("[Filtered]");
    assertThat(event.getJsonObject("context").getString("order")).isEqualTo("1234");
    assertThat(event.getString("environment")).isEqualTo("e2e");
    assertThat(event.getJsonObject("release").getString("version")).isEqualTo("backend@2.1.0");
    assertNoSecrets(event);

    JsonObject declined = issueTitled(settledIssues(), "IllegalArgumentException: card ");
    JsonObject cardEvent = api.object("/api/0/issues/" + declined.getString("id") + "/events/latest/");
    assertThat(entry(cardEvent, "exception").getJsonArray("values").getJsonObject(0).getString("value"))
        .isEqualTo("card [Filtered] declined");
    assertThat(entry(cardEvent, "breadcrumbs").encode()).contains("charging card [Filtered]");
    assertNoSecrets(cardEvent);
  }

  private static void assertNoSecrets(JsonObject event) {
    String body = event.encode();
    assertThat(body).doesNotContain("hunter2").doesNotContain(CARD).doesNotContain(CARD.replace(" ", ""));
  }

  private static JsonObject entry(JsonObject event, String type) {
    JsonArray entries = event.getJsonArray("entries");
    for (int i = 0; i < entries.size(); i++) {
      if (type.equals(entries.getJsonObject(i).getString("type"))) {
        return entries.getJsonObject(i).getJsonObject("data");
      }
    }
    throw new AssertionError("no " + type + " entry in " + entries.encodePrettily());
  }

  @Test
  @Order(3)
  void everyEventIsReadableByIdAndPointsToItsIssue() throws Exception {
    JsonArray issues = settledIssues();
    String locked = issueTitled(issues, "IllegalStateException: order ").getString("id");
    String payment = issueTitled(issues, "Payment failed for order ").getString("id");
    for (SentryId id : lockedIds) {
      JsonObject event = ApiClient.poll(() -> api.object(EVENTS + id + "/"), e -> true);
      assertThat(event.getString("eventID")).isEqualTo(id.toString());
      assertThat(event.getString("groupID")).isEqualTo(locked);
      assertThat(event.getString("projectID")).isEqualTo(Long.toString(stack.projectId()));
      assertNoSecrets(event);
    }
    List<String> formatted = new ArrayList<>();
    for (SentryId id : messageIds) {
      JsonObject event = ApiClient.poll(() -> api.object(EVENTS + id + "/"), e -> true);
      assertThat(event.getString("groupID")).isEqualTo(payment);
      formatted.add(entry(event, "message").getString("formatted"));
    }
    assertThat(formatted).containsExactlyInAnyOrder("Payment failed for order 1234", "Payment failed for order 5678");

    JsonObject transaction = ApiClient.poll(() -> api.object(EVENTS + transactionId + "/"), e -> true);
    assertThat(transaction.getString("type")).isEqualTo("transaction");
    assertThat(transaction.getString("eventID")).isEqualTo(transactionId.toString());
    assertThat(transaction.getString("groupID")).isNull();
    assertNoSecrets(transaction);

    HttpResponse<byte[]> unknown = api.get(EVENTS + "0123456789abcdef0123456789abcdef/");
    assertThat(unknown.statusCode()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void attachmentIsListedAndDownloadable() throws Exception {
    String path = EVENTS + attachmentId + "/attachments/";
    JsonArray attachments = ApiClient.poll(() -> api.array(path), list -> !list.isEmpty());
    assertThat(attachments.size()).as(attachments.encodePrettily()).isEqualTo(1);
    JsonObject attachment = attachments.getJsonObject(0);
    assertThat(attachment.getString("name")).isEqualTo("export.log");
    assertThat(attachment.getString("mimetype")).isEqualTo("text/plain");
    assertThat(attachment.getLong("size")).isEqualTo(ATTACHMENT.length);
    assertThat(attachment.getString("event_id")).isEqualTo(attachmentId.toString());

    HttpResponse<byte[]> download = api.get(path + attachment.getString("id") + "/?download=1");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(ATTACHMENT);
    assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(
        v -> assertThat(v).startsWith("attachment").contains("export.log"));

    JsonObject issue = issueTitled(settledIssues(), "UnsupportedOperationException: ");
    JsonObject event = api.object(EVENTS + attachmentId + "/");
    assertThat(event.getString("groupID")).isEqualTo(issue.getString("id"));
  }

  private static final String USER_FEEDBACK = "/api/0/projects/" + E2eStack.ORG + "/" + E2eStack.PROJECT
      + "/user-feedback/";

  @Test
  @Order(5)
  void userReportIsListedWithItsEvent() throws Exception {
    JsonArray feedback = ApiClient.poll(() -> api.array(USER_FEEDBACK), list -> findComments(list, USER_REPORT) != null);
    JsonObject john = byComments(feedback, USER_REPORT);
    assertThat(john.getString("name")).isEqualTo("John Roe");
    assertThat(john.getString("email")).isEqualTo("john@example.com");
    assertThat(john.getString("eventID")).isEqualTo(declinedIds.get(1).toString());
    assertThat(john.getJsonObject("event").getString("eventID")).isEqualTo(declinedIds.get(1).toString());
  }

  @Test
  @Order(7)
  void feedbackIsListedAndMakesNoIssue() throws Exception {
    JsonArray feedback = ApiClient.poll(() -> api.array(USER_FEEDBACK), list -> findComments(list, FEEDBACK) != null);
    JsonObject jane = byComments(feedback, FEEDBACK);
    assertThat(jane.getString("name")).isEqualTo("Jane Doe");
    assertThat(jane.getString("email")).isEqualTo("jane@example.com");
    assertThat(jane.getString("eventID")).isEqualTo(lockedIds.get(2).toString());
    // a feedback is not an error: only the four bugs are issues (the regression test added none)
    assertThat(allIssues().stream().map(i -> ((JsonObject) i).getString("title")))
        .as("issue titles").hasSize(EXPECTED.size()).doesNotContain("<unlabeled event>");
  }

  @Test
  @Order(8)
  void userReportIsLinkedToTheIssueOfItsEvent() throws Exception {
    String declined = issueTitled(settledIssues(), "IllegalArgumentException: card ").getString("id");
    JsonArray feedback = ApiClient.poll(() -> api.array(USER_FEEDBACK), list -> {
      JsonObject report = findComments(list, USER_REPORT);
      return report != null && report.getJsonObject("issue") != null;
    });
    JsonObject john = byComments(feedback, USER_REPORT);
    assertThat(john.getJsonObject("issue")).as(john.encodePrettily()).isNotNull();
    assertThat(john.getJsonObject("issue").getString("id")).isEqualTo(declined);
  }

  @Test
  @Order(9)
  void transactionIsTitledByItsName() throws Exception {
    JsonObject transaction = ApiClient.poll(() -> api.object(EVENTS + transactionId + "/"), e -> true);
    assertThat(transaction.getString("title")).isEqualTo("GET /checkout");
  }

  private static JsonObject findComments(JsonArray feedback, String comments) {
    for (int i = 0; i < feedback.size(); i++) {
      if (comments.equals(feedback.getJsonObject(i).getString("comments"))) {
        return feedback.getJsonObject(i);
      }
    }
    return null;
  }

  private static JsonObject byComments(JsonArray feedback, String comments) {
    JsonObject found = findComments(feedback, comments);
    if (found != null) {
      return found;
    }
    throw new AssertionError("no feedback '" + comments + "' in " + feedback.encodePrettily());
  }

  @Test
  @Order(6)
  void resolvedIssueRegressesOnItsNextEvent() throws Exception {
    String id = issueTitled(settledIssues(), "IllegalStateException: order ").getString("id");
    HttpResponse<byte[]> put = api.send("PUT", "/api/0/issues/" + id + "/", "{\"status\": \"resolved\"}");
    assertThat(put.statusCode()).as(ApiClient.text(put)).isEqualTo(200);
    assertThat(new JsonObject(ApiClient.text(put)).getString("status")).isEqualTo("resolved");
    JsonObject resolved = api.object("/api/0/issues/" + id + "/");
    assertThat(resolved.getString("status")).isEqualTo("resolved");
    assertThat(api.array(ISSUES).stream().map(i -> ((JsonObject) i).getString("id"))).doesNotContain(id);

    SentryId again = lockedOrder(1999);
    Sentry.flush(30_000);
    JsonObject regressed = ApiClient.poll(() -> api.object("/api/0/issues/" + id + "/"),
        issue -> "4".equals(issue.getString("count")));
    assertThat(regressed.getString("count")).isEqualTo("4");
    assertThat(regressed.getString("status")).isEqualTo("unresolved");
    assertThat(regressed.getString("substatus")).isEqualTo("regressed");
    assertThat(api.array(ISSUES).stream().map(i -> ((JsonObject) i).getString("id"))).contains(id);
    JsonObject latest = api.object("/api/0/issues/" + id + "/events/latest/");
    assertThat(latest.getString("eventID")).isEqualTo(again.toString());
  }
}

package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.CheckInMessage;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.sentry.Attachment;
import io.sentry.CheckIn;
import io.sentry.CheckInStatus;
import io.sentry.Hint;
import io.sentry.ITransaction;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sentry.protocol.Feedback;
import io.sentry.protocol.SentryId;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Sentry Java SDK sends to a running gateway; what lands on each topic is decoded. */
class SentrySdkIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  @AfterEach
  void closeSdk() {
    Sentry.close();
  }

  private static void init(Consumer<SentryOptions> extra) {
    Sentry.init(options -> {
      options.setDsn(fixture.dsn(GatewayFixture.KEY, GatewayFixture.PROJECT_ID));
      options.setRelease("backend@1.0.0");
      options.setEnvironment("it");
      options.setEnableAutoSessionTracking(false);
      options.setSendClientReports(false);
      extra.accept(options);
    });
  }

  private static List<IngestMessage> decoded(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> IngestCodec.decode(r.value())).toList();
  }

  @Test
  void exceptionLandsOnIngestEventsWithRelayFields() {
    init(o -> { });
    SentryId id = Sentry.captureException(new IllegalStateException("boom"));
    Sentry.flush(10_000);

    List<IngestMessage> messages = decoded(fixture.read(Topics.INGEST_EVENTS, 1, WAIT));
    assertThat(messages).hasSize(1);
    EventMessage event = (EventMessage) messages.get(0);
    assertThat(event.eventId()).isEqualTo(id.toString());
    assertThat(event.projectId()).isEqualTo(GatewayFixture.PROJECT_ID);
    JsonObject payload = new JsonObject(new String(event.payload(), StandardCharsets.UTF_8));
    assertThat(payload.getJsonObject("exception").getJsonArray("values").getJsonObject(0).getString("type"))
        .isEqualTo("IllegalStateException");
    assertThat(event.remoteAddr()).isEqualTo("127.0.0.1");
  }

  @Test
  void transactionLandsOnIngestTransactions() {
    init(o -> o.setTracesSampleRate(1.0));
    ITransaction tx = Sentry.startTransaction("GET /checkout", "http.server");
    tx.startChild("db.query", "SELECT 1").finish();
    tx.finish();
    Sentry.flush(10_000);

    List<IngestMessage> messages = decoded(fixture.read(Topics.INGEST_TRANSACTIONS, 1, WAIT));
    assertThat(messages).hasSize(1);
    JsonObject payload = new JsonObject(new String(((EventMessage) messages.get(0)).payload(), StandardCharsets.UTF_8));
    assertThat(payload.getString("transaction")).isEqualTo("GET /checkout");
    assertThat(payload.getJsonArray("spans")).hasSize(1);
  }

  @Test
  void attachmentGoesToIngestAttachmentsBeforeItsEvent() {
    init(o -> { });
    byte[] data = "log line\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    SentryId id = Sentry.captureException(new RuntimeException("with attachment"),
        Hint.withAttachment(new Attachment(data, "app.log")));
    Sentry.flush(10_000);

    List<IngestMessage> messages = decoded(fixture.read(Topics.INGEST_ATTACHMENTS, 2, WAIT));
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0)).isInstanceOf(AttachmentChunkMessage.class);
    EventMessage event = (EventMessage) messages.get(1);
    assertThat(event.eventId()).isEqualTo(id.toString());
    assertThat(event.attachments()).hasSize(1);
    assertThat(event.attachments().get(0).name()).isEqualTo("app.log");
    assertThat(((AttachmentChunkMessage) messages.get(0)).payload()).isEqualTo(data);
  }

  @Test
  void checkInLandsOnIngestMonitors() {
    init(o -> { });
    Sentry.captureCheckIn(new CheckIn("nightly-report", CheckInStatus.OK));
    Sentry.flush(10_000);

    List<IngestMessage> messages = decoded(fixture.read(Topics.INGEST_MONITORS, 1, WAIT));
    assertThat(messages).hasSize(1);
    CheckInMessage checkIn = (CheckInMessage) messages.get(0);
    assertThat(new String(checkIn.payload(), StandardCharsets.UTF_8)).contains("nightly-report");
    assertThat(checkIn.projectId()).isEqualTo(GatewayFixture.PROJECT_ID);
  }

  @Test
  void feedbackLandsOnIngestFeedbackEvents() {
    init(o -> { });
    Sentry.captureFeedback(new Feedback("the checkout button does nothing"));
    Sentry.flush(10_000);

    List<IngestMessage> messages = decoded(fixture.read(Topics.INGEST_FEEDBACK_EVENTS, 1, WAIT));
    assertThat(messages).hasSize(1);
    assertThat(new String(((EventMessage) messages.get(0)).payload(), StandardCharsets.UTF_8))
        .contains("the checkout button does nothing");
  }

  @Test
  void sessionLandsOnIngestSessions() {
    init(o -> { });
    Sentry.startSession();
    Sentry.endSession();
    Sentry.flush(10_000);

    List<ConsumerRecord<byte[], byte[]>> records = fixture.read(Topics.INGEST_SESSIONS, 1, WAIT);
    assertThat(records).isNotEmpty();
    JsonObject session = new JsonObject(new String(records.get(0).value(), StandardCharsets.UTF_8));
    assertThat(session.getString("release")).isEqualTo("backend@1.0.0");
    assertThat(session.getLong("project_id")).isEqualTo(GatewayFixture.PROJECT_ID);
  }

  @Test
  void logsLandOnSnubaItems() {
    init(o -> o.getLogs().setEnabled(true));
    Sentry.logger().info("order %s shipped", "A-17");
    Sentry.flush(10_000);

    List<ConsumerRecord<byte[], byte[]>> records = fixture.read(Topics.SNUBA_ITEMS, 1, WAIT);
    assertThat(records).hasSize(1);
    assertThat(new String(records.get(0).value(), StandardCharsets.ISO_8859_1)).contains("shipped");
  }
}

package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.AttachmentChunkMessage;
import io.lookout.storage.kafka.message.AttachmentMessage;
import io.lookout.storage.kafka.message.EventMessage;
import io.lookout.storage.kafka.message.IngestCodec;
import io.lookout.storage.kafka.message.IngestMessage;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The endpoints besides envelope and store: security reports, attachments, minidumps, cron. */
class EndpointsIT {

  private static final String BOUNDARY = "----lookout-it-boundary";
  private static final String QUERY = "?sentry_version=7&sentry_key=" + GatewayFixture.KEY;
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static GatewayFixture fixture;

  @BeforeAll
  static void start() throws Exception {
    fixture = GatewayFixture.start(new JsonObject());
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
  }

  private static byte[] multipart(String[][] files, String[][] fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String[] field : fields) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
          + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    for (String[] file : files) {
      out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + file[0] + "\"; filename=\""
          + file[1] + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(file[2].getBytes(StandardCharsets.ISO_8859_1));
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static HttpResponse<String> postMultipart(String path, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url(path)))
        .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<IngestMessage> attachments(int expected) {
    return fixture.read(Topics.INGEST_ATTACHMENTS, expected, Duration.ofSeconds(10)).stream()
        .map(r -> IngestCodec.decode(r.value())).toList();
  }

  @Test
  void cspReportIsAcceptedAs201AndForwarded() throws Exception {
    String report = new JsonObject().put("csp-report", new JsonObject()
        .put("document-uri", "https://example.com/").put("violated-directive", "script-src")
        .put("blocked-uri", "https://evil.example/x.js")).encode();
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url(
            "/api/42/security/" + QUERY + "&sentry_release=web%401.2")))
        .header("Content-Type", "application/csp-report")
        .POST(HttpRequest.BodyPublishers.ofString(report)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    List<IngestMessage> events = fixture.read(Topics.INGEST_EVENTS, 1, Duration.ofSeconds(10)).stream()
        .map(r -> IngestCodec.decode(r.value())).toList();
    assertThat(events).hasSize(1);
    assertThat(new String(((EventMessage) events.get(0)).payload(), StandardCharsets.UTF_8)).contains("script-src");
  }

  @Test
  void attachmentsEndpointAnswers201AndStoresEachFile() throws Exception {
    String eventId = GatewayFixture.randomEventId();
    byte[] body = multipart(new String[][] {{"log", "app.log", "line 1\nline 2\n"}}, new String[0][]);
    HttpResponse<String> response = postMultipart("/api/42/events/" + eventId + "/attachments/" + QUERY, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    List<IngestMessage> messages = attachments(1);
    assertThat(messages).hasSize(1);
    AttachmentMessage attachment = (AttachmentMessage) messages.get(0);
    assertThat(attachment.eventId()).isEqualTo(eventId);
    assertThat(attachment.attachment().name()).isEqualTo("app.log");
  }

  @Test
  void minidumpBecomesAnEventWithAMinidumpAttachment() throws Exception {
    String dump = "MDMP" + "\0".repeat(60);
    byte[] body = multipart(new String[][] {{"upload_file_minidump", "crash.dmp", dump}},
        new String[][] {{"sentry[release]", "native@2.0"}});
    HttpResponse<String> response = postMultipart("/api/42/minidump/" + QUERY, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String hyphenated = response.body().trim();
    assertThat(hyphenated).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    List<IngestMessage> messages = attachments(2);
    EventMessage event = (EventMessage) messages.stream().filter(m -> m instanceof EventMessage).findFirst()
        .orElseThrow();
    assertThat(event.eventId()).isEqualTo(hyphenated.replace("-", ""));
    assertThat(event.attachments()).hasSize(1);
    assertThat(event.attachments().get(0).attachmentType()).isEqualTo("event.minidump");
    assertThat(new String(event.payload(), StandardCharsets.UTF_8)).contains("native@2.0").contains("\"native\"");
    assertThat(messages).anyMatch(m -> m instanceof AttachmentChunkMessage);

    HttpResponse<String> notADump = postMultipart("/api/42/minidump/" + QUERY,
        multipart(new String[][] {{"upload_file_minidump", "x.dmp", "hello"}}, new String[0][]));
    assertThat(notADump.statusCode()).isEqualTo(400);
  }

  @Test
  void cronCheckInLandsOnIngestMonitors() throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url(
        "/api/42/cron/db-backup/" + GatewayFixture.KEY + "/?status=in_progress"))).POST(
            HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(fixture.read(Topics.INGEST_MONITORS, 1, Duration.ofSeconds(10))).hasSize(1);
  }
}

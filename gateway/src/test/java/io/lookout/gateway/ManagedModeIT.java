package io.lookout.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.kafka.Topics;
import io.lookout.storage.kafka.message.Outcome;
import io.lookout.storage.kafka.message.OutcomeCodec;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Managed mode: projects, keys and filter settings come from Postgres (its own schema here). */
class ManagedModeIT {

  private static final String KEY = "d1b2c3d4e5f60718293a4b5c6d7e8f90";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static Vertx vertx;
  private static Pool pool;
  private static String schema;
  private static GatewayFixture fixture;
  private static long projectId;

  @BeforeAll
  static void start() throws Exception {
    schema = "it_gw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    StorageConfig base = StorageConfig.load();
    StorageConfig storage = new StorageConfig(base.stateDir(), base.postgres().withSchema(schema), base.redis(),
        base.rabbitmq(), base.clickhouse(), base.kafka(), base.nodestore());
    vertx = Vertx.vertx();
    pool = PgPools.create(vertx, storage.postgres());
    PostgresMigrator.migrate(pool, schema).await(60, TimeUnit.SECONDS);
    long org = pool.preparedQuery("INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme') RETURNING id")
        .execute().await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    JsonObject options = new JsonObject().put("filterSettings",
        new JsonObject().put("localhost", new JsonObject().put("isEnabled", true)));
    projectId = pool.preparedQuery("INSERT INTO projects (organization_id, slug, name, options) VALUES ($1, 'web', 'web', $2)"
        + " RETURNING id").execute(Tuple.of(org, options)).await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
    pool.preparedQuery("INSERT INTO project_keys (project_id, public_key, secret_key) VALUES ($1, $2, $2)")
        .execute(Tuple.of(projectId, KEY)).await(10, TimeUnit.SECONDS);
    fixture = GatewayFixture.start(new JsonObject().put("relay", new JsonObject().put("mode", "managed")), storage);
  }

  @AfterAll
  static void stop() throws Exception {
    fixture.close();
    pool.query("DROP SCHEMA " + schema + " CASCADE").execute().await(30, TimeUnit.SECONDS);
    pool.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> send(String key, String eventJson) throws Exception {
    String eventId = new JsonObject(eventJson).getString("event_id", GatewayFixture.randomEventId());
    String body = "{\"event_id\":\"" + eventId + "\"}\n{\"type\":\"event\",\"length\":" + eventJson.length()
        + "}\n" + eventJson + "\n";
    return HTTP.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/" + projectId + "/envelope/")))
        .header("X-Sentry-Auth", "Sentry sentry_version=7,sentry_key=" + key)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void keyFromPostgresIsAcceptedAndUnknownKeyIsNot() throws Exception {
    String id = GatewayFixture.randomEventId();
    HttpResponse<String> ok = send(KEY, new JsonObject().put("event_id", id).put("message", "hi").encode());
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(fixture.read(Topics.INGEST_EVENTS, 1, Duration.ofSeconds(10))).hasSize(1);

    HttpResponse<String> unknown = send("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", "{}");
    assertThat(unknown.statusCode()).isEqualTo(401);
  }

  @Test
  void projectFilterSettingsFromPostgresFilterLocalhostEvents() throws Exception {
    String id = GatewayFixture.randomEventId();
    String event = new JsonObject().put("event_id", id).put("message", "from my laptop")
        .put("request", new JsonObject().put("url", "http://localhost:8080/checkout")).encode();
    HttpResponse<String> response = send(KEY, event);
    assertThat(response.statusCode()).isEqualTo(200);

    List<Outcome> filtered = fixture.read(Topics.OUTCOMES, 100, Duration.ofSeconds(5)).stream()
        .map(r -> OutcomeCodec.decode(r.value()))
        .filter(o -> o.eventId() != null && o.eventId().replace("-", "").equals(id)).toList();
    assertThat(filtered).isNotEmpty();
    assertThat(filtered.get(0).outcome()).isEqualTo(1);
    assertThat(filtered.get(0).reason()).isEqualTo("localhost");
  }
}

package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.postprocess.RuleParser;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The issue alert rules API against a Postgres schema of its own. */
class RuleApiIT {

  private static Vertx vertx;
  private static Pool pool;
  private static String schema;
  private static ApiServer server;
  private static HttpClient http;
  private static String token;
  private static String readToken;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    schema = "it_rules_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    StorageConfig storage = StorageConfig.load();
    pool = PgPools.create(vertx, storage.postgres().withSchema(schema));
    PostgresMigrator.migrate(pool, schema).await(60, TimeUnit.SECONDS);
    long org = one("INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme') RETURNING id");
    one("INSERT INTO projects (organization_id, slug, name) VALUES ($1, 'backend', 'Backend') RETURNING id", org);
    one("INSERT INTO projects (organization_id, slug, name) VALUES ($1, 'web', 'Web') RETURNING id", org);
    token = ApiTokens.newToken();
    one("INSERT INTO api_tokens (token_hash, label) VALUES ($1, 'it') RETURNING id", ApiTokens.sha256(token));
    readToken = ApiTokens.newToken();
    one("INSERT INTO api_tokens (token_hash, label, scopes) VALUES ($1, 'ro', '{project:read}') RETURNING id",
        ApiTokens.sha256(readToken));
    server = ApiServer.deploy(vertx, ApiConfig.fromJson(new JsonObject().put("port", 0)), pool,
        Nodestore.create(vertx, pool, storage.nodestore())).await(30, TimeUnit.SECONDS);
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    pool.query("DROP SCHEMA " + schema + " CASCADE").execute().await(30, TimeUnit.SECONDS);
    pool.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private static long one(String sql, Object... args) throws Exception {
    return pool.preparedQuery(sql).execute(Tuple.from(args)).await(10, TimeUnit.SECONDS).iterator().next().getLong(0);
  }

  private static HttpResponse<String> call(String method, String path, Object body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + bearer)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> call(String method, String path, Object body) throws Exception {
    return call(method, path, body, token);
  }

  static JsonObject rule() {
    return new JsonObject().put("name", "New prod errors").put("actionMatch", "any").put("filterMatch", "all")
        .put("frequency", 30).put("environment", "production")
        .put("conditions", new JsonArray().add(new JsonObject().put("id", RuleParser.FIRST_SEEN))
            .add(new JsonObject().put("id", RuleParser.EVENT_FREQUENCY).put("value", "100").put("interval", "1h")))
        .put("filters", new JsonArray().add(new JsonObject().put("id", RuleParser.LEVEL).put("match", "gte")
            .put("level", "40")))
        .put("actions", new JsonArray().add(new JsonObject().put("id", RuleParser.NOTIFY_EVENT_SERVICE)
            .put("service", "webhooks").put("url", "https://hooks.example.com/sentry")));
  }

  @Test
  void rulesCanBeCreatedReadUpdatedAndDeleted() throws Exception {
    String base = "/api/0/projects/acme/backend/rules/";
    HttpResponse<String> created = call("POST", base, rule());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    JsonObject body = new JsonObject(created.body());
    String id = body.getString("id");
    assertThat(body.getString("name")).isEqualTo("New prod errors");
    assertThat(body.getString("actionMatch")).isEqualTo("any");
    assertThat(body.getInteger("frequency")).isEqualTo(30);
    assertThat(body.getString("environment")).isEqualTo("production");
    assertThat(body.getJsonArray("projects")).containsExactly("backend");
    assertThat(body.getJsonArray("conditions").getJsonObject(0).getString("name")).isEqualTo("A new issue is created");
    assertThat(body.getJsonArray("conditions").getJsonObject(1).getString("name"))
        .isEqualTo("The issue is seen more than 100 times in one hour");
    assertThat(body.getJsonArray("conditions").getJsonObject(1).getLong("value")).isEqualTo(100);
    assertThat(body.getJsonArray("filters").getJsonObject(0).getString("name"))
        .isEqualTo("The event's level is greater than or equal to error");
    assertThat(body.getString("dateCreated")).isNotNull();

    HttpResponse<String> list = call("GET", base, null, readToken);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(new JsonArray(list.body()).getJsonObject(0).getString("id")).isEqualTo(id);
    assertThat(new JsonArray(call("GET", "/api/0/projects/acme/web/rules/", null).body())).isEmpty();

    HttpResponse<String> got = call("GET", base + id + "/", null);
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(got.body()).getString("name")).isEqualTo("New prod errors");

    HttpResponse<String> updated = call("PUT", base + id + "/", new JsonObject().put("name", "Renamed")
        .put("frequency", 60));
    assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
    JsonObject after = new JsonObject(updated.body());
    assertThat(after.getString("name")).isEqualTo("Renamed");
    assertThat(after.getInteger("frequency")).isEqualTo(60);
    assertThat(after.getJsonArray("conditions")).hasSize(2);

    assertThat(call("GET", "/api/0/projects/acme/web/rules/" + id + "/", null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", base + id + "/", null, readToken).statusCode()).isEqualTo(403);
    assertThat(call("DELETE", base + id + "/", null).statusCode()).isEqualTo(202);
    assertThat(call("GET", base + id + "/", null).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", base + id + "/", null).statusCode()).isEqualTo(404);
  }

  @Test
  void invalidRulesAreRejectedWithADetail() throws Exception {
    String base = "/api/0/projects/acme/backend/rules/";
    assertBadRequest(call("POST", base, "{not json"), "Malformed JSON");
    assertBadRequest(call("POST", base, rule().put("name", "")), "name");
    assertBadRequest(call("POST", base, rule().put("actionMatch", "sometimes")), "actionMatch");
    assertBadRequest(call("POST", base, rule().put("frequency", 2)), "frequency");
    assertBadRequest(call("POST", base, rule().put("actions", new JsonArray())), "actions");
    assertBadRequest(call("POST", base, rule().put("conditions", new JsonArray().add(new JsonObject()
        .put("id", "sentry.rules.conditions.nope")))), "conditions[0].id");
    assertBadRequest(call("POST", base, rule().put("filters", new JsonArray().add(new JsonObject()
        .put("id", RuleParser.TAGGED).put("key", "server").put("match", "xx")))), "filters[0].match");
    assertBadRequest(call("POST", base, rule().put("actions", new JsonArray().add(new JsonObject()
        .put("id", RuleParser.NOTIFY_EVENT_SERVICE).put("service", "webhooks").put("url", "ftp://x")))), "actions[0].url");
    String id = new JsonObject(call("POST", base, rule()).body()).getString("id");
    assertBadRequest(call("PUT", base + id + "/", new JsonObject().put("filterMatch", 3)), "filterMatch");
    assertThat(call("POST", "/api/0/projects/acme/nope/rules/", rule()).statusCode()).isEqualTo(404);
  }

  private static void assertBadRequest(HttpResponse<String> response, String detail) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    assertThat(new JsonObject(response.body()).getString("detail")).contains(detail);
  }
}

package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lookout.processors.cli.AdminCliAccess;
import io.lookout.storage.config.ConfLoader;
import io.lookout.storage.config.StorageConfig;
import io.lookout.storage.nodestore.Node;
import io.lookout.storage.nodestore.Nodestore;
import io.lookout.storage.postgres.PgPools;
import io.lookout.storage.postgres.PostgresConfig;
import io.lookout.storage.postgres.PostgresMigrator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read API against a real Postgres schema of its own: orgs, projects, issues, attachments,
 * feedback and tokens inserted with SQL, events written through the nodestore, requests sent with
 * the JDK's HTTP client.
 */
class ApiServerIT {

  private static final OffsetDateTime BASE = OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC);
  private static final String ORG = "acme";
  private static final String PROJECT = "backend";
  private static final String EVENT = "0123456789abcdef0123456789abcdef";
  private static final byte[] ATTACHMENT = "hello, attachment \u00e9\u0000\u0001".getBytes(StandardCharsets.UTF_8);

  private static Vertx vertx;
  private static Pool pool;
  private static String schema;
  private static Nodestore nodestore;
  private static ApiServer server;
  private static HttpClient http;
  private static String token;
  private static long projectId;
  /** Unresolved issues g[1]..g[7]; g[0] unused. */
  private static final long[] g = new long[8];
  private static long resolved;
  private static long ignored;
  private static long attachmentId;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    schema = "it_api_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    StorageConfig storage = StorageConfig.load();
    PostgresConfig config = storage.postgres().withSchema(schema);
    pool = PgPools.create(vertx, config);
    await(PostgresMigrator.migrate(pool, schema));
    nodestore = Nodestore.create(vertx, pool, storage.nodestore());
    seed();
    ApiConfig api = ApiConfig.fromJson(new JsonObject().put("port", 0).put("default_page_size", 25));
    server = await(ApiServer.deploy(vertx, api, pool, nodestore));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      await(pool.query("DROP SCHEMA " + schema + " CASCADE").execute());
    } finally {
      await(pool.close());
      await(vertx.close());
    }
  }

  private static void seed() throws Exception {
    long org = one("INSERT INTO organizations (slug, name) VALUES ($1, 'Acme') RETURNING id", ORG).getLong(0);
    projectId = one("INSERT INTO projects (organization_id, slug, name, platform) VALUES ($1, $2, 'Backend', 'java')"
        + " RETURNING id", org, PROJECT).getLong(0);
    one("INSERT INTO projects (organization_id, slug, name) VALUES ($1, 'web', 'Web') RETURNING id", org);
    one("INSERT INTO organizations (slug, name) VALUES ('other', 'Other') RETURNING id");
    long[] timesSeen = {0, 5, 1, 7, 3, 9, 2, 8};
    for (int i = 1; i <= 7; i++) {
      // g2 and g3 share last_seen: the id breaks the tie
      int minute = i == 3 ? 2 : i;
      g[i] = group(i, "unresolved", null, i % 2 == 1 ? "error" : "warning", BASE.plusMinutes(minute),
          BASE.minusHours(i), timesSeen[i], i == 1 ? EVENT : null);
    }
    resolved = group(8, "resolved", null, "error", BASE.plusMinutes(30), BASE.minusHours(30), 4, null);
    ignored = group(9, "ignored", "archived_forever", "fatal", BASE.plusMinutes(40), BASE.minusHours(40), 6, null);

    JsonObject event = io.lookout.processors.api.EventSerializerTest.storedEvent(EVENT, g[1]);
    await(nodestore.putMany(List.of(Node.of(projectId, EVENT, Instant.now(), event.encode().getBytes(
        StandardCharsets.UTF_8)))));

    String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(ATTACHMENT));
    long blob = one("INSERT INTO file_blobs (checksum, size, data) VALUES ($1, $2, $3) RETURNING id", sha1,
        (long) ATTACHMENT.length, Buffer.buffer(ATTACHMENT)).getLong(0);
    attachmentId = one("INSERT INTO event_attachments (project_id, event_id, group_id, type, name, content_type,"
        + " size, blob_id) VALUES ($1, $2, $3, 'event.attachment', 'notes \"1\".txt', 'text/plain', $4, $5)"
        + " RETURNING id", projectId, EVENT, g[1], (long) ATTACHMENT.length, blob).getLong(0);

    one("INSERT INTO user_reports (project_id, event_id, group_id, name, email, comments, date_added)"
        + " VALUES ($1, $2, $3, 'Ann', 'ann@example.com', 'it broke', $4) RETURNING id", projectId, EVENT, g[1],
        BASE.plusMinutes(5));
    one("INSERT INTO user_reports (project_id, event_id, name, email, comments, date_added)"
        + " VALUES ($1, 'ffffffffffffffffffffffffffffffff', 'Bob', '', 'me too', $2) RETURNING id", projectId,
        BASE.plusMinutes(6));

    token = io.lookout.processors.api.ApiTokens.newToken();
    one("INSERT INTO api_tokens (token_hash, label) VALUES ($1, 'it') RETURNING id", ApiTokens.sha256(token));
  }

  private static long group(int shortId, String status, String substatus, String level, OffsetDateTime lastSeen,
      OffsetDateTime firstSeen, long timesSeen, String latestEvent) {
    return one("INSERT INTO groups (project_id, short_id, title, culprit, level, status, substatus, first_seen,"
        + " last_seen, times_seen, metadata, latest_event_id, platform)"
        + " VALUES ($1, $2, $3, 'OrderService in place', $4, $5, $6, $7, $8, $9, $10, $11, 'java') RETURNING id",
        projectId, (long) shortId, "Issue " + shortId, level, status, substatus, firstSeen, lastSeen, timesSeen,
        new JsonObject().put("type", "IllegalStateException").put("value", "boom " + shortId), latestEvent)
        .getLong(0);
  }

  private static Row one(String sql, Object... args) {
    return await(pool.preparedQuery(sql).execute(Tuple.from(args))).iterator().next();
  }

  private static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  // --- HTTP helpers

  private static HttpResponse<byte[]> send(String method, String path, String auth, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (auth != null) {
      b.header("Authorization", auth);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static String url(String path) {
    return path.startsWith("http") ? path : "http://127.0.0.1:" + server.actualPort() + path;
  }

  private static HttpResponse<byte[]> get(String path) throws Exception {
    return send("GET", path, "Bearer " + token, null);
  }

  private static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  private static JsonObject object(HttpResponse<byte[]> r) {
    return new JsonObject(text(r));
  }

  private static JsonArray array(HttpResponse<byte[]> r) {
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    return new JsonArray(text(r));
  }

  private static List<Long> ids(JsonArray issues) {
    List<Long> out = new ArrayList<>();
    issues.forEach(i -> out.add(Long.parseLong(((JsonObject) i).getString("id"))));
    return out;
  }

  private static List<Long> issueIds(String query) throws Exception {
    return ids(array(get("/api/0/projects/" + ORG + "/" + PROJECT + "/issues/" + query)));
  }

  /** rel -> [url, results, cursor] from Sentry's Link header. */
  private static Map<String, String[]> links(HttpResponse<byte[]> r) {
    String header = r.headers().firstValue("Link").orElseThrow();
    Matcher m = Pattern.compile("<([^>]*)>; rel=\"(\\w+)\"; results=\"(\\w+)\"; cursor=\"([^\"]*)\"").matcher(header);
    Map<String, String[]> out = new HashMap<>();
    while (m.find()) {
      out.put(m.group(2), new String[] {m.group(1), m.group(3), m.group(4)});
    }
    assertThat(out).containsOnlyKeys("previous", "next");
    return out;
  }

  // --- tests

  @Test
  void requestsWithoutAValidBearerTokenGet401() throws Exception {
    String path = "/api/0/projects/" + ORG + "/" + PROJECT + "/issues/";
    HttpResponse<byte[]> none = send("GET", path, null, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(object(none).getString("detail")).isEqualTo("Authentication credentials were not provided.");
    HttpResponse<byte[]> basic = send("GET", path, "Basic dXNlcjpwYXNz", null);
    assertThat(basic.statusCode()).isEqualTo(401);
    HttpResponse<byte[]> bad = send("GET", path, "Bearer " + "0".repeat(64), null);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(object(bad).getString("detail")).isEqualTo("Invalid token");
    HttpResponse<byte[]> good = get(path);
    assertThat(good.statusCode()).isEqualTo(200);
    assertThat(good.headers().firstValue("Content-Type")).hasValue("application/json");
    Row used = one("SELECT last_used FROM api_tokens WHERE label = 'it'");
    assertThat(used.getOffsetDateTime(0)).isNotNull();
  }

  @Test
  void issueListFiltersByStatusAndLevel() throws Exception {
    // default: unresolved only, newest last_seen first
    assertThat(issueIds("")).containsExactly(g[7], g[6], g[5], g[4], g[3], g[2], g[1]);
    assertThat(issueIds("?query=is:resolved")).containsExactly(resolved);
    assertThat(issueIds("?query=is%3Aignored")).containsExactly(ignored);
    assertThat(issueIds("?status=resolved")).containsExactly(resolved);
    assertThat(issueIds("?query=is:unresolved%20level:warning")).containsExactly(g[6], g[4], g[2]);
    assertThat(issueIds("?query=&level=error")).containsExactly(resolved, g[7], g[5], g[3], g[1]);
    assertThat(issueIds("?query=level:[error,fatal]")).containsExactly(ignored, resolved, g[7], g[5], g[3], g[1]);
    assertThat(issueIds("?query=is:resolved%20is:ignored")).containsExactly(ignored, resolved);
    assertThat(issueIds("?query=%22Issue%205%22")).containsExactly(g[5]);
    assertThat(issueIds("?query=is:unresolved&status=resolved")).isEmpty();
    HttpResponse<byte[]> bad = get("/api/0/projects/" + ORG + "/" + PROJECT + "/issues/?query=assigned:me");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(object(bad).getString("detail")).contains("assigned");
    assertThat(get("/api/0/projects/" + ORG + "/" + PROJECT + "/issues/?limit=x").statusCode()).isEqualTo(400);
  }

  @Test
  void issueListSortsByLastSeenFirstSeenAndCount() throws Exception {
    assertThat(issueIds("?sort=date")).containsExactly(g[7], g[6], g[5], g[4], g[3], g[2], g[1]);
    // first_seen is BASE - i hours: g1 is the newest
    assertThat(issueIds("?sort=new")).containsExactly(g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
    // times_seen 5, 1, 7, 3, 9, 2, 8
    assertThat(issueIds("?sort=freq")).containsExactly(g[5], g[7], g[3], g[1], g[4], g[6], g[2]);
    assertThat(issueIds("?sort=freq&query=")).containsExactly(g[5], g[7], g[3], ignored, g[1], resolved, g[4], g[6],
        g[2]);
    assertThat(get("/api/0/projects/" + ORG + "/" + PROJECT + "/issues/?sort=priority").statusCode()).isEqualTo(400);
  }

  @Test
  void cursorPaginationWalksThreePagesAndBack() throws Exception {
    for (String sort : List.of("date", "new", "freq")) {
      List<Long> all = issueIds("?sort=" + sort);
      HttpResponse<byte[]> first = get("/api/0/projects/" + ORG + "/" + PROJECT + "/issues/?sort=" + sort + "&limit=3");
      assertThat(ids(array(first))).isEqualTo(all.subList(0, 3));
      Map<String, String[]> l1 = links(first);
      assertThat(l1.get("previous")[1]).isEqualTo("false");
      assertThat(l1.get("next")[1]).isEqualTo("true");
      assertThat(l1.get("next")[0]).startsWith("http://127.0.0.1:" + server.actualPort()
          + "/api/0/projects/acme/backend/issues/?sort=" + sort + "&limit=3&cursor=").endsWith(l1.get("next")[2]);

      HttpResponse<byte[]> second = get(l1.get("next")[0]);
      assertThat(ids(array(second))).as(sort).isEqualTo(all.subList(3, 6));
      Map<String, String[]> l2 = links(second);
      assertThat(l2.get("previous")[1]).isEqualTo("true");
      assertThat(l2.get("next")[1]).isEqualTo("true");
      assertThat(l2.get("next")[0]).doesNotContain("cursor=" + l1.get("next")[2]);

      HttpResponse<byte[]> third = get(l2.get("next")[0]);
      assertThat(ids(array(third))).as(sort).isEqualTo(all.subList(6, 7));
      Map<String, String[]> l3 = links(third);
      assertThat(l3.get("previous")[1]).isEqualTo("true");
      assertThat(l3.get("next")[1]).isEqualTo("false");

      HttpResponse<byte[]> back = get(l3.get("previous")[0]);
      assertThat(ids(array(back))).as(sort).isEqualTo(all.subList(3, 6));
      HttpResponse<byte[]> backToStart = get(links(back).get("previous")[0]);
      assertThat(ids(array(backToStart))).as(sort).isEqualTo(all.subList(0, 3));
      assertThat(links(backToStart).get("previous")[1]).isEqualTo("false");
      assertThat(links(backToStart).get("next")[1]).isEqualTo("true");
    }
    assertThat(get("/api/0/projects/" + ORG + "/" + PROJECT + "/issues/?cursor=nope").statusCode()).isEqualTo(400);
  }

  @Test
  void issueDetailsHaveSentrysFields() throws Exception {
    HttpResponse<byte[]> r = get("/api/0/issues/" + g[5] + "/");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonObject issue = object(r);
    assertThat(issue.getString("id")).isEqualTo(Long.toString(g[5]));
    assertThat(issue.getString("shortId")).isEqualTo("BACKEND-5");
    assertThat(issue.getString("title")).isEqualTo("Issue 5");
    assertThat(issue.getString("culprit")).isEqualTo("OrderService in place");
    assertThat(issue.getString("permalink")).isEqualTo("http://127.0.0.1:" + server.actualPort()
        + "/organizations/acme/issues/" + g[5] + "/");
    assertThat(issue.getString("level")).isEqualTo("error");
    assertThat(issue.getString("status")).isEqualTo("unresolved");
    assertThat(issue.getString("count")).isEqualTo("9");
    assertThat(issue.getInteger("userCount")).isZero();
    assertThat(issue.getInteger("numComments")).isZero();
    assertThat(issue.getString("firstSeen")).isEqualTo("2024-06-01T07:00:00.000Z");
    assertThat(issue.getString("lastSeen")).isEqualTo("2024-06-01T12:05:00.000Z");
    assertThat(issue.getJsonObject("project")).isEqualTo(new JsonObject().put("id", Long.toString(projectId))
        .put("name", "Backend").put("slug", "backend").put("platform", "java"));
    assertThat(issue.getJsonObject("metadata").getString("value")).isEqualTo("boom 5");
    assertThat(issue.getString("type")).isEqualTo("error");
    assertThat(issue.getString("platform")).isEqualTo("java");

    // without the trailing slash too, query string kept
    assertThat(object(get("/api/0/issues/" + g[5])).getString("id")).isEqualTo(Long.toString(g[5]));
    assertThat(ids(array(get("/api/0/projects/acme/backend/issues?query=is:resolved")))).containsExactly(resolved);

    JsonObject viaOrg = object(get("/api/0/organizations/acme/issues/" + g[5] + "/"));
    assertThat(viaOrg.getString("shortId")).isEqualTo("BACKEND-5");
    JsonObject viaShortId = object(get("/api/0/organizations/acme/issues/BACKEND-5/"));
    assertThat(viaShortId.getString("id")).isEqualTo(Long.toString(g[5]));
    assertThat(get("/api/0/organizations/other/issues/" + g[5] + "/").statusCode()).isEqualTo(404);
  }

  @Test
  void putResolvesUnresolvesAndIgnores() throws Exception {
    String path = "/api/0/issues/" + g[4] + "/";
    String auth = "Bearer " + token;
    HttpResponse<byte[]> r = send("PUT", path, auth, "{\"status\": \"resolved\"}");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(object(r).getString("status")).isEqualTo("resolved");
    assertThat(object(r).getValue("substatus")).isNull();
    Row row = one("SELECT status, substatus, resolved_at FROM groups WHERE id = $1", g[4]);
    assertThat(row.getString("status")).isEqualTo("resolved");
    assertThat(row.getOffsetDateTime("resolved_at")).isNotNull();
    assertThat(issueIds("?query=is:resolved")).contains(g[4]);

    r = send("PUT", path, auth, "{\"status\": \"unresolved\"}");
    assertThat(object(r).getString("status")).isEqualTo("unresolved");
    assertThat(object(r).getString("substatus")).isEqualTo("ongoing");
    row = one("SELECT status, substatus, resolved_at FROM groups WHERE id = $1", g[4]);
    assertThat(row.getOffsetDateTime("resolved_at")).isNull();

    r = send("PUT", "/api/0/organizations/acme/issues/BACKEND-4/", auth, "{\"status\": \"ignored\"}");
    assertThat(object(r).getString("status")).isEqualTo("ignored");
    assertThat(object(r).getString("substatus")).isEqualTo("archived_forever");
    r = send("PUT", "/api/0/issues/" + g[4], auth, "{\"status\": \"unresolved\"}");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    assertThat(object(r).getString("substatus")).isEqualTo("ongoing");

    for (String body : List.of("", "nope", "[1]", "{\"status\": \"done\"}", "{}",
        "{\"status\": \"ignored\", \"substatus\": \"ongoing\"}")) {
      HttpResponse<byte[]> bad = send("PUT", path, auth, body);
      assertThat(bad.statusCode()).as(body).isEqualTo(400);
      assertThat(object(bad).getString("detail")).as(body).isNotBlank();
    }
    assertThat(send("PUT", "/api/0/issues/999999999/", auth, "{\"status\": \"resolved\"}").statusCode())
        .isEqualTo(404);
    assertThat(one("SELECT status FROM groups WHERE id = $1", g[4]).getString(0)).isEqualTo("unresolved");
  }

  @Test
  void latestEventAndEventByIdHaveEntries() throws Exception {
    HttpResponse<byte[]> r = get("/api/0/issues/" + g[1] + "/events/latest/");
    assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
    JsonObject event = object(r);
    assertThat(event.getString("id")).isEqualTo(EVENT);
    assertThat(event.getString("eventID")).isEqualTo(EVENT);
    assertThat(event.getString("groupID")).isEqualTo(Long.toString(g[1]));
    assertThat(event.getString("projectID")).isEqualTo(Long.toString(projectId));
    assertThat(event.getString("title")).isEqualTo("IllegalStateException: boom");
    assertThat(event.getString("dateCreated")).isEqualTo("2024-06-01T12:00:05.250Z");
    assertThat(event.getJsonArray("entries").stream().map(e -> ((JsonObject) e).getString("type")))
        .containsExactly("message", "exception", "breadcrumbs", "request");
    assertThat(event.getJsonArray("tags").getJsonObject(0).getString("key")).isEqualTo("server_name");

    JsonObject byId = object(get("/api/0/projects/acme/backend/events/" + EVENT + "/"));
    assertThat(byId).isEqualTo(event);
    String hyphenated = UUID.fromString(EVENT.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"))
        .toString();
    assertThat(get("/api/0/projects/acme/backend/events/" + hyphenated + "/").statusCode()).isEqualTo(200);

    assertThat(get("/api/0/issues/" + g[2] + "/events/latest/").statusCode()).isEqualTo(404);
    assertThat(get("/api/0/projects/acme/backend/events/" + "e".repeat(32) + "/").statusCode()).isEqualTo(404);
    assertThat(get("/api/0/projects/acme/web/events/" + EVENT + "/").statusCode()).isEqualTo(404);
    assertThat(get("/api/0/projects/acme/backend/events/not-an-id/").statusCode()).isEqualTo(404);
  }

  @Test
  void attachmentsAreListedAndDownloaded() throws Exception {
    String base = "/api/0/projects/acme/backend/events/" + EVENT + "/attachments/";
    JsonArray list = array(get(base));
    assertThat(list).hasSize(1);
    JsonObject a = list.getJsonObject(0);
    assertThat(a.getString("id")).isEqualTo(Long.toString(attachmentId));
    assertThat(a.getString("name")).isEqualTo("notes \"1\".txt");
    assertThat(a.getString("type")).isEqualTo("event.attachment");
    assertThat(a.getString("mimetype")).isEqualTo("text/plain");
    assertThat(a.getLong("size")).isEqualTo(ATTACHMENT.length);
    assertThat(a.getString("sha1")).hasSize(40);
    assertThat(a.getString("dateCreated")).endsWith("Z");

    HttpResponse<byte[]> download = get(base + attachmentId + "/?download=1");
    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.body()).isEqualTo(ATTACHMENT);
    assertThat(download.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
        .startsWith("attachment; filename=\"notes _1_.txt\"");
    assertThat(object(get(base + attachmentId + "/"))).isEqualTo(a);

    assertThat(get(base + "999999/?download=1").statusCode()).isEqualTo(404);
    assertThat(get("/api/0/projects/acme/backend/events/" + "d".repeat(32) + "/attachments/").statusCode())
        .isEqualTo(404);
  }

  @Test
  void userFeedbackIsListedNewestFirst() throws Exception {
    HttpResponse<byte[]> r = get("/api/0/projects/acme/backend/user-feedback/");
    JsonArray reports = array(r);
    assertThat(reports).hasSize(2);
    JsonObject bob = reports.getJsonObject(0);
    assertThat(bob.getString("name")).isEqualTo("Bob");
    assertThat(bob.getValue("issue")).isNull();
    JsonObject ann = reports.getJsonObject(1);
    assertThat(ann.getString("eventID")).isEqualTo(EVENT);
    assertThat(ann.getString("email")).isEqualTo("ann@example.com");
    assertThat(ann.getString("comments")).isEqualTo("it broke");
    assertThat(ann.getString("dateCreated")).isEqualTo("2024-06-01T12:05:00.000Z");
    assertThat(ann.getJsonObject("issue").getString("id")).isEqualTo(Long.toString(g[1]));
    assertThat(links(r).get("next")[1]).isEqualTo("false");
    JsonArray page = array(get("/api/0/projects/acme/backend/user-feedback/?limit=1"));
    assertThat(page.getJsonObject(0).getString("name")).isEqualTo("Bob");
  }

  @Test
  void unknownThingsAre404AndWrongMethods405() throws Exception {
    for (String path : List.of("/api/0/projects/nope/backend/issues/", "/api/0/projects/acme/nope/issues/",
        "/api/0/projects/other/backend/issues/", "/api/0/issues/999999999/", "/api/0/issues/abc/",
        "/api/0/organizations/acme/issues/NOPE-1/", "/api/0/projects/acme/nope/user-feedback/",
        "/api/0/no/such/route/")) {
      HttpResponse<byte[]> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(object(r).getString("detail")).as(path).isEqualTo("The requested resource does not exist");
    }
    HttpResponse<byte[]> post = send("POST", "/api/0/projects/acme/backend/issues/", "Bearer " + token, "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(object(post).getString("detail")).contains("POST");
    assertThat(send("DELETE", "/api/0/issues/" + g[1] + "/", "Bearer " + token, null).statusCode()).isEqualTo(405);
  }

  @Test
  void scopedTokensAreLimitedToTheirScopes() throws Exception {
    String reader = ApiTokens.newToken();
    one("INSERT INTO api_tokens (token_hash, label, scopes) VALUES ($1, 'reader', '{event:read}') RETURNING id",
        ApiTokens.sha256(reader));
    assertThat(send("GET", "/api/0/issues/" + g[1] + "/", "Bearer " + reader, null).statusCode()).isEqualTo(200);
    HttpResponse<byte[]> put = send("PUT", "/api/0/issues/" + g[1] + "/", "Bearer " + reader,
        "{\"status\": \"resolved\"}");
    assertThat(put.statusCode()).isEqualTo(403);
    assertThat(object(put).getString("detail")).isEqualTo("You do not have permission to perform this action.");
  }

  @Test
  void validTokensAreCachedAndUnknownOnesNot() throws Exception {
    String cached = ApiTokens.newToken();
    one("INSERT INTO api_tokens (token_hash, label) VALUES ($1, 'cached') RETURNING id", ApiTokens.sha256(cached));
    String path = "/api/0/issues/" + g[1] + "/";
    assertThat(send("GET", path, "Bearer " + cached, null).statusCode()).isEqualTo(200);
    one("DELETE FROM api_tokens WHERE label = 'cached' RETURNING id");
    // still trusted by the server that checked it (within token_cache_ttl_ms) ...
    assertThat(send("GET", path, "Bearer " + cached, null).statusCode()).isEqualTo(200);
    // ... but not by a server without a cache
    ApiServer uncached = await(ApiServer.deploy(vertx, ApiConfig.fromJson(new JsonObject().put("port", 0)
        .put("token_cache_ttl_ms", 0)), pool, nodestore));
    try {
      HttpResponse<byte[]> r = send("GET", "http://127.0.0.1:" + uncached.actualPort() + path, "Bearer " + cached,
          null);
      assertThat(r.statusCode()).isEqualTo(401);
      assertThat(send("GET", "http://127.0.0.1:" + uncached.actualPort() + path, "Bearer " + token, null)
          .statusCode()).isEqualTo(200);
    } finally {
      await(vertx.undeploy(uncached.deploymentID()));
    }
  }

  @Test
  void createTokenPrintsATokenThatWorks() throws Exception {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("LOOKOUT_STORAGE__POSTGRES__SCHEMA", schema);
    String dir = System.getProperty(ConfLoader.CONF_DIR_PROPERTY, "conf");
    ConfLoader loader = ConfLoader.of(Path.of(dir), env);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = AdminCliAccess.run(new String[] {"create-token", "--label", "from-cli"}, new PrintStream(out, true,
        StandardCharsets.UTF_8), loader);
    assertThat(code).isZero();
    String printed = out.toString(StandardCharsets.UTF_8);
    assertThat(printed).matches("[0-9a-f]{64}\\R");
    String created = printed.strip();
    assertThat(send("GET", "/api/0/issues/" + g[1] + "/", "Bearer " + created, null).statusCode()).isEqualTo(200);
    assertThat(one("SELECT label FROM api_tokens WHERE token_hash = $1", ApiTokens.sha256(created)).getString(0))
        .isEqualTo("from-cli");

    out.reset();
    assertThat(AdminCliAccess.run(new String[] {"list-tokens"}, new PrintStream(out, true, StandardCharsets.UTF_8),
        loader)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("from-cli").doesNotContain(created);
  }
}

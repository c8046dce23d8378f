package io.lookout.processors.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lookout.storage.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiFormatsTest {

  @Test
  void shortIdsAreSentrysBase32OfTheCounter() {
    assertThat(ApiJson.shortId("backend", 1)).isEqualTo("BACKEND-1");
    assertThat(ApiJson.shortId("my-app", 31)).isEqualTo("MY-APP-Z");
    assertThat(ApiJson.shortId("web", 32)).isEqualTo("WEB-10");
    // Crockford: no I, L, O or U among the digits
    assertThat(ApiJson.base32(18)).isEqualTo("J");
    assertThat(ApiJson.base32(1234567)).isEqualTo("15NM7");
    assertThat(ApiJson.base32Decode("15nm7")).isEqualTo(1234567);
    assertThat(ApiJson.base32Decode("1O")).isEqualTo(32);
    assertThat(ApiJson.base32Decode("U")).isEqualTo(-1);
  }

  @Test
  void qualifiedShortIdsResolveToProjectAndCounter() {
    ApiStore.IssueRef ref = ApiStore.IssueRef.parse("acme", "MY-APP-1Z");
    assertThat(ref.projectSlug()).isEqualTo("my-app");
    assertThat(ref.shortId()).isEqualTo(63);
    assertThat(ApiStore.IssueRef.parse(null, "42").id()).isEqualTo(42);
    assertThatThrownBy(() -> ApiStore.IssueRef.parse(null, "MY-APP-1Z")).isInstanceOf(ApiError.class);
  }

  @Test
  void datesHaveMillisecondsAndZ() {
    assertThat(ApiJson.date(OffsetDateTime.of(2024, 6, 1, 12, 0, 5, 123_456_000, ZoneOffset.ofHours(2))))
        .isEqualTo("2024-06-01T10:00:05.123Z");
  }

  @Test
  void cursorsRoundTripAndRejectGarbage() {
    Cursor c = Cursor.parse("1717243205123456:42:1");
    assertThat(c).isEqualTo(new Cursor(1717243205123456L, 42, true));
    assertThat(c.toString()).isEqualTo("1717243205123456:42:1");
    assertThat(Cursor.parse(null)).isNull();
    assertThatThrownBy(() -> Cursor.parse("1:2")).isInstanceOf(ApiError.class).hasMessageContaining("cursor");
    assertThatThrownBy(() -> Cursor.parse("a:2:0")).isInstanceOf(ApiError.class);
    OffsetDateTime t = OffsetDateTime.of(2024, 6, 1, 12, 0, 5, 123_456_000, ZoneOffset.UTC);
    assertThat(Cursor.time(Cursor.micros(t))).isEqualTo(t);
  }

  @Test
  void pagesGiveSentrysLinkHeader() {
    // forward from the start: 3 of 4 fetched rows shown, more after
    Page<Long> first = Page.of(List.of(9L, 8L, 7L, 6L), 3, null, v -> v * 10, v -> v);
    assertThat(first.items()).containsExactly(9L, 8L, 7L);
    assertThat(first.linkHeader("http://h/api/0/x/?query=a"))
        .isEqualTo("<http://h/api/0/x/?query=a&cursor=90:9:1>; rel=\"previous\"; results=\"false\"; cursor=\"90:9:1\", "
            + "<http://h/api/0/x/?query=a&cursor=70:7:0>; rel=\"next\"; results=\"true\"; cursor=\"70:7:0\"");
    // backwards: rows come ascending and are turned around
    Page<Long> back = Page.of(List.of(7L, 8L, 9L), 3, new Cursor(60, 6, true), v -> v * 10, v -> v);
    assertThat(back.items()).containsExactly(9L, 8L, 7L);
    assertThat(back.previousHasResults()).isFalse();
    assertThat(back.nextHasResults()).isTrue();
    Page<Long> last = Page.of(List.of(2L), 3, new Cursor(30, 3, false), v -> v * 10, v -> v);
    assertThat(last.previousHasResults()).isTrue();
    assertThat(last.nextHasResults()).isFalse();
    assertThat(Page.of(List.<Long>of(), 3, null, v -> v, v -> v).linkHeader("http://h/p/"))
        .startsWith("<http://h/p/?&cursor=0:0:1>; rel=\"previous\"; results=\"false\"");
  }

  @Test
  void searchFollowsSentrysSyntax() {
    IssueSearch def = IssueSearch.parse(null, null, null, null);
    assertThat(def.statuses()).containsExactly(IssueSearch.Status.UNRESOLVED);
    assertThat(def.sort()).isEqualTo(IssueSearch.Sort.DATE);
    IssueSearch all = IssueSearch.parse("", null, null, "freq");
    assertThat(all.statuses()).hasSize(3);
    assertThat(all.sort()).isEqualTo(IssueSearch.Sort.FREQ);
    IssueSearch q = IssueSearch.parse("is:resolved level:[error,fatal] \"null pointer\" foo", null, null, "new");
    assertThat(q.statuses()).containsExactly(IssueSearch.Status.RESOLVED);
    assertThat(q.levels()).containsExactlyInAnyOrder("error", "fatal");
    assertThat(q.text()).isEqualTo("null pointer foo");
    IssueSearch narrowed = IssueSearch.parse("level:error", "ignored", "error", null);
    assertThat(narrowed.statuses()).containsExactly(IssueSearch.Status.IGNORED);
    assertThat(narrowed.levels()).containsExactly("error");
    assertThat(IssueSearch.parse("is:unresolved", "resolved", null, null).matchesNothing()).isTrue();
    assertThat(IssueSearch.parse("level:error", null, "warning", null).matchesNothing()).isTrue();
    assertThatThrownBy(() -> IssueSearch.parse("assigned:me", null, null, null)).isInstanceOf(ApiError.class)
        .hasMessageContaining("assigned");
    assertThatThrownBy(() -> IssueSearch.parse("level:loud", null, null, null)).isInstanceOf(ApiError.class);
    assertThatThrownBy(() -> IssueSearch.parse(null, null, null, "priority")).isInstanceOf(ApiError.class);
  }

  @Test
  void bearerHeadersAndScopes() {
    assertThat(TokenAuthHandler.bearer("Bearer abc")).isEqualTo("abc");
    assertThat(TokenAuthHandler.bearer("bearer  abc ")).isEqualTo("abc");
    assertThat(TokenAuthHandler.bearer("Basic abc")).isNull();
    assertThat(TokenAuthHandler.bearer("Bearer ")).isNull();
    assertThat(new ApiTokens.Token(1, Set.of()).allows("event:write")).isTrue();
    ApiTokens.Token reader = new ApiTokens.Token(1, Set.of("event:read", "project:write"));
    assertThat(reader.allows("event:read")).isTrue();
    assertThat(reader.allows("event:write")).isFalse();
    assertThat(reader.allows("project:read")).isTrue();
    assertThat(new ApiTokens.Token(1, Set.of("event:admin")).allows("event:write")).isTrue();
    assertThat(ApiTokens.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(ApiTokens.newToken()).matches("[0-9a-f]{64}");
  }

  @Test
  void contentDispositionIsSafe() {
    assertThat(AttachmentEndpoints.contentDisposition("dump.dmp")).isEqualTo("attachment; filename=\"dump.dmp\"");
    assertThat(AttachmentEndpoints.contentDisposition("../a \"b\".txt"))
        .startsWith("attachment; filename=\"a _b_.txt\"; filename*=UTF-8''a%20%22b%22.txt");
    assertThat(AttachmentEndpoints.contentDisposition("résumé.pdf")).contains("filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
  }

  @Test
  void configDefaultsAndValidation() {
    ApiConfig c = ApiConfig.defaults();
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.maxPageSize()).isEqualTo(100);
    assertThat(c.defaultPageSize()).isEqualTo(25);
    assertThat(c.requestTimeoutMs()).isEqualTo(30_000);
    assertThat(ApiConfig.fromJson(new JsonObject().put("public_url", "https://x.example/")).publicUrl())
        .isEqualTo("https://x.example");
    assertThatThrownBy(() -> ApiConfig.fromJson(new JsonObject().put("default_page_size", 500)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("default_page_size");
    assertThatThrownBy(() -> ApiConfig.fromJson(new JsonObject().put("public_url", "ftp://x")))
        .isInstanceOf(ConfigException.class);
  }
}

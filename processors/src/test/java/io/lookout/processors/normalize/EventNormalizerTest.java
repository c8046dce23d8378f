package io.lookout.processors.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventNormalizerTest {

  static final String EVENT_ID = "0123456789abcdef0123456789abcdef";
  static final Instant RECEIVED = Instant.parse("2024-05-01T12:00:00Z");
  static final double RECEIVED_S = RECEIVED.getEpochSecond();

  final EventNormalizer normalizer = new EventNormalizer(NormalizeConfig.defaults());

  static NormalizeContext ctx() {
    return new NormalizeContext(1, EVENT_ID, RECEIVED, "203.0.113.7", null, ProjectOptions.defaults());
  }

  static NormalizeContext ctx(ProjectOptions options) {
    return new NormalizeContext(1, EVENT_ID, RECEIVED, "203.0.113.7", null, options);
  }

  JsonObject normalize(JsonObject event) {
    return normalizer.normalize(event, ctx());
  }

  static List<String> errorTypes(JsonObject ev) {
    List<String> out = new ArrayList<>();
    JsonArray errors = ev.getJsonArray("errors");
    if (errors != null) {
      for (int i = 0; i < errors.size(); i++) {
        out.add(errors.getJsonObject(i).getString("type") + ":" + errors.getJsonObject(i).getString("name"));
      }
    }
    return out;
  }

  static String tag(JsonObject ev, String key) {
    JsonArray tags = ev.getJsonArray("tags");
    if (tags == null) {
      return null;
    }
    for (int i = 0; i < tags.size(); i++) {
      JsonArray pair = tags.getJsonArray(i);
      if (key.equals(pair.getString(0))) {
        return pair.getString(1);
      }
    }
    return null;
  }

  static long tagCount(JsonObject ev, String key) {
    JsonArray tags = ev.getJsonArray("tags");
    return tags == null ? 0 : tags.stream().filter(p -> key.equals(((JsonArray) p).getString(0))).count();
  }

  // ---------------------------------------------------------------- event id, received, timestamps

  @Test
  void eventIdComesFromTheContextWhenMissingInvalidOrHyphenated() {
    assertThat(normalize(new JsonObject()).getString("event_id")).isEqualTo(EVENT_ID);
    assertThat(normalize(new JsonObject().put("event_id", "nope")).getString("event_id")).isEqualTo(EVENT_ID);
    assertThat(normalize(new JsonObject().put("event_id", "01234567-89AB-CDEF-0123-456789ABCDEF"))
        .getString("event_id")).isEqualTo(EVENT_ID);
    NormalizeContext hyphenated = new NormalizeContext(1, "01234567-89ab-cdef-0123-456789abcdef", RECEIVED, null,
        null, null);
    assertThat(normalizer.normalize(new JsonObject(), hyphenated).getString("event_id")).isEqualTo(EVENT_ID);
  }

  @Test
  void eventIdFallsBackToThePayloadWhenTheContextHasNone() {
    NormalizeContext noId = new NormalizeContext(1, null, RECEIVED, null, null, null);
    JsonObject ev = normalizer.normalize(new JsonObject().put("event_id", "FEDCBA98-7654-3210-fedc-ba9876543210"),
        noId);
    assertThat(ev.getString("event_id")).isEqualTo("fedcba9876543210fedcba9876543210");
    assertThat(normalizer.normalize(new JsonObject(), noId).getString("event_id")).matches("[0-9a-f]{32}");
  }

  @Test
  void receivedAndMissingTimestampAreTheReceiveTime() {
    JsonObject ev = normalize(new JsonObject());
    assertThat(ev.getDouble("received")).isEqualTo(RECEIVED_S);
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S);
    assertThat(ev.getJsonArray("errors")).isNull();
  }

  @Test
  void timestampAcceptsFloatSecondsAndRfc3339Strings() {
    assertThat(normalize(new JsonObject().put("timestamp", RECEIVED_S - 10.25)).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 10.25);
    assertThat(normalize(new JsonObject().put("timestamp", "2024-05-01T11:59:50.500000Z")).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 9.5);
    assertThat(normalize(new JsonObject().put("timestamp", "2024-05-01T13:59:50+02:00")).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 10);
    assertThat(normalize(new JsonObject().put("timestamp", "2024-05-01T11:59:40")).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 20);
    assertThat(normalize(new JsonObject().put("timestamp", String.valueOf(RECEIVED_S - 5))).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 5);
  }

  @Test
  void invalidTimestampIsReplacedByTheReceiveTimeWithAnError() {
    JsonObject ev = normalize(new JsonObject().put("timestamp", "garbage"));
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S);
    assertThat(errorTypes(ev)).containsExactly("invalid_data:timestamp");
    assertThat(ev.getJsonArray("errors").getJsonObject(0).getString("value")).isEqualTo("garbage");
  }

  @Test
  void timestampTooFarInTheFutureIsClampedAndStartMovesWithIt() {
    JsonObject ev = normalize(new JsonObject().put("type", "transaction")
        .put("timestamp", RECEIVED_S + 3600).put("start_timestamp", RECEIVED_S + 3590));
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S);
    assertThat(ev.getDouble("start_timestamp")).isEqualTo(RECEIVED_S - 10);
    assertThat(errorTypes(ev)).containsExactly("future_timestamp:timestamp");
  }

  @Test
  void timestampWithinTheFutureAllowanceIsKept() {
    JsonObject ev = normalize(new JsonObject().put("timestamp", RECEIVED_S + 30));
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S + 30);
    assertThat(ev.getJsonArray("errors")).isNull();
  }

  @Test
  void timestampTooFarInThePastIsClamped() {
    JsonObject ev = normalize(new JsonObject().put("timestamp", RECEIVED_S - 31L * 24 * 3600));
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S);
    assertThat(errorTypes(ev)).containsExactly("past_timestamp:timestamp");
    JsonObject recent = normalize(new JsonObject().put("timestamp", RECEIVED_S - 29L * 24 * 3600));
    assertThat(recent.getDouble("timestamp")).isEqualTo(RECEIVED_S - 29L * 24 * 3600);
  }

  @Test
  void clockDriftFromSentAtShiftsAllTimestamps() {
    // The device clock is two hours behind: sent_at says 10:00 while the gateway saw 12:00.
    Instant sentAt = RECEIVED.minusSeconds(7200);
    NormalizeContext drifted = new NormalizeContext(1, EVENT_ID, RECEIVED, null, sentAt, null);
    JsonObject ev = normalizer.normalize(new JsonObject().put("type", "transaction")
        .put("timestamp", RECEIVED_S - 7200 - 1).put("start_timestamp", RECEIVED_S - 7200 - 3)
        .put("breadcrumbs", new JsonArray().add(new JsonObject().put("timestamp", RECEIVED_S - 7200 - 5))), drifted);
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S - 1);
    assertThat(ev.getDouble("start_timestamp")).isEqualTo(RECEIVED_S - 3);
    assertThat(ev.getJsonObject("breadcrumbs").getJsonArray("values").getJsonObject(0).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 5);
    assertThat(errorTypes(ev)).containsExactly("clock_drift:timestamp");
    JsonObject error = ev.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("sdk_time")).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(error.getString("server_time")).isEqualTo("2024-05-01T12:00:00Z");
  }

  @Test
  void smallClockDriftIsNotCorrected() {
    NormalizeContext slightly = new NormalizeContext(1, EVENT_ID, RECEIVED, null, RECEIVED.minusSeconds(600), null);
    JsonObject ev = normalizer.normalize(new JsonObject().put("timestamp", RECEIVED_S - 601), slightly);
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S - 601);
    assertThat(ev.getJsonArray("errors")).isNull();
  }

  // ---------------------------------------------------------------- platform, level, type

  @Test
  void platformDefaultsToOtherAndUnknownPlatformsBecomeOther() {
    assertThat(normalize(new JsonObject()).getString("platform")).isEqualTo("other");
    assertThat(normalize(new JsonObject().put("platform", "java")).getString("platform")).isEqualTo("java");
    JsonObject ev = normalize(new JsonObject().put("platform", "cobol"));
    assertThat(ev.getString("platform")).isEqualTo("other");
    assertThat(errorTypes(ev)).containsExactly("invalid_data:platform");
  }

  @Test
  void levelDefaultsAndAliases() {
    assertThat(normalize(new JsonObject()).getString("level")).isEqualTo("error");
    assertThat(normalize(new JsonObject().put("type", "transaction")).getString("level")).isEqualTo("info");
    assertThat(normalize(new JsonObject().put("level", "warn")).getString("level")).isEqualTo("warning");
    assertThat(normalize(new JsonObject().put("level", "CRITICAL")).getString("level")).isEqualTo("fatal");
    assertThat(normalize(new JsonObject().put("level", "log")).getString("level")).isEqualTo("info");
    assertThat(normalize(new JsonObject().put("level", 30)).getString("level")).isEqualTo("warning");
    JsonObject bad = normalize(new JsonObject().put("level", "shouting"));
    assertThat(bad.getString("level")).isEqualTo("error");
    assertThat(errorTypes(bad)).containsExactly("invalid_data:level");
  }

  @Test
  void typeIsDerivedFromTheException() {
    assertThat(normalize(new JsonObject()).getString("type")).isEqualTo("default");
    assertThat(normalize(new JsonObject().put("type", "error")).getString("type")).isEqualTo("default");
    assertThat(normalize(new JsonObject().put("exception",
        new JsonObject().put("values", new JsonArray().add(new JsonObject().put("type", "E"))))).getString("type"))
        .isEqualTo("error");
    assertThat(normalize(new JsonObject().put("type", "transaction")).getString("type")).isEqualTo("transaction");
    assertThat(normalize(new JsonObject().put("type", "csp")).getString("type")).isEqualTo("csp");
    assertThat(normalize(new JsonObject().put("type", "nonsense")).getString("type")).isEqualTo("default");
  }

  // ---------------------------------------------------------------- release, environment, dist, logger

  @Test
  void validReleaseIsKeptAndTrimmed() {
    assertThat(normalize(new JsonObject().put("release", " my-app@1.2.3+abc ")).getString("release"))
        .isEqualTo("my-app@1.2.3+abc");
    assertThat(normalize(new JsonObject().put("release", 42)).getString("release")).isEqualTo("42");
  }

  @Test
  void invalidReleasesAreRemovedWithAnError() {
    for (String bad : new String[] {"a/b", "line\nbreak", "tab\there", ".", "..", "latest", "LATEST",
        "back\\slash", "x".repeat(201)}) {
      JsonObject ev = normalize(new JsonObject().put("release", bad));
      assertThat(ev.containsKey("release")).as(bad).isFalse();
      assertThat(errorTypes(ev)).as(bad).containsExactly("invalid_data:release");
    }
    assertThat(normalize(new JsonObject().put("release", "   ")).containsKey("release")).isFalse();
  }

  @Test
  void environmentIsValidated() {
    assertThat(normalize(new JsonObject().put("environment", "production")).getString("environment"))
        .isEqualTo("production");
    for (String bad : new String[] {"prod/eu", "two\nlines", "e".repeat(65)}) {
      JsonObject ev = normalize(new JsonObject().put("environment", bad));
      assertThat(ev.containsKey("environment")).as(bad).isFalse();
      assertThat(errorTypes(ev)).as(bad).containsExactly("invalid_data:environment");
    }
    assertThat(normalize(new JsonObject().put("environment", "")).containsKey("environment")).isFalse();
  }

  @Test
  void distIsTrimmedAndLimited() {
    assertThat(normalize(new JsonObject().put("dist", " 12 ")).getString("dist")).isEqualTo("12");
    JsonObject ev = normalize(new JsonObject().put("dist", "d".repeat(65)));
    assertThat(ev.containsKey("dist")).isFalse();
    assertThat(errorTypes(ev)).containsExactly("value_too_long:dist");
  }

  @Test
  void longLoggerKeepsItsEndAtAWordBoundary() {
    String logger = "com.example." + "verylongpackagename.".repeat(4) + "MyLogger";
    JsonObject ev = normalize(new JsonObject().put("logger", logger));
    String out = ev.getString("logger");
    assertThat(out).startsWith("*").endsWith(".MyLogger").hasSizeLessThanOrEqualTo(64);
    assertThat(logger).endsWith(out.substring(1));
    assertThat(ev.getJsonObject("_meta").getJsonObject("logger").getJsonObject("").getInteger("len"))
        .isEqualTo(logger.length());
    assertThat(normalize(new JsonObject().put("logger", "  ")).containsKey("logger")).isFalse();
  }

  @Test
  void legacyMessageBecomesLogentry() {
    JsonObject ev = normalize(new JsonObject().put("message", "hello"));
    assertThat(ev.containsKey("message")).isFalse();
    assertThat(ev.getJsonObject("logentry").getString("formatted")).isEqualTo("hello");
    JsonObject sdkShape = normalize(new JsonObject().put("message",
        new JsonObject().put("message", "user %s").put("params", new JsonArray().add("bob"))));
    assertThat(sdkShape.getJsonObject("logentry").getString("formatted")).isEqualTo("user %s");
    assertThat(sdkShape.getJsonObject("logentry").getJsonArray("params").getString(0)).isEqualTo("bob");
  }

  // ---------------------------------------------------------------- tags

  @Test
  void objectTagsBecomePairsWithPromotedTags() {
    JsonObject ev = normalize(new JsonObject().put("release", "app@1").put("dist", "7")
        .put("environment", "prod").put("server_name", "web-1").put("transaction", "/checkout")
        .put("user", new JsonObject().put("id", 42).put("email", "a@example.com"))
        .put("request", new JsonObject().put("url", "https://example.com/checkout?x=1#top"))
        .put("tags", new JsonObject().put("color", "blue").put("count", 3)));
    JsonArray tags = ev.getJsonArray("tags");
    assertThat(tags.getJsonArray(0)).isEqualTo(new JsonArray().add("color").add("blue"));
    assertThat(tags.getJsonArray(1)).isEqualTo(new JsonArray().add("count").add("3"));
    assertThat(tag(ev, "level")).isEqualTo("error");
    assertThat(tag(ev, "environment")).isEqualTo("prod");
    assertThat(tag(ev, "sentry:release")).isEqualTo("app@1");
    assertThat(tag(ev, "sentry:dist")).isEqualTo("7");
    assertThat(tag(ev, "server_name")).isEqualTo("web-1");
    assertThat(tag(ev, "transaction")).isEqualTo("/checkout");
    assertThat(tag(ev, "sentry:user")).isEqualTo("id:42");
    assertThat(tag(ev, "url")).isEqualTo("https://example.com/checkout");
    assertThat(ev.getString("server_name")).isEqualTo("web-1");
  }

  @Test
  void pairTagsAreDedupedFirstWinsAndEmptyKeysDropped() {
    JsonObject ev = normalize(new JsonObject().put("tags", new JsonArray()
        .add(new JsonArray().add("a").add("1"))
        .add(new JsonArray().add("a").add("2"))
        .add(new JsonArray().add("").add("x"))
        .add(new JsonArray().add("b").add(""))
        .add(new JsonArray().add("c").add("ok"))));
    assertThat(tag(ev, "a")).isEqualTo("1");
    assertThat(tagCount(ev, "a")).isEqualTo(1);
    assertThat(tag(ev, "b")).isNull();
    assertThat(tag(ev, "c")).isEqualTo("ok");
    assertThat(errorTypes(ev)).contains("invalid_data:tags");
  }

  @Test
  void tooLongTagKeysAndValuesAreDroppedWithErrors() {
    JsonObject ev = normalize(new JsonObject().put("tags", new JsonObject()
        .put("k".repeat(201), "v").put("long", "v".repeat(201)).put("fine", "yes")));
    assertThat(tag(ev, "long")).isNull();
    assertThat(tag(ev, "fine")).isEqualTo("yes");
    assertThat(errorTypes(ev)).contains("value_too_long:tags", "value_too_long:tags.long");
  }

  @Test
  void reservedClientTagsAreDroppedAndEnvironmentTagBecomesTheField() {
    JsonObject ev = normalize(new JsonObject().put("level", "info").put("tags", new JsonObject()
        .put("release", "fake").put("user", "me").put("environment", "staging").put("level", "debug")));
    assertThat(tag(ev, "release")).isNull();
    assertThat(tag(ev, "user")).isNull();
    assertThat(ev.getString("environment")).isEqualTo("staging");
    assertThat(tag(ev, "environment")).isEqualTo("staging");
    // level comes from the field, replacing the client's value without duplicating the key
    assertThat(tag(ev, "level")).isEqualTo("info");
    assertThat(tagCount(ev, "level")).isEqualTo(1);
  }

  @Test
  void interfaceTagsDoNotOverrideClientTags() {
    JsonObject ev = normalize(new JsonObject()
        .put("tags", new JsonObject().put("url", "mine"))
        .put("request", new JsonObject().put("url", "https://example.com/x"))
        .put("contexts", new JsonObject().put("os", new JsonObject().put("name", "Linux").put("version", "6.1"))
            .put("runtime", new JsonObject().put("name", "OpenJDK").put("version", "17")))
        .put("exception", new JsonObject().put("values", new JsonArray().add(new JsonObject().put("type", "E")
            .put("mechanism", new JsonObject().put("type", "UncaughtExceptionHandler").put("handled", false))))));
    assertThat(tag(ev, "url")).isEqualTo("mine");
    assertThat(tagCount(ev, "url")).isEqualTo(1);
    assertThat(tag(ev, "os")).isEqualTo("Linux 6.1");
    assertThat(tag(ev, "os.name")).isEqualTo("Linux");
    assertThat(tag(ev, "runtime")).isEqualTo("OpenJDK 17");
    assertThat(tag(ev, "mechanism")).isEqualTo("UncaughtExceptionHandler");
    assertThat(tag(ev, "handled")).isEqualTo("no");
    assertThat(ev.getJsonObject("contexts").getJsonObject("os").getString("type")).isEqualTo("os");
  }

  @Test
  void userTagPrefersIdThenEmailThenUsernameThenIp() {
    assertThat(tag(normalize(new JsonObject().put("user", new JsonObject().put("email", "a@b.co")
        .put("username", "ab"))), "sentry:user")).isEqualTo("email:a@b.co");
    assertThat(tag(normalize(new JsonObject().put("user", new JsonObject().put("username", "ab"))),
        "sentry:user")).isEqualTo("username:ab");
    assertThat(tag(normalize(new JsonObject().put("user", new JsonObject().put("ip_address", "{{auto}}"))),
        "sentry:user")).isEqualTo("ip:203.0.113.7");
  }

  // ---------------------------------------------------------------- IP addresses

  @Test
  void autoIpBecomesTheClientAddress() {
    JsonObject ev = normalize(new JsonObject().put("user", new JsonObject().put("ip_address", "{{auto}}")));
    assertThat(ev.getJsonObject("user").getString("ip_address")).isEqualTo("203.0.113.7");
  }

  @Test
  void javascriptEventsWithoutIpGetTheClientAddressOthersDoNot() {
    assertThat(normalize(new JsonObject().put("platform", "javascript")).getJsonObject("user")
        .getString("ip_address")).isEqualTo("203.0.113.7");
    assertThat(normalize(new JsonObject().put("platform", "java")).getJsonObject("user")).isNull();
    JsonObject declared = normalize(new JsonObject().put("platform", "java")
        .put("sdk", new JsonObject().put("name", "x").put("settings", new JsonObject().put("infer_ip", "auto"))));
    assertThat(declared.getJsonObject("user").getString("ip_address")).isEqualTo("203.0.113.7");
  }

  @Test
  void remoteAddrFillsTheUserIpAndInvalidIpsAreRemoved() {
    JsonObject ev = normalize(new JsonObject().put("request",
        new JsonObject().put("env", new JsonObject().put("REMOTE_ADDR", "2001:db8::1"))));
    assertThat(ev.getJsonObject("user").getString("ip_address")).isEqualTo("2001:db8::1");
    JsonObject bad = normalize(new JsonObject().put("user", new JsonObject().put("ip_address", "not-an-ip")));
    assertThat(bad.getJsonObject("user").containsKey("ip_address")).isFalse();
    assertThat(errorTypes(bad)).containsExactly("invalid_data:user.ip_address");
    assertThat(EventNormalizer.normalizeIp("256.1.1.1")).isNull();
    assertThat(EventNormalizer.normalizeIp("localhost")).isNull();
    assertThat(EventNormalizer.normalizeIp("::1")).isEqualTo("::1");
  }

  @Test
  void ipScrubbingRemovesUserAndRequestAddresses() {
    ProjectOptions scrubIps = new ProjectOptions(true, true, true, List.of(), List.of(), List.of(), List.of());
    JsonObject ev = normalizer.normalize(new JsonObject()
        .put("user", new JsonObject().put("ip_address", "{{auto}}").put("id", "u1"))
        .put("request", new JsonObject().put("env", new JsonObject().put("REMOTE_ADDR", "198.51.100.2")))
        .put("extra", new JsonObject().put("note", "called from 198.51.100.2")), ctx(scrubIps));
    assertThat(ev.getJsonObject("user").containsKey("ip_address")).isFalse();
    assertThat(ev.getJsonObject("request").getJsonObject("env").containsKey("REMOTE_ADDR")).isFalse();
    assertThat(ev.getJsonObject("extra").getString("note")).isEqualTo("called from [ip]");
    assertThat(tag(ev, "sentry:user")).isEqualTo("id:u1");
  }

  // ---------------------------------------------------------------- stack traces, exceptions, breadcrumbs

  static JsonArray frames(int n, String module) {
    JsonArray frames = new JsonArray();
    for (int i = 0; i < n; i++) {
      frames.add(new JsonObject().put("module", module).put("function", "f" + i).put("lineno", i)
          .put("vars", new JsonObject().put("i", i)));
    }
    return frames;
  }

  @Test
  void longStackTracesKeepBothEndsAndRecordFramesOmitted() {
    JsonObject ev = normalize(new JsonObject().put("exception", new JsonObject().put("values", new JsonArray()
        .add(new JsonObject().put("type", "E").put("stacktrace", new JsonObject().put("frames", frames(300, "a.B")))))));
    JsonObject st = ev.getJsonObject("exception").getJsonArray("values").getJsonObject(0).getJsonObject("stacktrace");
    JsonArray frames = st.getJsonArray("frames");
    assertThat(frames.size()).isEqualTo(250);
    assertThat(frames.getJsonObject(0).getString("function")).isEqualTo("f0");
    assertThat(frames.getJsonObject(124).getString("function")).isEqualTo("f124");
    assertThat(frames.getJsonObject(125).getString("function")).isEqualTo("f175");
    assertThat(frames.getJsonObject(249).getString("function")).isEqualTo("f299");
    assertThat(st.getJsonArray("frames_omitted")).isEqualTo(new JsonArray().add(126).add(176));
    // middle frames beyond Relay's allowance of 50 lose their vars; the ends keep them
    assertThat(frames.getJsonObject(0).containsKey("vars")).isTrue();
    assertThat(frames.getJsonObject(125).containsKey("vars")).isFalse();
    assertThat(frames.getJsonObject(249).containsKey("vars")).isTrue();
    assertThat(ev.getJsonObject("_meta").getJsonObject("exception").getJsonObject("values").getJsonObject("0")
        .getJsonObject("stacktrace").getJsonObject("frames").getJsonObject("").getInteger("len")).isEqualTo(300);
  }

  @Test
  void threadAndTopLevelStackTracesAreTrimmedToo() {
    JsonObject ev = normalize(new JsonObject()
        .put("threads", new JsonArray().add(new JsonObject().put("id", 1)
            .put("stacktrace", new JsonObject().put("frames", frames(260, "x.Y")))))
        .put("stacktrace", new JsonObject().put("frames", frames(255, "x.Y"))));
    assertThat(ev.getJsonObject("threads").getJsonArray("values").getJsonObject(0).getJsonObject("stacktrace")
        .getJsonArray("frames").size()).isEqualTo(250);
    assertThat(ev.getJsonObject("stacktrace").getJsonArray("frames").size()).isEqualTo(250);
  }

  @Test
  void exceptionAsSingleObjectOrListBecomesValues() {
    JsonObject single = normalize(new JsonObject().put("exception", new JsonObject().put("type", "E").put("value", "v")));
    assertThat(single.getJsonObject("exception").getJsonArray("values").getJsonObject(0).getString("type"))
        .isEqualTo("E");
    JsonObject list = normalize(new JsonObject().put("exception", new JsonArray()
        .add(new JsonObject().put("type", "A")).add(new JsonObject().put("type", "B"))));
    assertThat(list.getJsonObject("exception").getJsonArray("values").size()).isEqualTo(2);
    JsonObject python = normalize(new JsonObject().put("exception", new JsonObject().put("value", "KeyError: 'x'")));
    JsonObject exc = python.getJsonObject("exception").getJsonArray("values").getJsonObject(0);
    assertThat(exc.getString("type")).isEqualTo("KeyError");
    assertThat(exc.getString("value")).isEqualTo("'x'");
  }

  @Test
  void exceptionsAreCappedKeepingTheNewest() {
    JsonArray values = new JsonArray();
    for (int i = 0; i < 30; i++) {
      values.add(new JsonObject().put("type", "E" + i));
    }
    JsonObject ev = normalize(new JsonObject().put("exception", new JsonObject().put("values", values)));
    JsonArray out = ev.getJsonObject("exception").getJsonArray("values");
    assertThat(out.size()).isEqualTo(25);
    assertThat(out.getJsonObject(0).getString("type")).isEqualTo("E5");
    assertThat(out.getJsonObject(24).getString("type")).isEqualTo("E29");
  }

  @Test
  void breadcrumbsAcceptListOrValuesAndKeepTheNewest() {
    JsonArray crumbs = new JsonArray();
    for (int i = 0; i < 120; i++) {
      crumbs.add(new JsonObject().put("message", "m" + i).put("timestamp", RECEIVED_S - 200 + i).put("level", "warn"));
    }
    JsonObject ev = normalize(new JsonObject().put("breadcrumbs", crumbs));
    JsonArray values = ev.getJsonObject("breadcrumbs").getJsonArray("values");
    assertThat(values.size()).isEqualTo(100);
    assertThat(values.getJsonObject(0).getString("message")).isEqualTo("m20");
    assertThat(values.getJsonObject(99).getString("message")).isEqualTo("m119");
    assertThat(values.getJsonObject(0).getString("level")).isEqualTo("warning");
    JsonObject wrapped = normalize(new JsonObject().put("breadcrumbs",
        new JsonObject().put("values", new JsonArray().add(new JsonObject().put("timestamp", "2024-05-01T11:00:00Z")))));
    assertThat(wrapped.getJsonObject("breadcrumbs").getJsonArray("values").getJsonObject(0).getDouble("timestamp"))
        .isEqualTo(RECEIVED_S - 3600);
  }

  // ---------------------------------------------------------------- in-app

  JsonObject javaEventWithModules(ProjectOptions options, JsonObject... extraFrames) {
    JsonArray frames = new JsonArray()
        .add(new JsonObject().put("module", "java.lang.Thread").put("function", "run"))
        .add(new JsonObject().put("module", "io.netty.channel.X").put("function", "read"))
        .add(new JsonObject().put("module", "com.acme.shop.Cart").put("function", "add"))
        .add(new JsonObject().put("module", "com.acme.shop.internal.Gen").put("function", "gen"))
        .add(new JsonObject().put("module", "org.other.Lib").put("function", "call"))
        .add(new JsonObject().put("module", "com.acme.shop.Explicit").put("function", "x").put("in_app", false));
    for (JsonObject f : extraFrames) {
      frames.add(f);
    }
    JsonObject ev = new JsonObject().put("platform", "java").put("exception", new JsonObject().put("values",
        new JsonArray().add(new JsonObject().put("type", "E").put("stacktrace", new JsonObject().put("frames", frames)))));
    return normalizer.normalize(ev, ctx(options));
  }

  static JsonArray firstFrames(JsonObject ev) {
    return ev.getJsonObject("exception").getJsonArray("values").getJsonObject(0).getJsonObject("stacktrace")
        .getJsonArray("frames");
  }

  @Test
  void inAppFromProjectPrefixesAndJvmDefaults() {
    ProjectOptions options = new ProjectOptions(true, true, false, List.of(), List.of(),
        List.of("com.acme."), List.of("com.acme.shop.internal."));
    JsonArray frames = firstFrames(javaEventWithModules(options));
    assertThat(frames.getJsonObject(0).getBoolean("in_app")).isFalse();   // java.
    assertThat(frames.getJsonObject(1).getBoolean("in_app")).isFalse();   // io.netty.
    assertThat(frames.getJsonObject(2).getBoolean("in_app")).isTrue();    // include
    // include wins over exclude, as in the Java SDK
    assertThat(frames.getJsonObject(3).getBoolean("in_app")).isTrue();
    assertThat(frames.getJsonObject(4).containsKey("in_app")).isFalse();  // undecided stays unset
    assertThat(frames.getJsonObject(5).getBoolean("in_app")).isFalse();   // explicit kept
  }

  @Test
  void inAppExcludeMarksFramesNotInApp() {
    ProjectOptions options = new ProjectOptions(true, true, false, List.of(), List.of(),
        List.of(), List.of("org.other."));
    JsonArray frames = firstFrames(javaEventWithModules(options));
    assertThat(frames.getJsonObject(2).containsKey("in_app")).isFalse();
    assertThat(frames.getJsonObject(4).getBoolean("in_app")).isFalse();
  }

  // ---------------------------------------------------------------- scrubbing

  @Test
  void sensitiveKeysAreFilteredInDatabags() {
    JsonObject ev = normalize(new JsonObject()
        .put("extra", new JsonObject().put("password", "hunter2").put("db", new JsonObject().put("api_key", "k")
            .put("host", "db1")).put("apiKey", "x").put("auth_token", "t").put("otp", "123456").put("color", "red"))
        .put("contexts", new JsonObject().put("app", new JsonObject().put("secret", "s").put("name", "shop"))));
    JsonObject extra = ev.getJsonObject("extra");
    assertThat(extra.getString("password")).isEqualTo("[Filtered]");
    assertThat(extra.getJsonObject("db").getString("api_key")).isEqualTo("[Filtered]");
    assertThat(extra.getJsonObject("db").getString("host")).isEqualTo("db1");
    assertThat(extra.getString("apiKey")).isEqualTo("[Filtered]");
    assertThat(extra.getString("auth_token")).isEqualTo("[Filtered]");
    assertThat(extra.getString("otp")).isEqualTo("[Filtered]");
    assertThat(extra.getString("color")).isEqualTo("red");
    assertThat(ev.getJsonObject("contexts").getJsonObject("app").getString("secret")).isEqualTo("[Filtered]");
    JsonObject remark = ev.getJsonObject("_meta").getJsonObject("extra").getJsonObject("password").getJsonObject("");
    assertThat(remark.getJsonArray("rem").getJsonArray(0)).isEqualTo(new JsonArray().add("@password:filter").add("s"));
    assertThat(remark.getInteger("len")).isEqualTo(7);
  }

  @Test
  void valuesContainingPasswordWordsAreFilteredInDatabags() {
    JsonObject ev = normalize(new JsonObject().put("extra", new JsonObject()
        .put("q", "password=abc").put("t", "access_token=xyz").put("plain", "a token by itself")));
    assertThat(ev.getJsonObject("extra").getString("q")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("extra").getString("t")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("extra").getString("plain")).isEqualTo("a token by itself");
  }

  @Test
  void creditCardsAreFilteredInAnyString() {
    JsonObject ev = normalize(new JsonObject()
        .put("message", "paid with 4111 1111 1111 1111 today")
        .put("exception", new JsonObject().put("type", "E").put("value", "card 5500-0000-0000-0004 declined"))
        .put("breadcrumbs", new JsonArray().add(new JsonObject().put("message", "cc=4111111111111111")))
        .put("extra", new JsonObject().put("card", "4111 1111 1111 1111").put("notcard", "4111 1111 1111 1112")
            .put("num", 4111111111111111L)));
    assertThat(ev.getJsonObject("logentry").getString("formatted")).isEqualTo("paid with [Filtered] today");
    assertThat(ev.getJsonObject("exception").getJsonArray("values").getJsonObject(0).getString("value"))
        .isEqualTo("card [Filtered] declined");
    assertThat(ev.getJsonObject("breadcrumbs").getJsonArray("values").getJsonObject(0).getString("message"))
        .isEqualTo("cc=[Filtered]");
    assertThat(ev.getJsonObject("extra").getString("card")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("extra").getString("notcard")).isEqualTo("4111 1111 1111 1112");
    assertThat(ev.getJsonObject("extra").getString("num")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("_meta").getJsonObject("extra").getJsonObject("card").getJsonObject("")
        .getJsonArray("rem").getJsonArray(0).getString(0)).isEqualTo("@creditcard:filter");
  }

  @Test
  void digitRunsInsideHexIdsAreNotCardNumbers() {
    // 4111111111111111 is Luhn-valid; inside an id it is part of a word, as Relay's \b sees it
    String id = "ab4111111111111111cdef0123456789";
    JsonObject ev = normalize(new JsonObject()
        .put("contexts", new JsonObject().put("feedback", new JsonObject().put("message", "broken")
            .put("associated_event_id", id)))
        .put("extra", new JsonObject().put("hash", "4111111111111111deadbeef").put("card", "4111111111111111")));
    assertThat(ev.getJsonObject("contexts").getJsonObject("feedback").getString("associated_event_id")).isEqualTo(id);
    assertThat(ev.getJsonObject("extra").getString("hash")).isEqualTo("4111111111111111deadbeef");
    assertThat(ev.getJsonObject("extra").getString("card")).isEqualTo("[Filtered]");
  }

  @Test
  void requestHeadersCookiesAndQueryAreScrubbedPerEntry() {
    JsonObject ev = normalize(new JsonObject().put("request", new JsonObject()
        .put("url", "https://example.com/login?next=/home&api_key=abc123")
        .put("method", "post")
        .put("headers", new JsonObject().put("authorization", "Bearer abc").put("Cookie", "sessionid=1")
            .put("Set-Cookie", "x=1").put("User-Agent", "curl/8").put("X-Api-Key", "k").put("Accept", "*/*"))
        .put("cookies", new JsonObject().put("sessionid", "s1").put("theme", "dark"))
        .put("data", "{\"password\":\"p\",\"name\":\"n\"}")));
    JsonObject req = ev.getJsonObject("request");
    assertThat(req.getString("url")).isEqualTo("https://example.com/login");
    assertThat(req.getString("method")).isEqualTo("POST");
    JsonArray headers = req.getJsonArray("headers");
    assertThat(headers.getJsonArray(0)).isEqualTo(new JsonArray().add("Authorization").add("[Filtered]"));
    assertThat(headers.getJsonArray(1)).isEqualTo(new JsonArray().add("Cookie").add("[Filtered]"));
    assertThat(headers.getJsonArray(2)).isEqualTo(new JsonArray().add("Set-Cookie").add("[Filtered]"));
    assertThat(headers.getJsonArray(3)).isEqualTo(new JsonArray().add("User-Agent").add("curl/8"));
    assertThat(headers.getJsonArray(4)).isEqualTo(new JsonArray().add("X-Api-Key").add("[Filtered]"));
    assertThat(headers.getJsonArray(5)).isEqualTo(new JsonArray().add("Accept").add("*/*"));
    assertThat(req.getJsonArray("cookies").getJsonArray(0)).isEqualTo(new JsonArray().add("sessionid").add("[Filtered]"));
    assertThat(req.getJsonArray("cookies").getJsonArray(1)).isEqualTo(new JsonArray().add("theme").add("dark"));
    assertThat(req.getJsonArray("query_string")).isEqualTo(new JsonArray()
        .add(new JsonArray().add("next").add("/home")).add(new JsonArray().add("api_key").add("[Filtered]")));
    assertThat(req.getJsonObject("data").getString("password")).isEqualTo("[Filtered]");
    assertThat(req.getJsonObject("data").getString("name")).isEqualTo("n");
  }

  @Test
  void frameVarsBreadcrumbDataUserDataAndTagsAreScrubbed() {
    JsonObject ev = normalize(new JsonObject()
        .put("stacktrace", new JsonObject().put("frames", new JsonArray().add(new JsonObject().put("function", "f")
            .put("vars", new JsonObject().put("passwd", "x").put("n", 1)))))
        .put("breadcrumbs", new JsonArray().add(new JsonObject().put("data", new JsonObject().put("token", "t"))))
        .put("user", new JsonObject().put("id", "u").put("data", new JsonObject().put("credentials", "c")))
        .put("tags", new JsonObject().put("api_key", "k").put("region", "eu")));
    assertThat(ev.getJsonObject("stacktrace").getJsonArray("frames").getJsonObject(0).getJsonObject("vars")
        .getString("passwd")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("breadcrumbs").getJsonArray("values").getJsonObject(0).getJsonObject("data")
        .getString("token")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("user").getJsonObject("data").getString("credentials")).isEqualTo("[Filtered]");
    assertThat(tag(ev, "api_key")).isEqualTo("[Filtered]");
    assertThat(tag(ev, "region")).isEqualTo("eu");
  }

  @Test
  void sensitiveAndSafeFieldsFromProjectOptions() {
    ProjectOptions options = ProjectOptions.fromJson(new JsonObject()
        .put("sentry:sensitive_fields", new JsonArray().add("ssn_number"))
        .put("sentry:safe_fields", new JsonArray().add("password")));
    JsonObject ev = normalizer.normalize(new JsonObject().put("extra", new JsonObject()
        .put("SSN_NUMBER", "1").put("password", "kept").put("secret", "gone")), ctx(options));
    assertThat(ev.getJsonObject("extra").getString("SSN_NUMBER")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("extra").getString("password")).isEqualTo("kept");
    assertThat(ev.getJsonObject("extra").getString("secret")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("_meta").getJsonObject("extra").getJsonObject("SSN_NUMBER").getJsonObject("")
        .getJsonArray("rem").getJsonArray(0).getString(0)).isEqualTo("strip-fields");
  }

  @Test
  void scrubbingIsOffWhenTheProjectSaysSo() {
    ProjectOptions off = ProjectOptions.fromJson(new JsonObject().put("sentry:scrub_data", false));
    JsonObject ev = normalizer.normalize(new JsonObject().put("extra", new JsonObject().put("password", "p")
        .put("card", "4111 1111 1111 1111")), ctx(off));
    assertThat(ev.getJsonObject("extra").getString("password")).isEqualTo("p");
    assertThat(ev.getJsonObject("extra").getString("card")).isEqualTo("4111 1111 1111 1111");
    ProjectOptions onlySensitive = ProjectOptions.fromJson(new JsonObject().put("sentry:scrub_defaults", false)
        .put("sentry:sensitive_fields", "color\nsize"));
    JsonObject ev2 = normalizer.normalize(new JsonObject().put("extra", new JsonObject().put("password", "p")
        .put("color", "red")), ctx(onlySensitive));
    assertThat(ev2.getJsonObject("extra").getString("password")).isEqualTo("p");
    assertThat(ev2.getJsonObject("extra").getString("color")).isEqualTo("[Filtered]");
  }

  @Test
  void otherValuePatternsAreReplacedInPlace() {
    JsonObject ev = normalize(new JsonObject().put("extra", new JsonObject()
        .put("dsn", "postgres://app:s3cr3tpw@db:5432/x")
        .put("hdr", "Bearer abc.def")
        .put("ssn", "id 078-05-1120 ok")));
    assertThat(ev.getJsonObject("extra").getString("dsn")).isEqualTo("postgres://app:[Filtered]@db:5432/x");
    assertThat(ev.getJsonObject("extra").getString("hdr")).isEqualTo("[Filtered]");
    assertThat(ev.getJsonObject("extra").getString("ssn")).isEqualTo("id [Filtered] ok");
  }

  // ---------------------------------------------------------------- trimming

  @Test
  void longStringsAreCutWithMetaLength() {
    String longMessage = "m".repeat(9000);
    JsonObject ev = normalize(new JsonObject().put("message", longMessage).put("culprit", "c".repeat(300))
        .put("transaction", "t".repeat(250)));
    String formatted = ev.getJsonObject("logentry").getString("formatted");
    assertThat(formatted).hasSize(8192).endsWith("...");
    assertThat(ev.getString("culprit")).hasSize(200).endsWith("...");
    assertThat(ev.getString("transaction")).hasSize(200);
    assertThat(ev.getJsonObject("_meta").getJsonObject("logentry").getJsonObject("formatted").getJsonObject("")
        .getInteger("len")).isEqualTo(9000);
    assertThat(ev.getJsonObject("_meta").getJsonObject("culprit").getJsonObject("").getInteger("len")).isEqualTo(300);
  }

  @Test
  void databagsAreCutInDepthAndBreadth() {
    NormalizeConfig small = NormalizeConfig.fromJson(new JsonObject().put("max_databag_depth", 2)
        .put("max_databag_breadth", 3).put("max_string_length", 10));
    EventNormalizer n = new EventNormalizer(small);
    JsonObject deep = new JsonObject().put("a", new JsonObject().put("b", new JsonObject().put("c", 1)));
    JsonObject ev = n.normalize(new JsonObject().put("extra", new JsonObject()
        .put("deep", deep).put("list", new JsonArray().add(1).add(2).add(3).add(4).add(5))
        .put("long", "x".repeat(20)).put("k4", 4).put("k5", 5)), ctx());
    JsonObject extra = ev.getJsonObject("extra");
    assertThat(extra.getJsonObject("deep").getString("a")).isEqualTo("...");
    assertThat(extra.getJsonArray("list")).isEqualTo(new JsonArray().add(1).add(2).add(3).add("..."));
    assertThat(extra.getString("long")).isEqualTo("xxxxxxx...");
    assertThat(extra.containsKey("k4")).isFalse();
    assertThat(extra.getString("...")).isEqualTo("...");
    JsonObject meta = ev.getJsonObject("_meta").getJsonObject("extra");
    assertThat(meta.getJsonObject("").getInteger("len")).isEqualTo(5);
    assertThat(meta.getJsonObject("list").getJsonObject("").getInteger("len")).isEqualTo(5);
    assertThat(meta.getJsonObject("long").getJsonObject("").getInteger("len")).isEqualTo(20);
  }

  // ---------------------------------------------------------------- sdk, junk

  @Test
  void sdkInfoIsKept() {
    JsonObject sdk = new JsonObject().put("name", "sentry.java").put("version", "8.63.0")
        .put("integrations", new JsonArray().add("UncaughtExceptionHandler"))
        .put("packages", new JsonArray().add(new JsonObject().put("name", "maven:io.sentry:sentry").put("version", "8")));
    JsonObject ev = normalize(new JsonObject().put("sdk", sdk.copy()));
    assertThat(ev.getJsonObject("sdk")).isEqualTo(sdk);
  }

  @Test
  void junkInputNeverThrowsAndRecordsErrors() {
    JsonObject junk = new JsonObject()
        .put("event_id", 12)
        .put("timestamp", "garbage")
        .put("start_timestamp", new JsonObject())
        .put("platform", 7)
        .put("level", new JsonArray())
        .put("tags", 42)
        .put("exception", "boom")
        .put("threads", 3.5)
        .put("stacktrace", new JsonObject().put("frames", "nope"))
        .put("breadcrumbs", new JsonObject().put("values", "x"))
        .put("user", "bob")
        .put("request", new JsonArray())
        .put("contexts", new JsonObject().put("os", "linux"))
        .put("extra", "nope")
        .put("sdk", 1)
        .put("release", new JsonObject())
        .put("environment", false)
        .put("fingerprint", "f")
        .put("logentry", 3)
        .put("errors", "e")
        .put("_meta", "x");
    JsonObject ev = normalize(junk);
    assertThat(ev.getString("event_id")).isEqualTo(EVENT_ID);
    assertThat(ev.getDouble("timestamp")).isEqualTo(RECEIVED_S);
    assertThat(ev.getString("platform")).isEqualTo("other");
    assertThat(ev.getString("level")).isEqualTo("error");
    assertThat(ev.getString("type")).isEqualTo("default");
    for (String key : new String[] {"exception", "threads", "stacktrace", "breadcrumbs", "user", "request", "extra",
        "sdk", "release", "fingerprint"}) {
      assertThat(ev.containsKey(key)).as(key).isFalse();
    }
    assertThat(ev.getJsonObject("contexts")).isEqualTo(new JsonObject());
    assertThat(errorTypes(ev)).contains("invalid_data:timestamp", "invalid_data:start_timestamp",
        "invalid_data:platform", "invalid_data:level", "invalid_data:tags", "invalid_data:exception",
        "invalid_data:threads", "invalid_data:stacktrace.frames", "invalid_data:breadcrumbs.values",
        "invalid_data:user", "invalid_data:request", "invalid_data:contexts.os", "invalid_data:extra",
        "invalid_data:sdk", "invalid_data:release", "invalid_data:fingerprint");
    assertThat(ev.getString("environment")).isEqualTo("false");
  }

  @Test
  void deeplyWrongNestedValuesNeverThrow() {
    JsonObject ev = normalize(new JsonObject()
        .put("exception", new JsonObject().put("values", new JsonArray().add("str").add(1)
            .add(new JsonObject().put("type", new JsonObject()).put("value", 5).put("mechanism", "m")
                .put("stacktrace", new JsonObject().put("frames", new JsonArray().add("f").add(new JsonObject()
                    .put("lineno", "ten").put("in_app", "yes").put("vars", "v")))))))
        .put("breadcrumbs", new JsonArray().add(new JsonObject().put("timestamp", "soon").put("level", 99)
            .put("data", "d").put("message", new JsonArray())))
        .put("request", new JsonObject().put("headers", "h").put("cookies", 5).put("query_string", new JsonObject()
            .put("a", new JsonObject())).put("env", "e").put("url", new JsonObject()))
        .put("tags", new JsonArray().add("notapair").add(new JsonArray().add(1).add(2)).add(new JsonArray()
            .add("k").add(new JsonObject()))));
    JsonObject exc = ev.getJsonObject("exception").getJsonArray("values").getJsonObject(0);
    assertThat(exc.getString("value")).isEqualTo("5");
    assertThat(exc.containsKey("type")).isFalse();
    assertThat(exc.containsKey("mechanism")).isFalse();
    JsonObject frame = exc.getJsonObject("stacktrace").getJsonArray("frames").getJsonObject(0);
    assertThat(frame.containsKey("lineno")).isFalse();
    assertThat(frame.containsKey("in_app")).isFalse();
    assertThat(tag(ev, "1")).isEqualTo("2");
    assertThat(ev.getString("type")).isEqualTo("error");
    assertThat(ev.getJsonArray("errors")).isNotEmpty();
  }

  @Test
  void nullEventBecomesAMinimalEvent() {
    JsonObject ev = normalizer.normalize(null, ctx());
    assertThat(ev.getString("event_id")).isEqualTo(EVENT_ID);
    assertThat(ev.getString("level")).isEqualTo("error");
    assertThat(tag(ev, "level")).isEqualTo("error");
  }

  // ---------------------------------------------------------------- config and options

  @Test
  void configDefaultsAndValidation() {
    NormalizeConfig d = NormalizeConfig.defaults();
    assertThat(d.maxFrames()).isEqualTo(250);
    assertThat(d.maxBreadcrumbs()).isEqualTo(100);
    assertThat(d.maxTagKeyLength()).isEqualTo(200);
    assertThat(d.maxTagValueLength()).isEqualTo(200);
    assertThat(d.maxClockDriftMs()).isEqualTo(55 * 60 * 1000L);
    assertThat(d.maxPastAgeMs()).isEqualTo(30L * 24 * 3600 * 1000);
    assertThat(d.maxFutureMs()).isEqualTo(60_000L);
    assertThat(NormalizeConfig.fromJson(new JsonObject().put("max_frames", 100)).maxFrames()).isEqualTo(100);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NormalizeConfig.fromJson(
        new JsonObject().put("max_breadcrumbs", 0))).hasMessageContaining("max_breadcrumbs");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NormalizeConfig.fromJson(
        new JsonObject().put("max_frames", "many"))).hasMessageContaining("max_frames");
  }

  @Test
  void projectOptionsFromJsonIgnoresUnknownKeysAndWrongTypes() {
    assertThat(ProjectOptions.fromJson(null)).isEqualTo(ProjectOptions.defaults());
    ProjectOptions o = ProjectOptions.fromJson(new JsonObject()
        .put("sentry:scrub_data", "nope").put("sentry:scrub_ip_address", true)
        .put("sentry:sensitive_fields", 5).put("sentry:safe_fields", new JsonArray().add("a").add(1).add(" "))
        .put("lookout:in_app_include", new JsonArray().add("com.acme.")).put("other", 1));
    assertThat(o.scrubData()).isTrue();
    assertThat(o.scrubDefaults()).isTrue();
    assertThat(o.scrubIpAddresses()).isTrue();
    assertThat(o.sensitiveFields()).isEmpty();
    assertThat(o.safeFields()).containsExactly("a");
    assertThat(o.inAppInclude()).containsExactly("com.acme.");
  }

  @Test
  void luhnCheckAcceptsOnlyValidCardNumbers() {
    assertThat(Scrubber.isLuhn("4111111111111111")).isTrue();
    assertThat(Scrubber.isLuhn("4111-1111-1111-1111")).isTrue();
    assertThat(Scrubber.isLuhn("4111111111111112")).isFalse();
    assertThat(Scrubber.isLuhn("12345")).isFalse();
  }
}

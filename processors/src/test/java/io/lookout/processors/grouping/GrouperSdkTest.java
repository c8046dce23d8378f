package io.lookout.processors.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.JsonSerializer;
import io.sentry.SentryEvent;
import io.sentry.SentryExceptionFactory;
import io.sentry.SentryOptions;
import io.sentry.SentryStackTraceFactory;
import io.sentry.protocol.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Events made by the real Sentry Java SDK from real exceptions thrown here. */
class GrouperSdkTest {

  private static final SentryOptions OPTIONS = options();
  private static final SentryExceptionFactory EXCEPTIONS =
      new SentryExceptionFactory(new SentryStackTraceFactory(OPTIONS));

  private final Grouper grouper = new Grouper(GroupingConfig.defaults());

  private static SentryOptions options() {
    SentryOptions options = new SentryOptions();
    options.addInAppInclude("io.lookout");
    return options;
  }

  /** The SDK's event for a throwable, serialized by the SDK and parsed as we receive it. */
  static JsonObject sdkEvent(Throwable t) {
    SentryEvent event = new SentryEvent(t);
    event.setExceptions(EXCEPTIONS.getSentryExceptions(t));
    return serialize(event);
  }

  static JsonObject serialize(SentryEvent event) {
    // the SDK's client fills in the platform (SentryBaseEvent.DEFAULT_PLATFORM) before sending
    if (event.getPlatform() == null) {
      event.setPlatform(SentryEvent.DEFAULT_PLATFORM);
    }
    try {
      StringWriter out = new StringWriter();
      new JsonSerializer(OPTIONS).serialize(event, out);
      return new JsonObject(out.toString());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Throwable caught(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("nothing thrown");
  }

  // ---- the code under "test": each throws from its own place --------------------------------

  static void throwIt(int which) {
    if (which == 1) {
      throw new IllegalStateException("boom");
    }
    throw new IllegalStateException("boom with id " + which);
  }

  static void throwFromOtherFunction() {
    throw new IllegalStateException("boom");
  }

  static void throwKind(int kind) {
    throw kind == 1 ? new IllegalStateException("same line") : new IllegalArgumentException("same line");
  }

  static void throwWrapped() {
    try {
      throwIt(1);
    } catch (IllegalStateException e) {
      throw new RuntimeException("wrapped", e);
    }
  }

  // ---- tests --------------------------------------------------------------------------------

  @Test
  void sdkEventHasTheShapeWeExpect() {
    JsonObject e = sdkEvent(caught(() -> throwIt(1)));
    assertThat(e.getString("platform")).isEqualTo("java");
    JsonObject ex = e.getJsonObject("exception").getJsonArray("values").getJsonObject(0);
    assertThat(ex.getString("type")).isEqualTo("IllegalStateException");
    assertThat(ex.getString("module")).isEqualTo("java.lang");
    JsonArray frames = ex.getJsonObject("stacktrace").getJsonArray("frames");
    JsonObject crashing = frames.getJsonObject(frames.size() - 1);
    assertThat(crashing.getString("function")).isEqualTo("throwIt");
    assertThat(crashing.getBoolean("in_app")).isTrue();
  }

  @Test
  void titleCulpritAndMetadataMatchSentry() {
    GroupingResult r = grouper.group(sdkEvent(caught(() -> throwIt(1))));
    assertThat(r.type()).isEqualTo("error");
    assertThat(r.title()).isEqualTo("IllegalStateException: boom");
    assertThat(r.culprit()).isEqualTo("io.lookout.processors.grouping.GrouperSdkTest in throwIt");
    assertThat(r.metadata().getString("type")).isEqualTo("IllegalStateException");
    assertThat(r.metadata().getString("value")).isEqualTo("boom");
    assertThat(r.metadata().getString("function")).isEqualTo("throwIt");
    assertThat(r.metadata().getString("filename")).isEqualTo("GrouperSdkTest.java");
    assertThat(r.metadata().getString("in_app_frame_mix")).isEqualTo("mixed");
    assertThat(r.location()).isEqualTo("GrouperSdkTest.java");
    assertThat(r.hashes()).hasSize(2).allMatch(h -> h.matches("[0-9a-f]{32}"));
  }

  @Test
  void sameBugFromTwoLinesOfOneFunctionIsOneIssue() {
    GroupingResult a = grouper.group(sdkEvent(caught(() -> throwIt(1))));
    GroupingResult b = grouper.group(sdkEvent(caught(() -> throwIt(2))));
    assertThat(a.primaryHash()).isEqualTo(b.primaryHash());
    assertThat(a.title()).isNotEqualTo(b.title());
  }

  @Test
  void sameTypeFromTwoFunctionsIsTwoIssues() {
    GroupingResult a = grouper.group(sdkEvent(caught(() -> throwIt(1))));
    GroupingResult b = grouper.group(sdkEvent(caught(GrouperSdkTest::throwFromOtherFunction)));
    assertThat(a.title()).isEqualTo(b.title());
    assertThat(a.primaryHash()).isNotEqualTo(b.primaryHash());
  }

  @Test
  void differentTypesFromOneLineAreTwoIssues() {
    GroupingResult a = grouper.group(sdkEvent(caught(() -> throwKind(1))));
    GroupingResult b = grouper.group(sdkEvent(caught(() -> throwKind(2))));
    assertThat(a.primaryHash()).isNotEqualTo(b.primaryHash());
  }

  @Test
  void lambdaFramesFromTwoJvmRunsGroupTogether() {
    JsonObject run1 = withLambdaFrame(sdkEvent(caught(() -> throwIt(1))),
        "io.lookout.processors.grouping.GrouperSdkTest$$Lambda$17/0x0000000800c03000");
    JsonObject run2 = withLambdaFrame(sdkEvent(caught(() -> throwIt(1))),
        "io.lookout.processors.grouping.GrouperSdkTest$$Lambda$231/0x0000000801a4f2d8");
    JsonObject run3 = withLambdaFrame(sdkEvent(caught(() -> throwIt(1))),
        "io.lookout.processors.grouping.GrouperSdkTest$$Lambda/0x000071c5d8003a40");
    assertThat(grouper.group(run1).hashes())
        .isEqualTo(grouper.group(run2).hashes())
        .isEqualTo(grouper.group(run3).hashes());
  }

  /** Puts a JVM-generated lambda class frame under the crashing frame, as a run would show it. */
  private static JsonObject withLambdaFrame(JsonObject event, String lambdaClass) {
    JsonArray frames = event.getJsonObject("exception").getJsonArray("values").getJsonObject(0)
        .getJsonObject("stacktrace").getJsonArray("frames");
    JsonArray copy = new JsonArray();
    for (int i = 0; i < frames.size(); i++) {
      if (i == frames.size() - 1) {
        copy.add(new JsonObject().put("module", lambdaClass).put("function", "run").put("in_app", true));
      }
      copy.add(frames.getValue(i));
    }
    event.getJsonObject("exception").getJsonArray("values").getJsonObject(0)
        .getJsonObject("stacktrace").put("frames", copy);
    return event;
  }

  @Test
  void realLambdaFramesDoNotCarryTheirIndex() {
    // the frame of the lambda body is GrouperSdkTest.lambda$...$N; its name must not count
    JsonObject e = sdkEvent(caught(() -> throwIt(1)));
    JsonArray frames = e.getJsonObject("exception").getJsonArray("values").getJsonObject(0)
        .getJsonObject("stacktrace").getJsonArray("frames");
    boolean hasLambda = false;
    for (int i = 0; i < frames.size(); i++) {
      String f = frames.getJsonObject(i).getString("function");
      if (f != null && f.startsWith("lambda$")) {
        hasLambda = true;
        frames.getJsonObject(i).put("function", "lambda$other$99");
      }
    }
    assertThat(hasLambda).isTrue();
    assertThat(grouper.group(e).hashes()).isEqualTo(grouper.group(sdkEvent(caught(() -> throwIt(1)))).hashes());
  }

  @Test
  void chainedExceptionTitlesTheOuterException() {
    GroupingResult r = grouper.group(sdkEvent(caught(GrouperSdkTest::throwWrapped)));
    assertThat(r.title()).isEqualTo("RuntimeException: wrapped");
    assertThat(r.culprit()).isEqualTo("io.lookout.processors.grouping.GrouperSdkTest in throwWrapped");
    assertThat(r.primaryHash()).isNotEqualTo(grouper.group(sdkEvent(caught(() -> throwIt(1)))).primaryHash());
  }

  @Test
  void messageEventsWithDifferentNumbersAreOneIssue() {
    GroupingResult a = grouper.group(messageEvent("User 123 failed"));
    GroupingResult b = grouper.group(messageEvent("User 456 failed"));
    assertThat(a.hashes()).isEqualTo(b.hashes()).containsExactly(Grouper.md5(List.of("User <int> failed")));
    assertThat(a.type()).isEqualTo("default");
    assertThat(a.title()).isEqualTo("User 123 failed");
  }

  private static JsonObject messageEvent(String text) {
    SentryEvent event = new SentryEvent();
    Message message = new Message();
    message.setFormatted(text);
    event.setMessage(message);
    return serialize(event);
  }

  @Test
  void fingerprintWithDefaultAndExtraDiffersFromDefault() {
    Throwable t = caught(() -> throwIt(1));
    SentryEvent plain = new SentryEvent(t);
    plain.setExceptions(EXCEPTIONS.getSentryExceptions(t));
    SentryEvent salted = new SentryEvent(t);
    salted.setExceptions(EXCEPTIONS.getSentryExceptions(t));
    salted.setFingerprints(List.of("{{ default }}", "x"));
    SentryEvent same = new SentryEvent(t);
    same.setExceptions(EXCEPTIONS.getSentryExceptions(t));
    same.setFingerprints(List.of("{{ default }}"));
    List<String> base = grouper.group(serialize(plain)).hashes();
    assertThat(grouper.group(serialize(salted)).hashes()).doesNotContainAnyElementsOf(base);
    assertThat(grouper.group(serialize(same)).hashes()).isEqualTo(base);
  }

  @Test
  void customFingerprintGroupsDifferentExceptionsTogether() {
    Throwable t1 = caught(() -> throwKind(1));
    Throwable t2 = caught(GrouperSdkTest::throwFromOtherFunction);
    SentryEvent a = new SentryEvent(t1);
    a.setExceptions(EXCEPTIONS.getSentryExceptions(t1));
    a.setFingerprints(List.of("a"));
    SentryEvent b = new SentryEvent(t2);
    b.setExceptions(EXCEPTIONS.getSentryExceptions(t2));
    b.setFingerprints(List.of("a"));
    assertThat(grouper.group(serialize(a)).hashes()).isEqualTo(grouper.group(serialize(b)).hashes())
        .containsExactly(Grouper.md5(List.of("a")));
  }
}

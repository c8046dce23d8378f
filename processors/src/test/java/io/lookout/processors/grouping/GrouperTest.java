package io.lookout.processors.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrouperTest {

  private final Grouper grouper = new Grouper(GroupingConfig.defaults());

  // ---- helpers --------------------------------------------------------------------------

  static JsonObject frame(String module, String function, boolean inApp) {
    return new JsonObject().put("module", module).put("function", function).put("in_app", inApp)
        .put("lineno", 10);
  }

  static JsonObject javaError(String type, String value, JsonObject... frames) {
    return new JsonObject().put("platform", "java").put("exception", new JsonObject().put("values",
        new JsonArray().add(exception(type, value, frames))));
  }

  static JsonObject exception(String type, String value, JsonObject... frames) {
    JsonObject e = new JsonObject().put("type", type).put("value", value);
    if (frames.length > 0) {
      e.put("stacktrace", new JsonObject().put("frames", new JsonArray(List.of((Object[]) frames))));
    }
    return e;
  }

  static JsonObject typicalJavaError() {
    return javaError("IllegalStateException", "boom 42",
        frame("java.lang.Thread", "run", false),
        frame("com.example.Controller", "handle", true),
        frame("com.example.Service", "process", true));
  }

  static JsonObject message(String text) {
    return new JsonObject().put("platform", "java").put("logentry", new JsonObject().put("formatted", text));
  }

  // ---- hashes pinned: these values must never change silently ------------------------------

  @Test
  void javaExceptionHashesArePinnedAppFirstThenSystem() {
    GroupingResult r = grouper.group(typicalJavaError());
    assertThat(r.hashes()).containsExactly(
        "700872ca7d2ba657310b33f8d49f2308", // md5 of Controller,handle,Service,process,type
        "28c845fc688ca3e4d6beb61d9ad7e070"); // the same with java.lang.Thread,run first
    assertThat(r.primaryHash()).isEqualTo("700872ca7d2ba657310b33f8d49f2308");
  }

  @Test
  void messageHashIsPinned() {
    assertThat(grouper.group(message("User 123 failed")).hashes())
        .containsExactly("82e22b6761f0b557146250d73746c627"); // md5("User <int> failed")
  }

  @Test
  void exceptionWithoutFramesHashesTypeAndNormalizedValue() {
    GroupingResult r = grouper.group(javaError("ValueError", "bad value 17"));
    assertThat(r.hashes()).containsExactly("be601bc63768e0ad58247f011bdc264a"); // "ValueError"+"bad value <int>"
  }

  @Test
  void emptyEventGetsSentrysFallbackHash() {
    GroupingResult r = grouper.group(new JsonObject());
    assertThat(r.hashes()).containsExactly("d41d8cd98f00b204e9800998ecf8427e");
    assertThat(r.title()).isEqualTo("<unlabeled event>");
    assertThat(r.type()).isEqualTo("default");
    assertThat(r.culprit()).isEmpty();
    assertThat(r.location()).isNull();
    assertThat(grouper.group(null).primaryHash()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
  }

  @Test
  void hashEqualsSentrysForARealJavascriptEvent() {
    // frames, exception and platform of a Sentry-stored Next.js event whose hashes were
    // ["3cfa8255f0fed37b431a516f09deda56"] (source-mapped functions give way to context lines)
    String module = "chunks/app/sentry-example-page/src/app/sentry-example-page/page";
    String abs = "app:///_next/static/chunks/app/sentry-example-page/src/app/sentry-example-page/page.tsx";
    JsonObject sourcemap = new JsonObject().put("sourcemap", "app:///x.js.map");
    JsonObject f1 = new JsonObject().put("abs_path", abs).put("filename", "./src/app/sentry-example-page/page.tsx")
        .put("function", "<object>.div.main.onClick").put("module", module).put("in_app", true).put("lineno", 58)
        .put("context_line", "            await Sentry.startSpan(").put("data", sourcemap);
    JsonObject f2 = f1.copy().put("function", "<anonymous>").put("lineno", 67)
        .put("context_line", "                  throw new SentryExampleFrontendError(");
    JsonObject event = new JsonObject().put("platform", "javascript").put("exception", new JsonObject()
        .put("values", new JsonArray().add(exception("SentryExampleFrontendError",
            "This error is raised on the frontend of the example page.", f1, f2))));
    GroupingResult r = grouper.group(event);
    assertThat(r.hashes()).containsExactly("3cfa8255f0fed37b431a516f09deda56");
    assertThat(r.title()).isEqualTo("SentryExampleFrontendError: This error is raised on the frontend of the example page.");
    assertThat(r.metadata().getString("function")).isEqualTo("<anonymous>");
    assertThat(r.metadata().getString("filename")).isEqualTo("./src/app/sentry-example-page/page.tsx");
    assertThat(r.metadata().getString("in_app_frame_mix")).isEqualTo("in-app-only");
    assertThat(r.location()).isEqualTo("./src/app/sentry-example-page/page.tsx");
  }

  // ---- exception rules ----------------------------------------------------------------------

  @Test
  void lineNumbersAndValuesDoNotCountWhenThereAreInAppFrames() {
    JsonObject a = typicalJavaError();
    JsonObject b = typicalJavaError();
    frames(b).getJsonObject(2).put("lineno", 99);
    b.getJsonObject("exception").getJsonArray("values").getJsonObject(0).put("value", "something else");
    assertThat(grouper.group(b).hashes()).isEqualTo(grouper.group(a).hashes());
  }

  @Test
  void differentInAppFunctionGivesAnotherHash() {
    JsonObject b = typicalJavaError();
    frames(b).getJsonObject(2).put("function", "save");
    assertThat(grouper.group(b).primaryHash()).isNotEqualTo(grouper.group(typicalJavaError()).primaryHash());
  }

  @Test
  void systemFramesOnlyChangeTheSecondaryHash() {
    JsonObject b = typicalJavaError();
    frames(b).getJsonObject(0).put("module", "java.util.concurrent.ForkJoinWorkerThread");
    List<String> a = grouper.group(typicalJavaError()).hashes();
    List<String> h = grouper.group(b).hashes();
    assertThat(h.get(0)).isEqualTo(a.get(0));
    assertThat(h.get(1)).isNotEqualTo(a.get(1));
  }

  @Test
  void withoutInAppFramesAllFramesCountAndOnlyTheSystemHash() {
    JsonObject a = javaError("IllegalStateException", "x", frame("java.lang.Thread", "run", false),
        frame("org.example.Lib", "call", false));
    JsonObject b = a.copy();
    frames(b).getJsonObject(1).put("function", "other");
    GroupingResult ra = grouper.group(a);
    assertThat(ra.hashes()).hasSize(1);
    assertThat(ra.primaryHash()).isEqualTo(Grouper.md5(List.of("java.lang.Thread", "run",
        "org.example.Lib", "call", "IllegalStateException")));
    assertThat(grouper.group(b).primaryHash()).isNotEqualTo(ra.primaryHash());
    assertThat(ra.metadata().getString("in_app_frame_mix")).isEqualTo("system-only");
  }

  @Test
  void allFramesInAppGivesOneHash() {
    JsonObject e = javaError("E", "v", frame("com.example.A", "a", true), frame("com.example.B", "b", true));
    assertThat(grouper.group(e).hashes()).hasSize(1);
  }

  @Test
  void missingOrNonBooleanInAppIsNotInApp() {
    JsonObject f = frame("com.example.A", "a", true);
    f.put("in_app", "yes");
    JsonObject noInApp = frame("com.example.B", "b", true);
    noInApp.remove("in_app");
    GroupingResult r = grouper.group(javaError("E", "v", f, noInApp));
    assertThat(r.hashes()).containsExactly(Grouper.md5(List.of("com.example.A", "a", "com.example.B", "b", "E")));
  }

  @Test
  void theWholeChainCountsInOrder() {
    JsonObject cause = exception("SQLException", "deadlock 17", frame("com.example.Repo", "save", true));
    JsonObject outer = exception("ServiceException", "failed", frame("com.example.Service", "run", true));
    JsonObject event = new JsonObject().put("platform", "java").put("exception",
        new JsonObject().put("values", new JsonArray().add(cause).add(outer)));
    assertThat(grouper.group(event).hashes()).containsExactly(Grouper.md5(List.of(
        "com.example.Repo", "save", "SQLException", "com.example.Service", "run", "ServiceException")));
    GroupingResult r = grouper.group(event);
    assertThat(r.title()).isEqualTo("ServiceException: failed");
    assertThat(r.culprit()).isEqualTo("com.example.Service in run");
  }

  @Test
  void syntheticExceptionTypeDoesNotCount() {
    JsonObject a = javaError("SIGSEGV", "x", frame("com.example.A", "a", true));
    a.getJsonObject("exception").getJsonArray("values").getJsonObject(0)
        .put("mechanism", new JsonObject().put("synthetic", true));
    JsonObject b = a.copy();
    b.getJsonObject("exception").getJsonArray("values").getJsonObject(0).put("type", "SIGABRT");
    assertThat(grouper.group(a).hashes()).isEqualTo(grouper.group(b).hashes());
    assertThat(grouper.group(a).title()).isEqualTo("a");
    assertThat(grouper.group(a).culprit()).isEmpty();
    assertThat(grouper.group(a).metadata().containsKey("type")).isFalse();
  }

  @Test
  void consecutiveIdenticalFramesCollapse() {
    JsonObject once = javaError("StackOverflowError", null, frame("com.example.Tree", "walk", true));
    JsonObject thrice = javaError("StackOverflowError", null, frame("com.example.Tree", "walk", true),
        frame("com.example.Tree", "walk", true), frame("com.example.Tree", "walk", true));
    assertThat(grouper.group(thrice).hashes()).isEqualTo(grouper.group(once).hashes());
  }

  @Test
  void onlyTheLastMaxFramesCount() {
    Grouper two = new Grouper(new GroupingConfig(2, 100, 200, 1024, 128, false));
    JsonObject a = javaError("E", "v", frame("com.example.A", "a", true), frame("com.example.B", "b", true),
        frame("com.example.C", "c", true));
    JsonObject b = javaError("E", "v", frame("com.example.Z", "z", true), frame("com.example.B", "b", true),
        frame("com.example.C", "c", true));
    assertThat(two.group(a).hashes()).isEqualTo(two.group(b).hashes());
    assertThat(grouper.group(a).hashes()).isNotEqualTo(grouper.group(b).hashes());
  }

  @Test
  void sentryAndReflectionFramesNeverCount() {
    JsonObject plain = javaError("E", "v", frame("com.example.A", "a", true));
    JsonObject withSentry = javaError("E", "v", frame("com.example.A", "a", true),
        frame("io.sentry.logback.SentryAppender", "append", true),
        frame("java.lang.reflect.Method", "invoke", false));
    assertThat(grouper.group(withSentry).primaryHash()).isEqualTo(grouper.group(plain).primaryHash());
  }

  @Test
  void frameworkFramesAreNeverInApp() {
    JsonObject a = javaError("E", "v", frame("org.springframework.web.Servlet", "service", true),
        frame("com.example.A", "a", true));
    assertThat(grouper.group(a).primaryHash()).isEqualTo(Grouper.md5(List.of("com.example.A", "a", "E")));
  }

  // ---- java normalizations ------------------------------------------------------------------

  @Test
  void javaGeneratedNamesAreNormalized() {
    assertThat(StackGrouping.normalizeJavaModule("sun.reflect.GeneratedMethodAccessor12"))
        .isEqualTo("sun.reflect.GeneratedMethodAccessor");
    assertThat(StackGrouping.normalizeJavaModule("jdk.internal.reflect.GeneratedMethodAccessor7"))
        .isEqualTo("jdk.internal.reflect.GeneratedMethodAccessor");
    assertThat(StackGrouping.normalizeJavaModule("sun.reflect.GeneratedSerializationConstructorAccessor123"))
        .isEqualTo("sun.reflect.GeneratedSerializationConstructorAccessor<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.Foo$$EnhancerBySpringCGLIB$$1a2b3c"))
        .isEqualTo("com.example.Foo$$EnhancerBySpringCGLIB$$<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.Foo$$SpringCGLIB$$0"))
        .isEqualTo("com.example.Foo$$SpringCGLIB$$<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.Foo$$FastClassByCGLIB$$abc123_2"))
        .isEqualTo("com.example.Foo$$FastClassByCGLIB$$<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.OutboundController$EnhancerByGuice$ae46b1bf"))
        .isEqualTo("com.example.OutboundController$EnhancerByGuice$<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.EntriesResource_$$_javassist_seam_74"))
        .isEqualTo("com.example.EntriesResource_$$_javassist<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.model.User$HibernateProxy$oRWxjAWT"))
        .isEqualTo("com.example.model.User$HibernateProxy$<auto>");
    assertThat(StackGrouping.normalizeJavaModule("myapp.core$fn__12345")).isEqualTo("myapp.core$fn__<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.sun.proxy.$Proxy12")).isEqualTo("com.sun.proxy.$Proxy<auto>");
    assertThat(StackGrouping.normalizeJavaModule("jdk.proxy2.$Proxy45")).isEqualTo("jdk.proxy<auto>.$Proxy<auto>");
    assertThat(StackGrouping.normalizeJavaModule("com.example.Foo")).isEqualTo("com.example.Foo");
  }

  @Test
  void javaLambdaClassesAndMethodsAreIgnored() {
    JsonObject a = javaError("E", "v", frame("com.example.Job$$Lambda$17/0x0000000800c03000", "run", true),
        frame("com.example.Job", "lambda$main$0", true));
    JsonObject b = javaError("E", "v", frame("com.example.Job$$Lambda/0x000071c5d8003a40", "run", true),
        frame("com.example.Job", "lambda$main$3", true));
    assertThat(grouper.group(a).hashes()).isEqualTo(grouper.group(b).hashes());
    assertThat(grouper.group(a).primaryHash()).isEqualTo(Grouper.md5(List.of("run", "com.example.Job", "E")));
  }

  @Test
  void javassistFilenamesAreCleaned() {
    JsonObject f = new JsonObject().put("filename", "EntriesResource_$$_javassist_seam_74.java")
        .put("function", "get").put("in_app", true);
    assertThat(grouper.group(javaError("E", "v", f)).primaryHash())
        .isEqualTo(Grouper.md5(List.of("entriesresource_$$_javassist<auto>.java", "get", "E")));
  }

  // ---- other platforms ----------------------------------------------------------------------

  @Test
  void pythonUsesFilenameBasenameFunctionAndContextLine() {
    JsonObject f = new JsonObject().put("filename", "app/Views.py").put("abs_path", "/srv/app/Views.py")
        .put("function", "index").put("context_line", "    return  1 / 0\t").put("in_app", true);
    JsonObject e = javaError("ZeroDivisionError", "division by zero", f).put("platform", "python");
    GroupingResult r = grouper.group(e);
    assertThat(r.primaryHash()).isEqualTo(Grouper.md5(List.of("views.py", "index", "return 1 / 0", "ZeroDivisionError")));
    assertThat(r.culprit()).isEqualTo("app/Views.py in index");
  }

  @Test
  void longContextLinesDoNotCount() {
    JsonObject f = new JsonObject().put("filename", "a.py").put("function", "f")
        .put("context_line", "x".repeat(121)).put("in_app", true);
    JsonObject e = javaError("E", "v", f).put("platform", "python");
    assertThat(grouper.group(e).primaryHash()).isEqualTo(Grouper.md5(List.of("a.py", "f", "E")));
  }

  @Test
  void javascriptTrimsObjectPrefixesAndDropsAnonymousFunctions() {
    JsonObject f1 = new JsonObject().put("filename", "/static/app.js").put("abs_path", "/static/app.js")
        .put("function", "Object.handleClick").put("in_app", true);
    JsonObject f2 = new JsonObject().put("filename", "/static/app.js").put("abs_path", "/static/app.js")
        .put("function", "<anonymous>").put("in_app", true);
    JsonObject f3 = new JsonObject().put("filename", "/static/app.js").put("abs_path", "/static/app.js")
        .put("function", "?").put("in_app", true);
    JsonObject e = javaError("TypeError", "x is undefined", f1, f2, f3).put("platform", "javascript");
    GroupingResult r = grouper.group(e);
    assertThat(r.primaryHash()).isEqualTo(Grouper.md5(List.of("app.js", "handleClick", "app.js", "app.js", "TypeError")));
    assertThat(r.culprit()).isEqualTo("?(/static/app.js)");
  }

  @Test
  void javascriptUrlFilenamesAndNativeCodeFramesDoNotCount() {
    JsonObject url = new JsonObject().put("filename", "https://cdn.example.com/a.js")
        .put("abs_path", "https://cdn.example.com/a.js").put("function", "go").put("in_app", true);
    JsonObject nativeCode = new JsonObject().put("filename", "[native code]").put("abs_path", "[native code]")
        .put("function", "forEach").put("in_app", true);
    JsonObject e = javaError("TypeError", "t", url, nativeCode).put("platform", "javascript");
    assertThat(grouper.group(e).primaryHash()).isEqualTo(Grouper.md5(List.of("go", "TypeError")));
  }

  @Test
  void nodeModulesAreNeverInApp() {
    JsonObject lib = new JsonObject().put("filename", "index.js").put("abs_path", "/app/node_modules/x/index.js")
        .put("function", "lib").put("in_app", true);
    JsonObject own = new JsonObject().put("filename", "server.js").put("abs_path", "/app/server.js")
        .put("function", "main").put("in_app", true);
    JsonObject e = javaError("Error", "e", lib, own).put("platform", "node");
    assertThat(grouper.group(e).primaryHash()).isEqualTo(Grouper.md5(List.of("server.js", "main", "Error")));
  }

  // ---- threads, stack traces, messages ------------------------------------------------------

  @Test
  void singleThreadStacktraceIsUsedWhenThereIsNoException() {
    JsonObject st = new JsonObject().put("frames", new JsonArray().add(frame("com.example.A", "a", true)));
    JsonObject e = new JsonObject().put("platform", "java").put("threads", new JsonObject()
        .put("values", new JsonArray().add(new JsonObject().put("id", 1).put("stacktrace", st))));
    assertThat(grouper.group(e).hashes()).containsExactly(Grouper.md5(List.of("com.example.A", "a")));
    e.getJsonObject("threads").getJsonArray("values").add(new JsonObject().put("id", 2).put("stacktrace", st));
    e.put("logentry", new JsonObject().put("formatted", "hello"));
    assertThat(grouper.group(e).hashes()).containsExactly(Grouper.md5(List.of("hello")));
  }

  @Test
  void topLevelStacktraceBeatsTheMessage() {
    JsonObject e = message("hello").put("stacktrace", new JsonObject()
        .put("frames", new JsonArray().add(frame("com.example.A", "a", true))));
    GroupingResult r = grouper.group(e);
    assertThat(r.hashes()).containsExactly(Grouper.md5(List.of("com.example.A", "a")));
    assertThat(r.type()).isEqualTo("default");
    assertThat(r.title()).isEqualTo("hello");
    assertThat(r.culprit()).isEqualTo("com.example.A in a");
  }

  @Test
  void messagesWithDifferentParametersGroupTogether() {
    assertThat(grouper.group(message("User 123 failed")).hashes())
        .isEqualTo(grouper.group(message("User 456 failed")).hashes());
    assertThat(grouper.group(message("User 123 failed")).hashes())
        .isNotEqualTo(grouper.group(message("User 123 succeeded")).hashes());
  }

  @Test
  void messageTemplateBeatsFormattedForGroupingButNotForTheTitle() {
    JsonObject a = new JsonObject().put("logentry", new JsonObject().put("message", "Order %s failed")
        .put("formatted", "Order abc failed").put("params", new JsonArray().add("abc")));
    JsonObject b = new JsonObject().put("logentry", new JsonObject().put("message", "Order %s failed")
        .put("formatted", "Order xyz failed"));
    assertThat(grouper.group(a).hashes()).isEqualTo(grouper.group(b).hashes());
    assertThat(grouper.group(a).title()).isEqualTo("Order abc failed");
    assertThat(grouper.group(a).metadata()).isEqualTo(new JsonObject().put("title", "Order abc failed"));
  }

  @Test
  void plainStringMessageIsUsed() {
    GroupingResult r = grouper.group(new JsonObject().put("message", "disk 93% full\nsecond line"));
    assertThat(r.title()).isEqualTo("disk 93% full");
    assertThat(r.hashes()).containsExactly(Grouper.md5(List.of("disk <int>% full\nsecond line")));
  }

  @Test
  void defaultTitleIsTheFirstLineCutTo100() {
    String longLine = "a".repeat(150);
    assertThat(grouper.group(message(longLine + "\nmore")).title()).isEqualTo("a".repeat(97) + "...");
    assertThat(grouper.group(message("   ")).title()).isEqualTo("<unlabeled event>");
  }

  // ---- fingerprints -------------------------------------------------------------------------

  @Test
  void defaultFingerprintIsTheDefaultHash() {
    for (String variable : List.of("{{ default }}", "{{default}}", "{{  default  }}")) {
      JsonObject e = typicalJavaError().put("fingerprint", new JsonArray().add(variable));
      assertThat(grouper.group(e).hashes()).isEqualTo(grouper.group(typicalJavaError()).hashes());
    }
  }

  @Test
  void hybridFingerprintSaltsEachDefaultHash() {
    JsonObject e = typicalJavaError().put("fingerprint", new JsonArray().add("{{ default }}").add("x"));
    List<String> hashes = grouper.group(e).hashes();
    assertThat(hashes).hasSize(2).doesNotContainAnyElementsOf(grouper.group(typicalJavaError()).hashes());
    assertThat(hashes.get(0)).isEqualTo("56df80bc5f16f33e3e4adf73bae56c0a");
  }

  @Test
  void customFingerprintReplacesGrouping() {
    JsonObject a = typicalJavaError().put("fingerprint", new JsonArray().add("a"));
    JsonObject b = message("anything").put("fingerprint", new JsonArray().add("a"));
    assertThat(grouper.group(a).hashes()).containsExactly("0cc175b9c0f1b6a831c399e269772661");
    assertThat(grouper.group(b).hashes()).isEqualTo(grouper.group(a).hashes());
  }

  @Test
  void fingerprintVariablesResolveFromTheEvent() {
    JsonObject e = typicalJavaError().put("transaction", "GET /orders").put("level", "warning")
        .put("tags", new JsonArray().add(new JsonArray().add("region").add("eu")))
        .put("fingerprint", new JsonArray().add("{{ transaction }}").add("{{ type }}").add("{{error.type}}")
            .add("{{ function }}").add("{{ module }}").add("{{ level }}").add("{{ tags.region }}")
            .add("{{ tags.missing }}").add("{{ error.value }}").add("{{ message }}").add("{{ unknown }}"));
    assertThat(grouper.group(e).hashes()).containsExactly(Grouper.md5(List.of("GET /orders",
        "IllegalStateException", "IllegalStateException", "process", "com.example.Service", "warning", "eu",
        "<no-value-for-tag-missing>", "boom 42", "boom <int>", "{{ unknown }}")));
  }

  @Test
  void fingerprintWithDefaultButNothingToGroupByStillUsesTheRest() {
    JsonObject e = new JsonObject().put("fingerprint", new JsonArray().add("{{ default }}").add("x"));
    assertThat(grouper.group(e).hashes()).containsExactly(Grouper.md5(List.of("x")));
  }

  // ---- title, culprit, metadata -------------------------------------------------------------

  @Test
  void errorTitleCulpritAndMetadata() {
    GroupingResult r = grouper.group(typicalJavaError());
    assertThat(r.type()).isEqualTo("error");
    assertThat(r.title()).isEqualTo("IllegalStateException: boom 42");
    assertThat(r.culprit()).isEqualTo("com.example.Service in process");
    assertThat(r.metadata()).isEqualTo(new JsonObject().put("value", "boom 42").put("type", "IllegalStateException")
        .put("function", "process").put("display_title_with_tree_label", false)
        .put("in_app_frame_mix", "mixed"));
    assertThat(r.location()).isNull();
  }

  @Test
  void errorTitleUsesFirstLineCutTo100AndTypeAloneWithoutValue() {
    String value = "x".repeat(120) + "\nsecond";
    assertThat(grouper.group(javaError("E", value)).title()).isEqualTo("E: " + "x".repeat(97) + "...");
    assertThat(grouper.group(javaError("E", null)).title()).isEqualTo("E");
    assertThat(grouper.group(javaError(null, "v")).title()).isEqualTo("Error: v");
  }

  @Test
  void culpritPrefersTheSdkValueThenTheTransactionThenTheFrame() {
    assertThat(grouper.group(typicalJavaError().put("culprit", "sdk says")).culprit()).isEqualTo("sdk says");
    assertThat(grouper.group(typicalJavaError().put("transaction", "GET /x")).culprit()).isEqualTo("GET /x");
    assertThat(grouper.group(typicalJavaError()).culprit()).isEqualTo("com.example.Service in process");
    assertThat(grouper.group(message("m").put("transaction", "GET /x")).culprit()).isEqualTo("GET /x");
    Grouper frameFirst = new Grouper(new GroupingConfig(250, 100, 200, 1024, 128, false));
    assertThat(frameFirst.group(typicalJavaError().put("transaction", "GET /x")).culprit())
        .isEqualTo("com.example.Service in process");
    assertThat(grouper.group(message("m").put("request", new JsonObject().put("url", "https://a/b"))).culprit())
        .isEqualTo("https://a/b");
    assertThat(grouper.group(typicalJavaError().put("culprit", "c".repeat(300))).culprit())
        .hasSize(200).endsWith("...");
  }

  @Test
  void culpritFallsBackToTheLastFrameWithoutInAppFrames() {
    JsonObject e = javaError("E", "v", frame("org.lib.A", "a", false), frame("org.lib.B", "b", false));
    assertThat(grouper.group(e).culprit()).isEqualTo("org.lib.B in b");
    assertThat(grouper.group(e).metadata().getString("function")).isEqualTo("b");
  }

  @Test
  void cspReportGroupsByDirectiveAndHost() {
    JsonObject csp = new JsonObject().put("effective_directive", "img-src")
        .put("blocked_uri", "https://evil.example.com/pixel.gif").put("violated_directive", "img-src 'self'");
    JsonObject e = new JsonObject().put("type", "csp").put("csp", csp)
        .put("logentry", new JsonObject().put("formatted", "Blocked 'image' from 'evil.example.com'"));
    GroupingResult r = grouper.group(e);
    assertThat(r.type()).isEqualTo("csp");
    assertThat(r.hashes()).containsExactly(Grouper.md5(List.of("img-src", "evil.example.com")));
    assertThat(r.title()).isEqualTo("Blocked 'image' from 'evil.example.com'");
    assertThat(r.location()).isEqualTo("evil.example.com");
    assertThat(r.metadata().getString("directive")).isEqualTo("img-src");

    JsonObject inline = new JsonObject().put("effective_directive", "script-src").put("blocked_uri", "self")
        .put("violated_directive", "script-src 'unsafe-inline'");
    assertThat(grouper.group(new JsonObject().put("csp", inline)).hashes())
        .containsExactly(Grouper.md5(List.of("script-src", "'unsafe-inline'")));
  }

  @Test
  void transactionTitleIsTheTransaction() {
    GroupingResult r = grouper.group(new JsonObject().put("type", "transaction").put("transaction", "GET /x"));
    assertThat(r.type()).isEqualTo("transaction");
    assertThat(r.title()).isEqualTo("GET /x");
  }

  // ---- robustness ---------------------------------------------------------------------------

  @Test
  void oddShapesNeverThrow() {
    List<JsonObject> odd = new ArrayList<>();
    odd.add(new JsonObject().put("exception", "nope").put("threads", 5).put("stacktrace", "x"));
    odd.add(new JsonObject().put("exception", new JsonObject().put("values", new JsonArray().add(1).addNull()
        .add(new JsonObject().put("stacktrace", new JsonObject().put("frames", "bad"))))));
    odd.add(new JsonObject().put("exception", new JsonArray().add(new JsonObject().put("type", 5)
        .put("value", new JsonObject()).put("stacktrace", new JsonObject().put("frames",
            new JsonArray().addNull().add("x").add(new JsonObject().put("function", 3).put("in_app", true)))))));
    odd.add(new JsonObject().put("fingerprint", "x").put("logentry", "y").put("tags", 3).put("culprit", 7));
    odd.add(new JsonObject().put("fingerprint", new JsonArray().add(1).add(true).addNull().add(new JsonObject())));
    odd.add(new JsonObject().put("csp", new JsonObject()).put("platform", 3));
    for (JsonObject e : odd) {
      GroupingResult r = grouper.group(e);
      assertThat(r.hashes()).isNotEmpty().allMatch(h -> h.matches("[0-9a-f]{32}"));
      assertThat(r.title()).isNotNull();
      assertThat(r.culprit()).isNotNull();
    }
  }

  private static JsonArray frames(JsonObject javaError) {
    return javaError.getJsonObject("exception").getJsonArray("values").getJsonObject(0)
        .getJsonObject("stacktrace").getJsonArray("frames");
  }
}

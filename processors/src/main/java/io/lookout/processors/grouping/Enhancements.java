package io.lookout.processors.grouping;

import java.util.Locale;

/**
 * The part of Sentry's default stack trace rules ({@code newstyle:2023-01-11} enhancements) that
 * does not depend on native symbolication or on neighbouring frames: library code that is never
 * in-app ({@code -app}) and frames that never contribute to grouping ({@code -group}).
 * Not done: the native/mobile rules and the category rules that look at the caller frame.
 */
final class Enhancements {

  private Enhancements() {}

  // module:X.* category=framework, category:framework -app; kotlin & co -app
  private static final String[] NOT_IN_APP_MODULE_PREFIXES = {
    "akka.", "com.fasterxml.", "com.microsoft.", "com.sun.", "feign.", "io.opentelemetry.",
    "io.sentry.", "jdk.", "oauth.", "org.apache.", "org.glassfish.", "org.jboss.", "org.jdesktop.",
    "org.postgresql.", "org.springframework.", "org.web3j.", "reactor.core.", "scala.", "sun.",
    "kotlin.", "kotlinx.", "io.ktor.", "io.netty.", "unpkg/", "@babel/", "core-js/",
    "regenerator-runtime/", "tslib/"
  };

  private static final String[] NOT_IN_APP_PATH_PARTS = {
    "/vendor/", "/site-packages/", "/dist-packages/", "/node_modules/", "/go/pkg/mod/",
    "https://unpkg.com/", "https://cdnjs.cloudflare.com/", "https://cdn.jsdelivr.net/",
    "https://esm.run/", "newrelic", "logrocket"
  };

  private static final String[] NO_GROUP_MODULE_PREFIXES = {
    "io.sentry.", "@babel/", "core-js/", "regenerator-runtime/", "tslib/", "java.lang.reflect.",
    "androidx.work.impl.utils.ForceStopRunnable"
  };

  private static final String[] NO_GROUP_FUNCTIONS = {
    "runMicrotasks", "queueMicrotask", "processTicksAndRejections", "runNextTicks", "nextTick"
  };

  /** False when a default rule says the frame is library code, whatever the SDK said. */
  static boolean mayBeInApp(Frame f) {
    String module = f.module();
    if (module != null) {
      if (startsWithAny(module, NOT_IN_APP_MODULE_PREFIXES) || module.equals("newrelic")) {
        return false;
      }
    }
    if (pathHasAny(f.absPath()) || pathHasAny(f.filename())) {
      return false;
    }
    return !("reportError".equals(f.function()) && Grouper.isJavascriptFamily(f.platform()));
  }

  /** True for frames that Sentry's rules take out of grouping ({@code -group}). */
  static boolean excludedFromGrouping(Frame f) {
    String module = f.module();
    String function = f.function();
    if (module != null) {
      if (startsWithAny(module, NO_GROUP_MODULE_PREFIXES) || module.equals("newrelic")) {
        return true;
      }
      // category=threadbase / indirection, both -group
      if (module.startsWith("java.util.concurrent.ThreadPoolExecutor") && "runWorker".equals(function)) {
        return true;
      }
      if (module.equals("java.lang.Class") && "getMethod".equals(function)) {
        return true;
      }
    }
    if (function != null) {
      for (String f2 : NO_GROUP_FUNCTIONS) {
        if (f2.equals(function)) {
          return true;
        }
      }
      if ("_callSuper".equals(function) && Grouper.isJavascriptFamily(f.platform())) {
        return true;
      }
    }
    String path = f.absPath() != null ? f.absPath() : f.filename();
    if (path != null) {
      String p = path.toLowerCase(Locale.ROOT).replace('\\', '/');
      // path:**/*newrelic*/** and path:**/*LogRocket*/** -group
      return dirContains(p, "newrelic") || dirContains(p, "logrocket");
    }
    return false;
  }

  private static boolean startsWithAny(String s, String[] prefixes) {
    for (String p : prefixes) {
      if (s.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static boolean pathHasAny(String path) {
    if (path == null) {
      return false;
    }
    String p = path.toLowerCase(Locale.ROOT).replace('\\', '/');
    for (String part : NOT_IN_APP_PATH_PARTS) {
      boolean found;
      if (part.startsWith("/")) {
        found = p.contains(part) || p.startsWith(part.substring(1));
      } else if (part.startsWith("https:")) {
        found = p.contains(part);
      } else {
        found = dirContains(p, part);
      }
      if (found) {
        return true;
      }
    }
    return false;
  }

  /** {@code **}{@code /*word*}{@code /**}: a directory (not the file) whose name contains word. */
  private static boolean dirContains(String path, String word) {
    int slash = path.lastIndexOf('/');
    return slash > 0 && path.substring(0, slash).contains(word);
  }
}

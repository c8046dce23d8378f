package io.lookout.processors.grouping;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Sentry's {@code frame:v1} and {@code stacktrace:v1} strategies ({@code newstyle:2023-01-11}):
 * which values of a frame contribute to the hash, per frame and per stack trace.
 *
 * <p>A frame contributes, in this order: its module (normalized), else its file's basename
 * (lower-cased), its function (normalized), and for JavaScript, Node, Python, PHP and Ruby its
 * context line (whitespace collapsed; not when longer than 120 characters). Line numbers never
 * contribute. A frame that repeats the frame before it (recursion) does not contribute.
 */
final class StackGrouping {

  private StackGrouping() {}

  /** The contributing values of a stack trace in one variant; {@code contributes} as Sentry's. */
  record Stack(List<String> values, boolean contributes) {
    static final Stack NONE = new Stack(List.of(), false);
  }

  // sun.reflect.GeneratedConstructorAccessor123; jdk.internal.* too (Sentry only strips sun.*)
  private static final Pattern JAVA_REFLECT =
      Pattern.compile("((?:sun|jdk\\.internal)\\.reflect\\.Generated(?:Serialization)?ConstructorAccessor)\\d+");
  private static final Pattern JAVA_CGLIB =
      Pattern.compile("(\\$\\$[\\w_]+?CGLIB\\$\\$)[a-fA-F0-9]+(_[0-9]+)?");
  private static final Pattern JAVA_ASSIST =
      Pattern.compile("(\\$\\$_javassist)(?:_seam)?(?:_[0-9]+)?");
  private static final Pattern CLOJURE_FN = Pattern.compile("(\\$fn__)\\d+");
  private static final Pattern JAVA_ENHANCER_BY =
      Pattern.compile("(\\$\\$?EnhancerBy[\\w_]+?\\$?\\$)[a-fA-F0-9]+(_[0-9]+)?");
  private static final Pattern JAVA_FAST_CLASS_BY =
      Pattern.compile("(\\$\\$?FastClassBy[\\w_]+?\\$?\\$)[a-fA-F0-9]+(_[0-9]+)?");
  private static final Pattern JAVA_HIBERNATE_PROXY =
      Pattern.compile("(\\$\\$?HibernateProxy\\$?\\$)\\w+(_[0-9]+)?");
  // beyond Sentry: JDK dynamic proxies and ByteBuddy classes are numbered per JVM run too
  private static final Pattern JAVA_PROXY = Pattern.compile("(\\$Proxy)\\d+");
  private static final Pattern JDK_PROXY_MODULE = Pattern.compile("^(jdk\\.proxy)\\d+");
  private static final Pattern JAVA_BYTE_BUDDY = Pattern.compile("(\\$ByteBuddy\\$)\\w+");
  private static final Pattern RUBY_ERB = Pattern.compile("__\\d{4,}_\\d{4,}$");

  /**
   * The stack trace components of the app variant (only in-app frames contribute) and of the
   * system variant (all frames), in one pass: {@code [app, system]}. Only the last
   * {@code maxFrames} frames count.
   */
  static Stack[] stacks(List<Frame> all, int maxFrames) {
    if (all.isEmpty()) {
      return new Stack[] {Stack.NONE, Stack.NONE};
    }
    List<Frame> frames = all.size() > maxFrames ? all.subList(all.size() - maxFrames, all.size()) : all;
    List<String> app = new ArrayList<>();
    List<String> system = new ArrayList<>(frames.size() * 2);
    List<String> scratch = new ArrayList<>(4);
    int appFrames = 0;
    int systemFrames = 0;
    Frame previous = null;
    for (Frame f : frames) {
      boolean recursion = f.sameCallAs(previous);
      previous = f;
      if (recursion || Enhancements.excludedFromGrouping(f)) {
        continue;
      }
      scratch.clear();
      if (frameValues(f, scratch)) {
        system.addAll(scratch);
        systemFrames++;
        if (f.inApp()) {
          app.addAll(scratch);
          appFrames++;
        }
      }
    }
    // a lone JavaScript frame without a function that points at a URL is too weak to group by
    if (frames.size() == 1) {
      Frame f = frames.get(0);
      if (Grouper.isJavascriptFamily(f.platform()) && f.function() == null && isUrl(f.absPath())) {
        return new Stack[] {Stack.NONE, Stack.NONE};
      }
    }
    return new Stack[] {
      appFrames > 0 ? new Stack(app, true) : Stack.NONE,
      systemFrames > 0 ? new Stack(system, true) : Stack.NONE
    };
  }

  /** Appends the contributing values of a frame; false when the frame does not contribute. */
  static boolean frameValues(Frame f, List<String> out) {
    String platform = f.platform();
    boolean js = Grouper.isJavascriptFamily(platform);
    boolean java = "java".equals(platform);

    // filename: the basename, lower-cased; module beats it
    String filename = null;
    if (f.filename() != null && !f.filename().isEmpty()) {
      String base = basename(f.filename()).toLowerCase(Locale.ROOT);
      if (!hasUrlOrigin(f.absPath(), true) && !base.equals("<anonymous>") && !base.equals("[native code]")) {
        filename = java ? replaceIf(base, "$$_javassist", JAVA_ASSIST) : base;
      }
    }

    String module = f.module();
    if (module != null) {
      if ("javascript".equals(platform) && module.indexOf('/') >= 0 && f.absPath() != null
          && f.absPath().endsWith(module)) {
        module = null;
      } else if (java) {
        // Sentry checks "$$Lambda$"; JDK 21 names them Foo$$Lambda/0x...
        module = module.contains("$$Lambda") ? null : normalizeJavaModule(module);
      }
    }
    if (module != null) {
      filename = null;
    }

    String contextLine = null;
    boolean contextLineContributes = false;
    if (usesContextLine(platform) && f.contextLine() != null) {
      String line = collapseWhitespace(f.contextLine());
      if (!line.isEmpty()) {
        contextLine = line;
        contextLineContributes =
            f.contextLine().codePointCount(0, f.contextLine().length()) <= 120
                && !(js && f.function() == null && hasUrlOrigin(f.absPath(), false));
      }
    }

    String function = functionValue(f, platform, js, contextLineContributes);

    if (js) {
      String name = f.rawFunction() != null ? f.rawFunction() : f.function();
      if (name != null) {
        name = name.substring(name.lastIndexOf('.') + 1);
      }
      if (name == null || name.isEmpty()) {
        function = null;
      } else if (name.equals("?") || name.equals("<anonymous function>") || name.equals("<anonymous>")
          || name.equals("Anonymous function") || name.endsWith("/<")) {
        function = null;
      }
      String abs = f.absPath();
      if ("eval".equals(name) || "[native code]".equals(abs) || "native code".equals(abs)
          || "eval code".equals(abs) || "<anonymous>".equals(abs)) {
        return false;
      }
    }

    boolean contributes = false;
    if (module != null) {
      out.add(module);
      contributes = true;
    }
    if (filename != null) {
      out.add(filename);
      contributes = true;
    }
    if (function != null) {
      out.add(function);
      contributes = true;
    }
    if (contextLineContributes) {
      out.add(contextLine);
      contributes = true;
    }
    return contributes;
  }

  private static String functionValue(Frame f, String platform, boolean js, boolean contextLineContributes) {
    String func = "csharp".equals(platform)
        ? (f.rawFunction() != null ? f.rawFunction() : f.function())
        : (f.function() != null ? f.function() : f.rawFunction());
    if (func == null || func.isEmpty()) {
      return null;
    }
    if ("ruby".equals(platform)) {
      return func.startsWith("block ") ? "block" : RUBY_ERB.matcher(func).replaceFirst("");
    }
    if ("php".equals(platform)) {
      if (func.startsWith("[Anonymous") || func.startsWith("class@anonymous\u0000")) {
        return null;
      }
      if (func.startsWith("class@anonymous")) {
        int sep = func.lastIndexOf("::");
        return sep >= 0 ? func.substring(sep + 2) : func;
      }
      return func;
    }
    if ("java".equals(platform)) {
      return func.startsWith("lambda$") ? null : func;
    }
    if (Grouper.isNativeFamily(platform)) {
      return func.equals("<redacted>") || func.equals("<unknown>") ? null : func;
    }
    if (js) {
      // Object.foo and Foo.foo group as foo; source-mapped names are unreliable next to a context line
      if (f.sourcemap() && contextLineContributes) {
        return null;
      }
      return func.substring(func.lastIndexOf('.') + 1);
    }
    return func;
  }

  static String normalizeJavaModule(String module) {
    if (module.startsWith("sun.reflect.GeneratedMethodAccessor")) {
      return "sun.reflect.GeneratedMethodAccessor";
    }
    if (module.startsWith("jdk.internal.reflect.GeneratedMethodAccessor")) {
      return "jdk.internal.reflect.GeneratedMethodAccessor";
    }
    String m = module;
    m = replaceIf(m, "Generated", JAVA_REFLECT);
    if (m.indexOf('$') >= 0) {
      m = replaceIf(m, "CGLIB$", JAVA_CGLIB);
      m = replaceIf(m, "$$_javassist", JAVA_ASSIST);
      m = replaceIf(m, "$fn__", CLOJURE_FN);
      m = replaceIf(m, "EnhancerBy", JAVA_ENHANCER_BY);
      m = replaceIf(m, "FastClassBy", JAVA_FAST_CLASS_BY);
      m = replaceIf(m, "HibernateProxy", JAVA_HIBERNATE_PROXY);
      m = replaceIf(m, "$Proxy", JAVA_PROXY);
      m = replaceIf(m, "$ByteBuddy$", JAVA_BYTE_BUDDY);
    }
    if (m.startsWith("jdk.proxy")) {
      m = JDK_PROXY_MODULE.matcher(m).replaceFirst("$1<auto>");
    }
    return m;
  }

  // the contains() check spares the regex for the many modules it cannot match
  private static String replaceIf(String module, String marker, Pattern pattern) {
    return module.contains(marker) ? pattern.matcher(module).replaceAll("$1<auto>") : module;
  }

  private static boolean usesContextLine(String platform) {
    return "javascript".equals(platform) || "node".equals(platform) || "python".equals(platform)
        || "php".equals(platform) || "ruby".equals(platform);
  }

  static String basename(String path) {
    int cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return cut < 0 ? path : path.substring(cut + 1);
  }

  /** Python's {@code " ".join(s.split())}. */
  static String collapseWhitespace(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c) || c == '\u00A0' || c == '\u0085') {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  static boolean hasUrlOrigin(String path, boolean allowFileOrigin) {
    if (path == null || path.isEmpty()) {
      return false;
    }
    if (path.startsWith("http:") || path.startsWith("https:") || path.startsWith("applewebdata:")
        || path.startsWith("blob:")) {
      return true;
    }
    return path.startsWith("file:") && !allowFileOrigin;
  }

  private static boolean isUrl(String path) {
    return path != null && (path.startsWith("blob:") || path.startsWith("file:")
        || path.startsWith("http:") || path.startsWith("https:") || path.startsWith("applewebdata:"));
  }
}

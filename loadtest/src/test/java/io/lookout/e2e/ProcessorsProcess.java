package io.lookout.e2e;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/lookout processors} as a separate OS process (what an operator runs), configured the
 * operator's way: the repository's {@code conf/} plus {@code LOOKOUT_<FILE>__<SECTION>__<KEY>}
 * environment overrides. Its output goes to a file under {@code target/} for debugging.
 */
final class ProcessorsProcess {

  /** What {@code ProcessorsMain} logs once every consumer, worker and server is deployed. */
  private static final String RUNNING = "processors running";

  private final Process process;
  private final Path log;
  private final long logOffset;

  private ProcessorsProcess(Process process, Path log, long logOffset) {
    this.process = process;
    this.log = log;
    this.logOffset = logOffset;
  }

  /** Starts {@code io.lookout.processors.ProcessorsMain} with the test's class path and {@code env} added. */
  static ProcessorsProcess start(Map<String, String> env, Path log, String... args) throws IOException {
    Files.createDirectories(log.getParent());
    long offset = Files.exists(log) ? Files.size(log) : 0;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // small and quick to start: the machine is shared
    command.add("-Xmx512m");
    command.add("-XX:+UseSerialGC");
    command.add("-XX:TieredStopAtLevel=1");
    String confDir = System.getProperty("lookout.conf.dir");
    if (confDir != null) {
      command.add("-Dlookout.conf.dir=" + confDir);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.lookout.processors.ProcessorsMain");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Files.writeString(log, "\n==== " + java.time.Instant.now() + " starting processors\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return new ProcessorsProcess(builder.start(), log, offset);
  }

  /** Waits until the process says it runs; fails if it exits first or does not within the deadline. */
  ProcessorsProcess awaitRunning() throws Exception {
    long deadline = System.nanoTime() + ApiClient.DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (output().contains(RUNNING)) {
        return this;
      }
      if (!process.isAlive()) {
        throw new AssertionError("processors exited with " + process.exitValue() + " before running; see " + log);
      }
      TimeUnit.MILLISECONDS.sleep(100);
    }
    throw new AssertionError("processors not running after " + ApiClient.DEADLINE + "; see " + log);
  }

  private String output() throws IOException {
    byte[] all = Files.readAllBytes(log);
    return new String(all, (int) Math.min(logOffset, all.length), (int) Math.max(0, all.length - logOffset),
        StandardCharsets.UTF_8);
  }

  /** {@code kill -9}: no shutdown hook, no commit, no flush. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError("processors " + process.pid() + " survived SIGKILL");
    }
  }

  /** SIGTERM (the shutdown hook commits and flushes), then SIGKILL if it hangs. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  long pid() {
    return process.pid();
  }
}

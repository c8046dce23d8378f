package io.lookout.loadtest;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Set;

/**
 * The CPU time of the threads a server started: every thread of this JVM that did not exist when
 * {@link #startingNow()} was called. The load generator's threads are older, so they are left out
 * (both Vert.x instances name their threads alike, so names cannot tell them apart). A thread that
 * ended meanwhile no longer counts, nor do the JIT compiler threads the JVM starts on demand.
 */
final class ServerThreads {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Set<Long> older;

  private ServerThreads(Set<Long> older) {
    this.older = older;
  }

  static ServerThreads startingNow() {
    Set<Long> ids = new HashSet<>();
    for (long id : THREADS.getAllThreadIds()) {
      ids.add(id);
    }
    return new ServerThreads(ids);
  }

  /** CPU nanoseconds of the live threads started since; 0 where the JVM does not measure them. */
  long cpuNanos() {
    if (!THREADS.isThreadCpuTimeSupported()) {
      return 0;
    }
    long total = 0;
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      // the JIT starts compiler threads as it needs them: they are the JVM's, not the server's
      if (info == null || info.getThreadName().contains("CompilerThread")) {
        continue;
      }
      long id = info.getThreadId();
      if (!older.contains(id)) {
        long nanos = THREADS.getThreadCpuTime(id);
        if (nanos > 0) {
          total += nanos;
        }
      }
    }
    return total;
  }
}

package io.lookout.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU counters at one instant: the machine's busy and total jiffies ({@code /proc/stat}, Linux;
 * -1 elsewhere) and this JVM's CPU time. Two samples tell how busy the shared cores were over a
 * run and how much of them this process (load generator and server together) took.
 */
record CpuSample(long machineBusy, long machineTotal, long processCpuNanos, long wallNanos) {

  static CpuSample now() {
    long busy = -1;
    long total = -1;
    try {
      // cpu  user nice system idle iowait irq softirq steal ...
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      total = 0;
      for (int i = 1; i < Math.min(f.length, 9); i++) {
        total += Long.parseLong(f[i]);
      }
      busy = total - Long.parseLong(f[4]) - Long.parseLong(f[5]);
    } catch (IOException | RuntimeException e) {
      // not Linux: the machine share is left out
    }
    long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
    return new CpuSample(busy, total, process, System.nanoTime());
  }

  /** E.g. {@code cpu 97% busy (2 cores), this JVM 1.41 cores}. */
  String since(CpuSample start) {
    StringBuilder sb = new StringBuilder("cpu");
    if (machineTotal > start.machineTotal && start.machineTotal >= 0) {
      sb.append(String.format(Locale.US, " %d%% busy (%d cores)",
          Math.round(100.0 * (machineBusy - start.machineBusy) / (machineTotal - start.machineTotal)),
          Runtime.getRuntime().availableProcessors()));
    }
    if (processCpuNanos >= 0 && start.processCpuNanos >= 0) {
      sb.append(String.format(Locale.US, ", this JVM %.2f cores",
          (double) (processCpuNanos - start.processCpuNanos) / (wallNanos - start.wallNanos)));
    }
    return sb.toString();
  }
}

package io.lookout.loadtest;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU counters at one instant: the machine's busy and total jiffies ({@code /proc/stat}, Linux;
 * -1 elsewhere), this JVM's CPU time, and the jiffies of the local Kafka broker and Redis server
 * (found by command line in {@code /proc}; {@link #now(Map)} names other services). Two samples tell
 * how busy the shared cores were over a run and who took them.
 */
record CpuSample(long machineBusy, long machineTotal, long processCpuNanos, long wallNanos,
    Map<String, Long> services) {

  /** What the gateway talks to, by a word of its command line. */
  private static final Map<String, String> SERVICES = Map.of("kafka.Kafka", "Kafka broker",
      "redis-server", "Redis");
  /** USER_HZ: jiffies per second on Linux. */
  private static final double JIFFIES_PER_SECOND = 100.0;

  static CpuSample now() {
    return now(SERVICES);
  }

  /**
   * @param services a word of a service's command line -> the name to report it under; several
   *     words may share a name (their processes are summed)
   */
  static CpuSample now(Map<String, String> services) {
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
    return new CpuSample(busy, total, process, System.nanoTime(), serviceJiffies(services));
  }

  /** utime + stime of each service process, summed per service; empty when /proc is not there. */
  private static Map<String, Long> serviceJiffies(Map<String, String> services) {
    Map<String, Long> jiffies = new TreeMap<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : (Iterable<Path>) procs::iterator) {
        if (!proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
          for (Map.Entry<String, String> service : services.entrySet()) {
            if (cmdline.contains(service.getKey())) {
              String stat = Files.readString(proc.resolve("stat"));
              // fields after the ")" that ends the command name: state is field 3, utime 14, stime 15
              String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
              jiffies.merge(service.getValue(), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            }
          }
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile, or is not ours to read
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux
    }
    return jiffies;
  }

  /** E.g. {@code cpu 97% busy (2 cores), this JVM 1.41 cores, Kafka broker 0.30 cores, Redis 0.10 cores}. */
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
    double seconds = (wallNanos - start.wallNanos) / 1e9;
    services.forEach((name, now) -> {
      Long before = start.services.get(name);
      if (before != null) {
        sb.append(String.format(Locale.US, ", %s %.2f cores", name, (now - before) / JIFFIES_PER_SECOND / seconds));
      }
    });
    return sb.toString();
  }

  /**
   * E.g. {@code 61 us (+ Kafka broker 12 us, Redis 15 us)}: {@code serverNanos} of CPU (the server's
   * own threads) and the services' jiffies since {@code start}, per request.
   */
  String perRequest(CpuSample start, long serverNanos, long requests) {
    if (requests <= 0) {
      return "no requests";
    }
    StringBuilder sb = new StringBuilder(String.format(Locale.US, "%.0f us", serverNanos / 1e3 / requests));
    StringBuilder services = new StringBuilder();
    this.services.forEach((name, now) -> {
      Long before = start.services.get(name);
      if (before != null) {
        services.append(services.length() == 0 ? " (+ " : ", ").append(String.format(Locale.US, "%s %.0f us",
            name, (now - before) / JIFFIES_PER_SECOND * 1e6 / requests));
      }
    });
    if (services.length() > 0) {
      sb.append(services).append(')');
    }
    return sb.toString();
  }
}

package io.lookout.loadtest;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the benchmarks ({@code bin/lookout bench <name> [options]}): the first argument
 * names the benchmark, the rest are its options.
 */
public final class BenchMain {

  private static final Logger LOG = LoggerFactory.getLogger(BenchMain.class);

  private BenchMain() {
  }

  public static void main(String[] args) {
    String name = args.length == 0 ? "" : args[0];
    String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
    int code;
    try {
      code = switch (name) {
        case "nodestore" -> NodestoreBench.run(rest);
        case "gateway" -> GatewayBench.run(rest);
        case "pipeline" -> PipelineBench.run(rest);
        case "clickhouse" -> {
          ClickHouseWriterBench.run(rest);
          yield 0;
        }
        default -> {
          LOG.error("usage: BenchMain nodestore [--events N] [--batch B] [--concurrency C] [--runs R]"
              + " | clickhouse [--rows=N]"
              + " | gateway [--duration S (10)] [--connections C (256)] [--warmup S (20)] [--bodies N (400)]"
              + " | " + PipelineBench.USAGE);
          yield 2;
        }
      };
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      code = 2;
    } catch (Exception e) {
      LOG.error("benchmark {} failed: {}", name, e.toString(), e);
      code = 1;
    }
    System.exit(code);
  }
}

package io.charlatan.bench;

import io.charlatan.backing.RedisCluster;
import io.charlatan.backing.RedisClusterOptions;
import io.charlatan.backing.RedisOptions;
import io.charlatan.backing.RedisServer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Start-to-healthy of {@link RedisCluster} (3 masters; 3 masters with a replica each), against one
 * {@link RedisServer} of the same binary, interleaved in one run; and the time from a stopped
 * master to a healthy cluster again (its replica promoted). Prints a Markdown report.
 */
public final class RedisClusterBenchmark {
  private static final int STARTS = Integer.getInteger("bench.starts", 10);

  private RedisClusterBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    RedisOptions redis = RedisOptions.defaults();
    RedisClusterOptions withReplicas =
        RedisClusterOptions.builder().redis(redis).replicasPerMaster(1).build();
    RedisClusterOptions masters = RedisClusterOptions.builder().redis(redis).build();
    double[] single = new double[STARTS];
    double[] cluster = new double[STARTS];
    double[] replicated = new double[STARTS];
    double[] failover = new double[STARTS];
    String binary;
    try (RedisServer warm = RedisServer.start(redis)) {
      binary = warm.binary();
    }
    for (int i = 0; i < STARTS; i++) {
      long begin = System.nanoTime();
      RedisServer server = RedisServer.start(redis);
      single[i] = (System.nanoTime() - begin) / 1e6;
      server.close();
      begin = System.nanoTime();
      RedisCluster started = RedisCluster.start(masters);
      cluster[i] = (System.nanoTime() - begin) / 1e6;
      started.close();
      begin = System.nanoTime();
      try (RedisCluster replicatedCluster = RedisCluster.start(withReplicas)) {
        replicated[i] = (System.nanoTime() - begin) / 1e6;
        replicatedCluster.masters().get(0).close();
        begin = System.nanoTime();
        replicatedCluster.awaitHealthy(Duration.ofSeconds(30));
        failover[i] = (System.nanoTime() - begin) / 1e6;
      }
    }
    out.println("Binary: " + binary + "; " + STARTS + " rounds, interleaved; load: " + load());
    out.println();
    out.println("| start to ready, ms | median | p10 | p90 |");
    out.println("|---|---:|---:|---:|");
    row(out, "one `RedisServer` (answers PING)", single);
    row(out, "`RedisCluster`, 3 masters (`cluster_state:ok` on all)", cluster);
    row(out, "`RedisCluster`, 3 masters + 3 replicas (and replicas in sync)", replicated);
    row(
        out,
        "a master stopped (SIGTERM) to healthy again, node timeout "
            + RedisClusterOptions.DEFAULT_NODE_TIMEOUT.toMillis()
            + " ms",
        failover);
  }

  private static void row(PrintStream out, String label, double[] samples) {
    Stats stats = Stats.of(samples);
    out.printf(
        Locale.ROOT,
        "| %s | %.0f | %.0f | %.0f |%n",
        label,
        stats.median(),
        stats.p10(),
        stats.p90());
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}

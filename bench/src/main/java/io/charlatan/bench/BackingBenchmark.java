package io.charlatan.bench;

import io.charlatan.backing.RedisOptions;
import io.charlatan.backing.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Ready time of {@link RedisServer} against the same redis-server started by hand from the shell
 * (interleaved, one run), the cost of its per-test reset, and the first extraction of the bundled
 * binary. Prints a Markdown report.
 */
public final class BackingBenchmark {
  private static final int STARTS = Integer.getInteger("bench.starts", 30);
  private static final int RESETS = Integer.getInteger("bench.resets", 2_000);

  private BackingBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args none
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    Path cache = Files.createTempDirectory("backing-bench-cache");
    RedisOptions options = RedisOptions.builder().searchPath("").cacheDirectory(cache).build();

    double[] extraction = new double[5];
    for (int i = 0; i < extraction.length; i++) {
      Path fresh = Files.createTempDirectory("backing-bench-extract");
      long begin = System.nanoTime();
      RedisServer redis =
          RedisServer.start(RedisOptions.builder().searchPath("").cacheDirectory(fresh).build());
      extraction[i] = (System.nanoTime() - begin) / 1e6;
      redis.close();
    }

    String binary;
    try (RedisServer warm = RedisServer.start(options)) {
      binary = warm.binary();
    }
    Path executable =
        cache.resolve("redis").toFile().listFiles()[0].toPath().resolve("redis-server");

    double[] ours = new double[STARTS];
    double[] byHand = new double[STARTS];
    for (int i = 0; i < STARTS; i++) {
      long begin = System.nanoTime();
      RedisServer redis = RedisServer.start(options);
      ours[i] = (System.nanoTime() - begin) / 1e6;
      redis.close();
      byHand[i] = byHand(executable);
    }

    double[] resetEmpty = new double[RESETS];
    double[] resetHundred = new double[RESETS];
    try (RedisServer redis = RedisServer.start(options);
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), redis.port())) {
      OutputStream writer = socket.getOutputStream();
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      for (int i = 0; i < RESETS; i++) {
        long begin = System.nanoTime();
        redis.flushAll();
        resetEmpty[i] = (System.nanoTime() - begin) / 1e3;
        StringBuilder fill = new StringBuilder();
        for (int key = 0; key < 100; key++) {
          fill.append("SET key:").append(key).append(" value\r\n");
        }
        writer.write(fill.toString().getBytes(StandardCharsets.UTF_8));
        writer.flush();
        for (int key = 0; key < 100; key++) {
          reader.readLine();
        }
        begin = System.nanoTime();
        redis.flushAll();
        resetHundred[i] = (System.nanoTime() - begin) / 1e3;
      }
    }

    out.println("## Backing services benchmark\n");
    out.println(
        "- Machine: "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + ", JDK "
            + Runtime.version());
    out.println("- Redis binary: " + binary + "\n");
    out.println(
        "### Redis: start to ready (answers PING), ms, " + STARTS + " starts each, interleaved\n");
    out.println("| how | median | p10 | p90 |");
    out.println("|---|---:|---:|---:|");
    row(out, "`RedisServer.start()` (free port, temp dir, PING)", Stats.of(ours));
    row(
        out,
        "`sh -c 'exec redis-server ...'` by hand, polled with PING every 0.5 ms",
        Stats.of(byHand));
    row(out, "first start with an empty cache (extracts the bundled binary)", Stats.of(extraction));
    out.println("\n### Redis: per-test reset (`flushAll()`), µs, " + RESETS + " each\n");
    out.println("| database | median | p10 | p90 |");
    out.println("|---|---:|---:|---:|");
    row(out, "empty", Stats.of(resetEmpty));
    row(out, "100 keys", Stats.of(resetHundred));
  }

  private static void row(PrintStream out, String name, Stats stats) {
    out.printf(
        Locale.ROOT,
        "| %s | %.2f | %.2f | %.2f |%n",
        name,
        stats.median(),
        stats.p10(),
        stats.p90());
  }

  /** Starts redis-server from a shell on a free port, waits for PONG, stops it; ms to ready. */
  private static double byHand(Path executable) throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Path directory = Files.createTempDirectory("backing-bench-hand");
    long begin = System.nanoTime();
    Process process =
        new ProcessBuilder(
                "sh",
                "-c",
                "exec '"
                    + executable
                    + "' --port "
                    + port
                    + " --bind 127.0.0.1 --save '' --appendonly no --daemonize no --dir '"
                    + directory
                    + "'")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    double ready;
    while (true) {
      try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
        socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
        String reply =
            new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
        if ("+PONG".equals(reply)) {
          ready = (System.nanoTime() - begin) / 1e6;
          break;
        }
      } catch (IOException notYet) {
        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
      }
    }
    process.destroy();
    process.waitFor();
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    }
    return ready;
  }
}

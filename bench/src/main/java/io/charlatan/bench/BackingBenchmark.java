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
        redis.reset();
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
        redis.reset();
        resetHundred[i] = (System.nanoTime() - begin) / 1e3;
      }
    }

    Postgres postgres = postgres();

    out.println("## Backing services benchmark\n");
    out.println("- Machine: " + Report.machine());
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
    out.println("\n### Redis: per-test reset (`reset()`), µs, " + RESETS + " each\n");
    out.println("| database | median | p10 | p90 |");
    out.println("|---|---:|---:|---:|");
    row(out, "empty", Stats.of(resetEmpty));
    row(out, "100 keys", Stats.of(resetHundred));
    out.println("\n### PostgreSQL (" + postgres.binary() + "), ms\n");
    out.println("| what | median | p10 | p90 |");
    out.println("|---|---:|---:|---:|");
    row(out, "`initdb` (once per binaries; cached)", postgres.initdb());
    row(
        out,
        "`PostgresServer.start()` from the cached cluster: copy, start, CREATE DATABASE",
        postgres.ours());
    row(
        out,
        "`postgres` by hand from the shell on a copied cluster, until a JDBC connection",
        postgres.byHand());
    row(out, "reset, TRUNCATE of 10 tables x 100 rows", postgres.truncate());
    row(out, "reset, TEMPLATE (drop, create from snapshot) of the same", postgres.template());
  }

  private record Postgres(
      String binary, Stats initdb, Stats ours, Stats byHand, Stats truncate, Stats template) {}

  private static Postgres postgres() throws Exception {
    int runs = Integer.getInteger("bench.pgStarts", 15);
    io.charlatan.backing.PostgresOptions truncating =
        io.charlatan.backing.PostgresOptions.defaults();
    io.charlatan.backing.PostgresOptions templating =
        io.charlatan.backing.PostgresOptions.builder()
            .reset(io.charlatan.backing.PostgresOptions.ResetStrategy.TEMPLATE)
            .build();
    String binary;
    Path bin;
    try (io.charlatan.backing.PostgresServer warm = io.charlatan.backing.PostgresServer.start()) {
      binary = warm.binary();
      // The source names the directory, or the initdb found on PATH, in parentheses.
      Path named = Path.of(binary.replaceAll(".*\\((/[^)]*)\\).*", "$1"));
      bin = named.getFileName().toString().equals("initdb") ? named.getParent() : named;
    }
    double[] initdb = new double[5];
    for (int i = 0; i < initdb.length; i++) {
      Path dir = Files.createTempDirectory("bench-initdb");
      Files.setPosixFilePermissions(
          dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
      long begin = System.nanoTime();
      shell(
          root()
              + "'"
              + bin.resolve("initdb")
              + "' -D '"
              + dir.resolve("data")
              + "' -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync > /dev/null");
      initdb[i] = (System.nanoTime() - begin) / 1e6;
      if (i == 0) {
        templateCluster = dir.resolve("data");
      } else {
        shell("rm -rf '" + dir + "'");
      }
    }
    double[] ours = new double[runs];
    double[] byHand = new double[runs];
    for (int i = 0; i < runs; i++) {
      long begin = System.nanoTime();
      io.charlatan.backing.PostgresServer server =
          io.charlatan.backing.PostgresServer.start(truncating);
      ours[i] = (System.nanoTime() - begin) / 1e6;
      server.close();
      byHand[i] = postgresByHand(bin);
    }
    double[] truncate = resets(truncating, false, runs * 10);
    double[] template = resets(templating, true, runs * 10);
    return new Postgres(
        binary,
        Stats.of(initdb),
        Stats.of(ours),
        Stats.of(byHand),
        Stats.of(truncate),
        Stats.of(template));
  }

  private static Path templateCluster;

  private static String root() {
    return "root".equals(System.getProperty("user.name"))
        ? "setpriv --reuid=nobody --regid=nogroup --clear-groups -- "
        : "";
  }

  private static void shell(String command) throws Exception {
    Process process = new ProcessBuilder("sh", "-c", command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("failed: " + command);
    }
  }

  private static double postgresByHand(Path bin) throws Exception {
    Path dir = Files.createTempDirectory("bench-pg-hand");
    Files.setPosixFilePermissions(
        dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
    shell("cp -a '" + templateCluster + "' '" + dir.resolve("data") + "'");
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    long begin = System.nanoTime();
    Process process =
        new ProcessBuilder(
                "sh",
                "-c",
                "exec "
                    + root()
                    + "'"
                    + bin.resolve("postgres")
                    + "' -D '"
                    + dir.resolve("data")
                    + "' -p "
                    + port
                    + " -c listen_addresses=127.0.0.1 -c unix_socket_directories="
                    + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    double ready;
    while (true) {
      try (java.sql.Connection connection =
          java.sql.DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "")) {
        if (connection.isValid(1)) {
          ready = (System.nanoTime() - begin) / 1e6;
          break;
        }
      } catch (java.sql.SQLException notYet) {
        java.util.concurrent.locks.LockSupport.parkNanos(500_000);
      }
    }
    process.destroy();
    process.waitFor();
    shell("rm -rf '" + dir + "'");
    return ready;
  }

  private static double[] resets(
      io.charlatan.backing.PostgresOptions options, boolean template, int count) throws Exception {
    double[] samples = new double[count];
    try (io.charlatan.backing.PostgresServer server =
        io.charlatan.backing.PostgresServer.start(options)) {
      try (java.sql.Connection connection =
              java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
          java.sql.Statement statement = connection.createStatement()) {
        for (int table = 0; table < 10; table++) {
          statement.execute("CREATE TABLE t" + table + " (id serial PRIMARY KEY, v text)");
        }
      }
      if (template) {
        server.snapshot();
      }
      for (int i = 0; i < count; i++) {
        try (java.sql.Connection connection =
                java.sql.DriverManager.getConnection(server.jdbcUrl(), server.user(), "");
            java.sql.Statement statement = connection.createStatement()) {
          for (int table = 0; table < 10; table++) {
            statement.execute(
                "INSERT INTO t" + table + " (v) SELECT 'row ' || n FROM generate_series(1, 100) n");
          }
        }
        long begin = System.nanoTime();
        server.reset();
        samples[i] = (System.nanoTime() - begin) / 1e6;
      }
    }
    return samples;
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

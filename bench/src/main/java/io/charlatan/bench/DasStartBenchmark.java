package io.charlatan.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Start-to-ready of the packaged DAS jar: from exec to {@code GET /healthz} answering 200, with a
 * real Redis and a UAA imposter up; then SIGTERM-to-exit of the idle process. The variants run in
 * rounds (one start of each per round, in turn), so that they see about the same machine load; the
 * floor is a JDK {@code HttpServer} app ({@link MinimalService}) started the same way.
 *
 * <p>Arguments: {@code DAS_JAR [--warmup N] [--iterations N]}; {@code -Dbench.baseline=OTHER.jar}
 * adds another DAS jar (e.g. an earlier version), with and without its own archive.
 */
public final class DasStartBenchmark {
  private DasStartBenchmark() {}

  /** A way to start a service: its command for a port. */
  private interface Variant {
    List<String> command(int port);
  }

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args the DAS jar, then options
   * @throws Exception when a service does not start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: DasStartBenchmark DAS_JAR [--iterations N]");
    }
    Path jar = Path.of(args[0]).toAbsolutePath();
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    Options options =
        Options.parse(rest, Path.of("target", "das-start.csv"))
            .orElseThrow(() -> new IllegalArgumentException(Options.USAGE));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    Path work = Files.createTempDirectory("das-start");
    Path archive = work.resolve("das.jsa");

    try (DasPeers peers = DasPeers.start(List.of("bench-org"))) {
      // The training start that writes the AppCDS archive, as bin/das does on a first start.
      List<String> training = new ArrayList<>(List.of(java, "-XX:ArchiveClassesAtExit=" + archive));
      // E.g. -Dbench.trace=-Xlog:class+load:file=load.txt:uptime to see what a start loads.
      String trace = System.getProperty("bench.trace", "");
      if (!trace.isBlank()) {
        training.add(trace);
      }
      training.addAll(List.of("-jar", jar.toString()));
      run(training, peers);

      // -Dbench.baseline=OTHER.jar: another DAS jar (e.g. an earlier version) measured alongside.
      String baseline = System.getProperty("bench.baseline", "");
      Path baselineArchive = work.resolve("baseline.jsa");
      if (!baseline.isBlank()) {
        run(List.of(java, "-XX:ArchiveClassesAtExit=" + baselineArchive, "-jar", baseline), peers);
      }

      Map<String, Variant> variants = new LinkedHashMap<>();
      variants.put(
          "JDK HttpServer app (floor)",
          port -> List.of(java, "-cp", classpath, MinimalService.class.getName(), "" + port));
      variants.put("DAS, java -jar das.jar", port -> List.of(java, "-jar", jar.toString()));
      variants.put(
          "DAS with the AppCDS archive (bin/das)",
          port ->
              List.of(
                  java,
                  "-XX:SharedArchiveFile=" + archive,
                  "-Xlog:cds=off",
                  "-jar",
                  jar.toString()));
      variants.put(
          "DAS with the archive and -XX:TieredStopAtLevel=1 (tests only)",
          port ->
              List.of(
                  java,
                  "-XX:SharedArchiveFile=" + archive,
                  "-Xlog:cds=off",
                  "-XX:TieredStopAtLevel=1",
                  "-jar",
                  jar.toString()));

      if (!baseline.isBlank()) {
        variants.put("baseline " + baseline, port -> List.of(java, "-jar", baseline));
        variants.put(
            "baseline with its AppCDS archive",
            port ->
                List.of(
                    java,
                    "-XX:SharedArchiveFile=" + baselineArchive,
                    "-Xlog:cds=off",
                    "-jar",
                    baseline));
      }

      Map<String, List<Double>> ready = new LinkedHashMap<>();
      Map<String, List<Double>> stop = new LinkedHashMap<>();
      variants.keySet().forEach(name -> ready.put(name, new ArrayList<>()));
      variants.keySet().forEach(name -> stop.put(name, new ArrayList<>()));
      for (int round = 0; round < options.warmup() + options.iterations(); round++) {
        for (Map.Entry<String, Variant> variant : variants.entrySet()) {
          int port = DasPeers.freePort();
          double[] times = time(variant.getValue().command(port), peers.env(port), port);
          if (round >= options.warmup()) {
            ready.get(variant.getKey()).add(times[0]);
            stop.get(variant.getKey()).add(times[1]);
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "java %s, %d cores, %d runs per variant (after %d warm-up rounds)%n%n",
          System.getProperty("java.version"),
          Runtime.getRuntime().availableProcessors(),
          options.iterations(),
          options.warmup());
      System.out.println(
          "| variant | start-to-ready median | p10 | p90 | idle SIGTERM-to-exit median | p90 |");
      System.out.println("|---|---|---|---|---|---|");
      for (String name : variants.keySet()) {
        Stats up = Stats.of(ready.get(name).stream().mapToDouble(Double::doubleValue).toArray());
        Stats down = Stats.of(stop.get(name).stream().mapToDouble(Double::doubleValue).toArray());
        System.out.printf(
            Locale.ROOT,
            "| %s | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.0f ms |%n",
            name,
            up.median(),
            up.p10(),
            up.p90(),
            down.median(),
            down.p90());
      }
    }
  }

  /** One training start: ready, then SIGTERM and wait for the exit (the archive is written). */
  private static void run(List<String> command, DasPeers peers) throws Exception {
    int port = DasPeers.freePort();
    time(command, peers.env(port), port);
  }

  /** Milliseconds from exec to a 200 from /healthz, then from SIGTERM to the exit. */
  private static double[] time(List<String> command, Map<String, String> env, int port)
      throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Path log = Files.createTempFile("das-start", ".log");
    builder.redirectOutput(log.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    long started = System.nanoTime();
    Process process = builder.start();
    long deadline = started + TimeUnit.SECONDS.toNanos(30);
    while (!DasPeers.healthy(port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "not ready: "
                + command
                + " (exit "
                + process.waitFor()
                + "): "
                + Files.readString(log));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
    double ready = (System.nanoTime() - started) / 1e6;
    long stopping = System.nanoTime();
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("did not stop on SIGTERM: " + command);
    }
    double stopped = (System.nanoTime() - stopping) / 1e6;
    Files.delete(log);
    return new double[] {ready, stopped};
  }
}

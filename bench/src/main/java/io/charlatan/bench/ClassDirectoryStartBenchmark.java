package io.charlatan.bench;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-to-ready of DAS as a service test under Surefire runs it ({@code mvn test}): {@code java
 * -cp} with its own classes in a directory ({@code target/classes}) and its libraries in jars, with
 * and without {@link JavaCommand}'s class-data archive (which puts the jars first and archives
 * their classes and the JDK's), against {@code java -jar das.jar} with the archive. Between rounds
 * the classes directory is "rebuilt" (a file in it is rewritten), as in a TDD loop, to show that
 * the archive survives it. Java 17, no agent, rounds interleaved.
 *
 * <p>Arguments: {@code CLASSES_DIR DEPENDENCY_CLASS_PATH DAS_JAR [--warmup N] [--iterations N]
 * [--csv FILE]}.
 */
public final class ClassDirectoryStartBenchmark {
  private ClassDirectoryStartBenchmark() {}

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args the classes directory, the dependencies' class path, the DAS jar, then options
   * @throws Exception when DAS does not start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: ClassDirectoryStartBenchmark CLASSES_DIR DEPENDENCY_CLASS_PATH DAS_JAR"
              + " [--warmup N] [--iterations N] [--csv FILE]");
    }
    Path classes = Path.of(args[0]).toAbsolutePath();
    String classPath = classes + java.io.File.pathSeparator + args[1];
    Path jar = Path.of(args[2]).toAbsolutePath();
    Options options =
        Options.parse(
                java.util.Arrays.copyOfRange(args, 3, args.length),
                Path.of("bench", "target", "class-directory-start.csv"))
            .orElseThrow(() -> new IllegalArgumentException(Options.USAGE));
    Path work = Files.createTempDirectory("class-directory-start");
    Path rebuilt = classes.resolve("charlatan-bench-rebuild.txt");
    try (DasPeers peers = DasPeers.start(List.of("bench-org"))) {
      Map<String, ServiceDefinition> variants = new LinkedHashMap<>();
      JavaCommand fromClasses =
          JavaCommand.mainClass("io.charlatan.das.Main")
              .classpath(classPath)
              .coverage(false)
              .classDataDirectory(work);
      variants.put("classes directory, plain", das(fromClasses.classData(false), peers));
      variants.put("classes directory, archive", das(fromClasses, peers));
      variants.put(
          "das.jar, archive",
          das(JavaCommand.jar(jar).coverage(false).classDataDirectory(work), peers));
      // Training: the first start of each archived variant records, a separate JVM assembles.
      for (ServiceDefinition definition : variants.values()) {
        startToReady(definition);
      }
      awaitArchives(work, 2);
      Map<String, List<Double>> ready = new LinkedHashMap<>();
      variants.keySet().forEach(name -> ready.put(name, new ArrayList<>()));
      for (int round = 0; round < options.warmup() + options.iterations(); round++) {
        Files.writeString(rebuilt, "round " + round);
        for (Map.Entry<String, ServiceDefinition> variant : variants.entrySet()) {
          double millis = startToReady(variant.getValue());
          if (round >= options.warmup()) {
            ready.get(variant.getKey()).add(millis);
          }
        }
      }
      report(ready, options);
    } finally {
      Files.deleteIfExists(rebuilt);
    }
  }

  private static ServiceDefinition das(JavaCommand command, DasPeers peers) {
    return ServiceDefinition.command(command.jvmArgs("-XX:TieredStopAtLevel=1").toList())
        .env(peers.env(0))
        .env("PORT", "{port}")
        .name("das")
        .ready(Ready.whenHttp("/healthz").returns(200))
        .startTimeout(Duration.ofMinutes(2))
        .build();
  }

  private static void awaitArchives(Path work, int count) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (true) {
      try (var files = Files.list(work)) {
        if (files.filter(f -> f.toString().endsWith(".jsa")).count() >= count) {
          return;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the archives were not made in " + work);
      }
      // Polling: the archive appears as a file written by another JVM, with no event to wait on.
      Thread.sleep(50);
    }
  }

  private static double startToReady(ServiceDefinition definition) {
    ServiceProcess service = new ServiceProcess(definition);
    long started = System.nanoTime();
    service.start();
    double millis = (System.nanoTime() - started) / 1e6;
    service.stop();
    return millis;
  }

  private static void report(Map<String, List<Double>> ready, Options options) throws Exception {
    Files.createDirectories(options.csv().toAbsolutePath().getParent());
    List<String> lines = new ArrayList<>(List.of("variant,run,start_to_ready_ms"));
    System.out.printf(
        Locale.ROOT,
        "%d runs per variant, load average at the end: %s%n%n| DAS, Java 17 | median | p10 | p90 |%n"
            + "|---|---:|---:|---:|%n",
        options.iterations(),
        Files.readString(Path.of("/proc/loadavg")).trim());
    for (Map.Entry<String, List<Double>> variant : ready.entrySet()) {
      List<Double> samples = variant.getValue();
      for (int i = 0; i < samples.size(); i++) {
        lines.add(String.format(Locale.ROOT, "%s,%d,%.1f", variant.getKey(), i, samples.get(i)));
      }
      Stats stats = Stats.of(samples.stream().mapToDouble(Double::doubleValue).toArray());
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f ms | %.0f | %.0f |%n",
          variant.getKey(),
          stats.median(),
          stats.p10(),
          stats.p90());
    }
    Files.write(options.csv(), lines);
  }
}

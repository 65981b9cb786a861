package io.charlatan.bench;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jacoco.agent.AgentJar;

/**
 * Start-to-ready of Java services under the toolkit ({@link ServiceProcess} with HTTP readiness):
 * DAS and the Spring Boot example, each on Java 17 and on Java 25: plain ({@code java -jar}), with
 * the JaCoCo agent, with {@link JavaCommand}'s class-data archive alone, with the archive and its
 * quick JIT (C1 only: the toolkit's default), and the default with the agent (what a service test
 * under {@code mvn verify} gets). All variants run in rounds, one start of each per round, so that
 * they share the machine's load.
 *
 * <p>Arguments: {@code DAS_JAR BOOT_JAR [--warmup N] [--iterations N] [--csv FILE]}; {@code
 * -Dbench.jdk25=PATH} names the second JDK (default {@code /usr/lib/jvm/temurin-25-jdk-amd64});
 * {@code -Dbench.png=FILE} where to draw the chart (default {@code bench/jvm-start.png}); {@code
 * -Dbench.services=DAS} (or {@code SpringBoot}) measures one service only.
 */
public final class JvmStartBenchmark {
  private static final Duration TRAINING = Duration.ofMinutes(5);
  private static final List<String> SERVICES =
      java.util.stream.Stream.of("DAS", "Spring Boot")
          .filter(
              service ->
                  List.of(System.getProperty("bench.services", "DAS,SpringBoot").split(","))
                      .stream()
                      .anyMatch(
                          name ->
                              name.replaceAll("[ -]", "")
                                  .equalsIgnoreCase(service.replace(" ", ""))))
          .toList();
  private static final List<String> KINDS =
      List.of("plain", "agent", "archive", "default", "default + agent");

  private JvmStartBenchmark() {}

  private record Variant(String service, String jdk, String kind, ServiceDefinition definition) {
    String name() {
      return service + ", Java " + jdk + ", " + kind;
    }
  }

  /**
   * Runs the benchmark and prints a Markdown table.
   *
   * @param args the DAS jar, the Spring Boot jar, then options
   * @throws Exception when a service does not start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: JvmStartBenchmark DAS_JAR BOOT_JAR [--warmup N] [--iterations N]");
    }
    Path das = Path.of(args[0]).toAbsolutePath();
    Path boot = Path.of(args[1]).toAbsolutePath();
    Options options =
        Options.parse(
                java.util.Arrays.copyOfRange(args, 2, args.length),
                Path.of("bench", "target", "jvm-start.csv"))
            .orElseThrow(() -> new IllegalArgumentException(Options.USAGE));
    Path png = Path.of(System.getProperty("bench.png", "bench/jvm-start.png"));
    Map<String, Path> jdks = new LinkedHashMap<>();
    jdks.put("17", Path.of(System.getProperty("java.home")));
    jdks.put("25", Path.of(System.getProperty("bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64")));
    Path work = Files.createTempDirectory("jvm-start");
    Path agent = AgentJar.extractToTempLocation().toPath();

    try (DasPeers peers = DasPeers.start(List.of("bench-org"))) {
      List<Variant> variants = new ArrayList<>();
      for (Map.Entry<String, Path> jdk : jdks.entrySet()) {
        for (String kind : KINDS) {
          if (SERVICES.contains("DAS")) {
            variants.add(
                variant(
                    "DAS", jdk, kind, das, "io.charlatan.das.*", "/healthz", peers, work, agent));
          }
          if (SERVICES.contains("Spring Boot")) {
            variants.add(
                variant(
                    "Spring Boot",
                    jdk,
                    kind,
                    boot,
                    "com.example.orders.*",
                    "/actuator/health",
                    peers,
                    work,
                    agent));
          }
        }
      }
      for (Variant variant : variants) {
        train(variant);
      }
      Map<String, List<Double>> ready = new LinkedHashMap<>();
      variants.forEach(v -> ready.put(v.name(), new ArrayList<>()));
      for (int round = 0; round < options.warmup() + options.iterations(); round++) {
        for (Variant variant : variants) {
          double millis = startToReady(variant.definition());
          if (round >= options.warmup()) {
            ready.get(variant.name()).add(millis);
          }
        }
        System.err.printf(Locale.ROOT, "round %d done%n", round + 1);
        // After each measured round, so that a run cut short still leaves its figures.
        if (round >= options.warmup()) {
          report(variants, ready, round + 1 - options.warmup(), options, png);
        }
      }
    } finally {
      Files.deleteIfExists(agent);
    }
  }

  private static Variant variant(
      String service,
      Map.Entry<String, Path> jdk,
      String kind,
      Path jar,
      String includes,
      String health,
      DasPeers peers,
      Path work,
      Path agent) {
    JavaCommand command =
        JavaCommand.jar(jar)
            .jdk(jdk.getValue())
            .coverage(false)
            .classData(!kind.equals("plain") && !kind.equals("agent"))
            .quickJit(kind.startsWith("default"))
            .classDataDirectory(work.resolve("class-data"));
    if (kind.contains("agent")) {
      Path exec = work.resolve(service.replace(' ', '-') + "-" + jdk.getKey() + ".exec");
      command =
          command.jvmArgs("-javaagent:" + agent + "=destfile=" + exec + ",includes=" + includes);
    }
    ServiceDefinition.Builder definition;
    if (service.equals("DAS")) {
      definition =
          ServiceDefinition.command(command.toList()).env(peers.env(0)).env("PORT", "{port}");
    } else {
      definition =
          ServiceDefinition.command(command.args("--server.port={port}").toList())
              .env("REDIS_URL", peers.env(0).get("REDIS_URL"))
              .env("PAYMENTS_URL", "http://127.0.0.1:9");
    }
    return new Variant(
        service,
        jdk.getKey(),
        kind,
        definition
            .name(service.replace(' ', '-') + "-" + jdk.getKey())
            .ready(Ready.whenHttp(health).returns(200))
            .startTimeout(Duration.ofMinutes(3))
            .outputLevel(org.slf4j.event.Level.DEBUG)
            .build());
  }

  /** A start that makes the variant's archive, then the wait until it is there. */
  private static void train(Variant variant) throws IOException {
    String marker = "-Dcharlatan.classData.archive=";
    Path archive =
        variant.definition().command().stream()
            .filter(a -> a.startsWith(marker))
            .map(a -> Path.of(a.substring(marker.length())))
            .findFirst()
            .orElse(null);
    if (archive == null) {
      if (!variant.kind().equals("plain") && !variant.kind().equals("agent")) {
        throw new IllegalStateException("no archive for " + variant.name());
      }
      return;
    }
    startToReady(variant.definition());
    long deadline = System.nanoTime() + TRAINING.toNanos();
    while (!Files.isRegularFile(archive)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no archive made for " + variant.name() + ": " + archive);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    System.err.printf(
        Locale.ROOT,
        "%s: archive %s (%d MB)%n",
        variant.name(),
        archive,
        Files.size(archive) >> 20);
  }

  /** Milliseconds from {@link ServiceProcess#start()} to its return (ready); then a stop. */
  private static double startToReady(ServiceDefinition definition) {
    ServiceProcess service = new ServiceProcess(definition);
    long started = System.nanoTime();
    service.start();
    double millis = (System.nanoTime() - started) / 1e6;
    service.stop();
    return millis;
  }

  private static void report(
      List<Variant> variants, Map<String, List<Double>> ready, int runs, Options options, Path png)
      throws IOException {
    Files.createDirectories(options.csv().toAbsolutePath().getParent());
    try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(options.csv()))) {
      csv.println("service,jdk,variant,run,start_to_ready_ms");
      for (Variant v : variants) {
        List<Double> samples = ready.get(v.name());
        for (int i = 0; i < samples.size(); i++) {
          csv.printf(
              Locale.ROOT, "%s,%s,%s,%d,%.1f%n", v.service(), v.jdk(), v.kind(), i, samples.get(i));
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d cores, %d runs per variant (after %d warm-up rounds), load average at the end: %s%n%n",
        Runtime.getRuntime().availableProcessors(),
        runs,
        options.warmup(),
        loadAverage());
    System.out.println(
        "| service | JDK | plain median (p90) | agent | archive | default: archive + C1 |"
            + " default + agent | archive / plain | default / plain |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    List<String> groups = new ArrayList<>();
    List<String> kinds = KINDS;
    List<double[]> medians = new ArrayList<>();
    List<double[]> p90s = new ArrayList<>();
    for (String service : SERVICES) {
      for (String jdk : List.of("17", "25")) {
        double[] median = new double[kinds.size()];
        double[] p90 = new double[kinds.size()];
        StringBuilder row = new StringBuilder("| " + service + " | " + jdk + " |");
        for (int k = 0; k < kinds.size(); k++) {
          Stats stats =
              Stats.of(
                  ready.get(service + ", Java " + jdk + ", " + kinds.get(k)).stream()
                      .mapToDouble(Double::doubleValue)
                      .toArray());
          median[k] = stats.median();
          p90[k] = stats.p90();
          row.append(String.format(Locale.ROOT, " %.0f ms (%.0f) |", stats.median(), stats.p90()));
        }
        row.append(
            String.format(
                Locale.ROOT, " %.2f | %.2f |", median[2] / median[0], median[3] / median[0]));
        System.out.println(row);
        groups.add(service + ", Java " + jdk);
        medians.add(median);
        p90s.add(p90);
      }
    }
    StartChart.write(
        png,
        "Start-to-ready under the toolkit (median, whisker: p90), " + runs + " runs each",
        groups,
        kinds,
        medians,
        p90s);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}

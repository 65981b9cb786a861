package io.charlatan.bench;

import io.charlatan.backing.RedisServer;
import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jacoco.agent.AgentJar;

/**
 * What the JaCoCo agent handed to a service process costs at start-up: each service is started with
 * no agent, with an agent measuring every class (JaCoCo's default), and with the agent narrowed to
 * the service's own packages (what {@link JavaCommand} now hands on by default), from spawn to its
 * first HTTP 200. The variants take turns, one start of each per round, so that load drifts hit all
 * three alike.
 *
 * <p>Usage: {@code CoverageAgentBenchmark [--boot-jar PATH] [--iterations N] [--warmup N]}; with
 * {@code --boot-jar} (a Spring Boot jar needing only a Redis, e.g. {@code
 * examples/spring-boot-orders/target/spring-boot-orders.jar}) it measures that service too.
 */
public final class CoverageAgentBenchmark {
  private CoverageAgentBenchmark() {}

  private record Service(String name, JavaCommand command, String includes, String readyPath) {}

  public static void main(String[] args) throws Exception {
    Path bootJar = null;
    int iterations = 10;
    int warmup = 1;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--boot-jar" -> bootJar = Path.of(args[i + 1]);
        case "--iterations" -> iterations = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path agent = AgentJar.extractToTempLocation().toPath();
    Path execDirectory = Files.createTempDirectory("agent-bench");
    try (RedisServer redis = RedisServer.start()) {
      List<Service> services = new ArrayList<>();
      services.add(
          new Service(
              "JDK HttpServer (MinimalService)",
              JavaCommand.mainClass(MinimalService.class)
                  .coverage(false)
                  .jvmArgs("-XX:TieredStopAtLevel=1")
                  .args("{port}"),
              "io.charlatan.bench.*",
              "/"));
      if (bootJar != null) {
        services.add(
            new Service(
                "Spring Boot 4 (spring-boot-orders.jar)",
                JavaCommand.jar(bootJar)
                    .coverage(false)
                    .args(
                        "--server.port={port}",
                        "--spring.data.redis.url=" + redis.url(),
                        "--payments.url=http://127.0.0.1:9"),
                "com.example.orders.*",
                "/actuator/health"));
      }
      StringBuilder report = new StringBuilder();
      report
          .append(
              "| Service | Agent | n | median (ms) | p10 (ms) | p90 (ms)"
                  + " | vs none: median of the ratios within a round |\n")
          .append("|---|---|---:|---:|---:|---:|---:|\n");
      for (Service service : services) {
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("none", List.of());
        variants.put(
            "every class",
            List.of("-javaagent:" + agent + "=destfile=" + execDirectory.resolve("all.exec")));
        variants.put(
            "includes=" + service.includes(),
            List.of(
                "-javaagent:"
                    + agent
                    + "=destfile="
                    + execDirectory.resolve("narrow.exec")
                    + ",includes="
                    + service.includes()));
        List<Map<String, Double>> rounds = new ArrayList<>();
        for (int round = 0; round < warmup + iterations; round++) {
          Map<String, Double> times = new LinkedHashMap<>();
          // Each round starts with another variant, so none of them always follows a pause.
          List<Map.Entry<String, List<String>>> order = new ArrayList<>(variants.entrySet());
          Collections.rotate(order, -round);
          for (Map.Entry<String, List<String>> variant : order) {
            double millis = startOnce(service, variant.getValue());
            times.put(variant.getKey(), millis);
            System.err.printf(
                Locale.ROOT,
                "%s, %s, round %d: %.0f ms%n",
                service.name(),
                variant.getKey(),
                round,
                millis);
          }
          if (round >= warmup) {
            rounds.add(times);
          }
        }
        for (String variant : variants.keySet()) {
          double[] values = rounds.stream().mapToDouble(times -> times.get(variant)).toArray();
          double[] ratios =
              rounds.stream()
                  .mapToDouble(times -> times.get(variant) / times.get("none"))
                  .toArray();
          Stats stats = Stats.of(values);
          report.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %d | %.0f | %.0f | %.0f | %.2f |%n",
                  service.name(),
                  variant,
                  values.length,
                  stats.median(),
                  stats.p10(),
                  stats.p90(),
                  Stats.of(ratios).median()));
        }
      }
      System.out.println("## Start-up cost of the coverage agent (spawn to HTTP 200)\n");
      System.out.println("Machine: " + Report.machine() + "\n");
      System.out.print(report);
    } finally {
      Files.deleteIfExists(agent);
      deleteTree(execDirectory);
    }
  }

  private static double startOnce(Service service, List<String> agent) {
    ServiceDefinition definition =
        ServiceDefinition.command(service.command().jvmArgs(agent.toArray(String[]::new)).toList())
            .name("bench")
            .ready(Ready.whenHttp(service.readyPath()).returns(200))
            .pollInterval(Duration.ofMillis(5))
            .startTimeout(Duration.ofMinutes(2))
            .build();
    ServiceProcess process = new ServiceProcess(definition);
    long start = System.nanoTime();
    try {
      process.start();
      return (System.nanoTime() - start) / 1e6;
    } finally {
      process.stop();
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    try (var files = Files.walk(directory)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }
}

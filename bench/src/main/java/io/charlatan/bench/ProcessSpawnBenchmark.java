package io.charlatan.bench;

import io.charlatan.process.JavaCommand;
import io.charlatan.process.Ready;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Measures what Charlatan adds to starting a service process, against doing the same by hand with
 * {@link ProcessBuilder}. Two comparisons, each run as pairs (bare, then Charlatan, then bare
 * again...) so that both ways see the same machine noise:
 *
 * <ol>
 *   <li><b>JVM service, spawn to port open.</b> {@link MinimalService} in a child JVM. Bare: a port
 *       from the kernel, {@link ProcessBuilder#start()}, then connect attempts 1 ms apart until one
 *       succeeds. Charlatan: {@link ServiceProcess#start()} with {@link Ready#whenPortOpen()} and
 *       the default poll interval. Both use the same command, JDK and class path.
 *   <li><b>{@code sh -c 'exec sleep 600'}, spawn to start() return.</b> Nothing to wait for, so
 *       this isolates Charlatan's own fixed cost. Bare: {@link ProcessBuilder#start()}. Charlatan:
 *       {@link ServiceProcess#start()} with {@link Ready#immediately()}.
 * </ol>
 *
 * <p>Prints a Markdown summary to stdout, progress to stderr, and writes every sample to a CSV
 * file. Stopping is not timed. Charlatan's INFO logging is turned off (level {@code warn}) unless
 * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} is given, so that the terminal is not part of
 * the measurement.
 */
public final class ProcessSpawnBenchmark {
  /** JVM options of the child JVM, the same both ways. */
  static final List<String> CHILD_JVM_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto");

  /** A process that runs until killed and starts about as fast as a process can. */
  static final List<String> SLEEPER = List.of("sh", "-c", "exec sleep 600");

  private static final long CONNECT_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final int CONNECT_TIMEOUT_MILLIS = 500;
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long EXIT_TIMEOUT_SECONDS = 10;
  private static final String LOG_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  private ProcessSpawnBenchmark() {}

  /** One timed action; returns the nanoseconds measured. */
  @FunctionalInterface
  interface Trial {
    long nanos() throws Exception;
  }

  /**
   * Runs both comparisons and reports.
   *
   * @param args {@code --warmup N}, {@code --iterations N}, {@code --csv FILE}; {@code --help}
   * @throws Exception if a process cannot be started or does not get ready
   */
  public static void main(String[] args) throws Exception {
    // A command-line program: its report is the point, so it writes to stdout.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream progress = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    Optional<Options> parsed;
    try {
      parsed = Options.parse(args, defaultCsv());
    } catch (IllegalArgumentException e) {
      progress.println(e.getMessage());
      progress.println(Options.USAGE);
      System.exit(2);
      return;
    }
    if (parsed.isEmpty()) {
      out.println(Options.USAGE);
      return;
    }
    Options options = parsed.get();
    if (System.getProperty(LOG_LEVEL) == null) {
      System.setProperty(LOG_LEVEL, "warn");
    }

    String classpath = System.getProperty("java.class.path");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> serviceCommand =
        JavaCommand.mainClass(MinimalService.class)
            .classpath(classpath)
            .jvmArgs(CHILD_JVM_FLAGS.toArray(String[]::new))
            .args("{port}")
            .coverage(false)
            .toList();
    if (!serviceCommand.get(0).equals(java.toString())) {
      throw new IllegalStateException(
          "expected the child JVM to be " + java + ", but the command is " + serviceCommand);
    }
    ServiceDefinition service =
        ServiceDefinition.command(serviceCommand)
            .name("minimal-service")
            .ready(Ready.whenPortOpen())
            .build();
    ServiceDefinition sleeper =
        ServiceDefinition.command(SLEEPER).name("sleeper").ready(Ready.immediately()).build();

    List<Comparison> comparisons = new ArrayList<>();
    comparisons.add(
        compare(
            "jvm-port-open",
            "JVM service, spawn to port open",
            "A bare: ProcessBuilder + connect loop",
            () -> bareUntilPortOpen(serviceCommand),
            "B Charlatan: start(), Ready.whenPortOpen()",
            () -> charlatanStart(service),
            options,
            progress));
    comparisons.add(
        compare(
            "sh-start",
            "sh -c 'exec sleep 600', spawn to start() return",
            "C bare: ProcessBuilder.start()",
            () -> bareStart(SLEEPER),
            "C Charlatan: start(), Ready.immediately()",
            () -> charlatanStart(sleeper),
            options,
            progress));

    Report.writeCsv(options.csv(), comparisons);
    List<String> setup =
        List.of(
            "JDK: "
                + System.getProperty("java.vm.name")
                + " "
                + System.getProperty("java.runtime.version"),
            "OS: "
                + System.getProperty("os.name")
                + " "
                + System.getProperty("os.version")
                + " ("
                + System.getProperty("os.arch")
                + "), "
                + Runtime.getRuntime().availableProcessors()
                + " CPUs",
            "Pairs per comparison: "
                + options.warmup()
                + " warm-up (discarded), "
                + options.iterations()
                + " measured; each pair runs bare first, then Charlatan",
            "Child JVM: java "
                + String.join(" ", CHILD_JVM_FLAGS)
                + " -cp <bench class path> "
                + MinimalService.class.getName()
                + " <port> (no JaCoCo agent)",
            "Readiness polling: bare connects every "
                + TimeUnit.NANOSECONDS.toMillis(CONNECT_RETRY_NANOS)
                + " ms; Charlatan every "
                + service.pollInterval().toMillis()
                + " ms (its default)",
            "Raw samples: " + options.csv().toAbsolutePath().normalize());
    out.println(Report.markdown(setup, comparisons));
  }

  /** Runs warm-up pairs, then measured pairs, each pair bare first. */
  static Comparison compare(
      String id,
      String title,
      String bareLabel,
      Trial bare,
      String charlatanLabel,
      Trial charlatan,
      Options options,
      PrintStream progress)
      throws Exception {
    progress.printf(
        "%s: %d warm-up pairs, %d measured pairs%n", title, options.warmup(), options.iterations());
    long[] bareNanos = new long[options.iterations()];
    long[] charlatanNanos = new long[options.iterations()];
    for (int i = -options.warmup(); i < options.iterations(); i++) {
      long bareSample = bare.nanos();
      long charlatanSample = charlatan.nanos();
      if (i >= 0) {
        bareNanos[i] = bareSample;
        charlatanNanos[i] = charlatanSample;
      }
    }
    return new Comparison(id, title, bareLabel, charlatanLabel, bareNanos, charlatanNanos);
  }

  /**
   * Bare (A): a port from the kernel, {@link ProcessBuilder#start()}, then connect attempts 1 ms
   * apart; timed from just before the start to the first successful connect.
   */
  static long bareUntilPortOpen(List<String> commandTemplate)
      throws IOException, InterruptedException {
    InetAddress loopback = MinimalService.loopback();
    int port;
    try (ServerSocket probe = new ServerSocket(0, 0, loopback)) {
      port = probe.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    for (String argument : commandTemplate) {
      command.add(argument.replace("{port}", Integer.toString(port)));
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    InetSocketAddress address = new InetSocketAddress(loopback, port);
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      while (!connects(address)) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "bare child exited with code " + process.exitValue() + " before its port opened");
        }
        if (System.nanoTime() - start > START_TIMEOUT_NANOS) {
          throw new IllegalStateException("bare child's port " + port + " did not open in 30 s");
        }
        LockSupport.parkNanos(CONNECT_RETRY_NANOS);
      }
      return System.nanoTime() - start;
    } finally {
      end(process);
    }
  }

  /** Bare (C): the time {@link ProcessBuilder#start()} takes to return. */
  static long bareStart(List<String> command) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command);
    long start = System.nanoTime();
    Process process = builder.start();
    long elapsed = System.nanoTime() - start;
    end(process);
    return elapsed;
  }

  /** Charlatan (B, C): the time {@link ServiceProcess#start()} takes to return. */
  static long charlatanStart(ServiceDefinition definition) {
    ServiceProcess service = new ServiceProcess(definition);
    try {
      long start = System.nanoTime();
      service.start();
      return System.nanoTime() - start;
    } finally {
      service.stop();
    }
  }

  private static boolean connects(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, CONNECT_TIMEOUT_MILLIS);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** SIGTERM, as Charlatan sends, then wait for the exit; SIGKILL if it takes too long. */
  private static void end(Process process) throws IOException, InterruptedException {
    process.destroy();
    if (!process.waitFor(EXIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    process.getOutputStream().close();
    process.getInputStream().close();
    process.getErrorStream().close();
  }

  /** {@code bench/target/process-spawn.csv} when run from the module's classes directory. */
  private static Path defaultCsv() {
    Path fallback = Path.of("process-spawn.csv");
    CodeSource source = ProcessSpawnBenchmark.class.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      return fallback;
    }
    try {
      Path classes = Path.of(location.toURI());
      Path target = classes.getParent();
      if (Files.isDirectory(classes)
          && target != null
          && classes.getFileName().toString().equals("classes")) {
        return target.resolve("process-spawn.csv");
      }
    } catch (URISyntaxException | IllegalArgumentException notAFile) {
      // Not loaded from a directory on disk; use the working directory.
    }
    return fallback;
  }
}

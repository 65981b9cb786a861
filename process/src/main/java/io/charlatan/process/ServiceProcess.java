package io.charlatan.process;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service under test running as a real operating-system process: started on a free port, waited
 * for until ready, its output logged and kept, and stopped for sure, children included.
 *
 * <p>Services are stopped when the JVM exits normally (a shutdown hook) and killed within about a
 * second if it dies abruptly, even by {@code kill -9} (a watchdog process, on systems with {@code
 * setsid} such as Linux).
 *
 * <pre>{@code
 * ServiceDefinition definition =
 *     ServiceDefinition.command("java", "-jar", "app.jar", "--port={port}")
 *         .ready(Ready.whenHttp("/health").returns(200))
 *         .build();
 * try (ServiceProcess app = ServiceProcess.start(definition)) {
 *   HttpResponse<String> answer =
 *       HttpClient.newHttpClient()
 *           .send(HttpRequest.newBuilder(app.url("/hello")).build(), HttpResponse.BodyHandlers.ofString());
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #start()} and {@link #stop()} are idempotent; a stopped service can be
 * started again.
 */
public final class ServiceProcess implements Running {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{port(?::([^}]*))?}");
  private static final Set<ServiceProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ServiceProcess::stopAllLive, "charlatan-stop-services"));
  }

  private final ServiceDefinition definition;
  private final Ports ports;
  private final Map<String, Integer> otherPorts;
  private volatile ServiceRun current;
  private volatile ClassData.Launch launch;
  private volatile boolean stopRequested;

  /**
   * A handle for the defined service; nothing runs until {@link #start()}.
   *
   * @throws IllegalArgumentException if the definition is null
   */
  public ServiceProcess(ServiceDefinition definition) {
    this(definition, Ports.SHARED, Map.of());
  }

  ServiceProcess(ServiceDefinition definition, Ports ports, Map<String, Integer> otherPorts) {
    if (definition == null) {
      throw new IllegalArgumentException(
          "definition is null: build one with ServiceDefinition.command(...).build()");
    }
    this.definition = definition;
    this.ports = ports;
    this.otherPorts = Map.copyOf(otherPorts);
  }

  /**
   * Starts a service from its definition and waits until it is ready: the same as {@code new
   * ServiceProcess(definition).start()}.
   *
   * @return the started service; close it to stop it
   * @throws ServiceStartException as {@link #start()}
   * @throws IllegalArgumentException if the definition is null
   */
  public static ServiceProcess start(ServiceDefinition definition) {
    return new ServiceProcess(definition).start();
  }

  /**
   * Starts the process and waits until it is ready. Returns at once if it is already running.
   *
   * @return this handle, started
   * @throws ServiceStartException if the command cannot be run, the process exits before it is
   *     ready (at once, with its exit code and output), or it is not ready within the start timeout
   *     (after stopping it)
   * @throws IllegalArgumentException if the command uses a {@code {port:NAME}} placeholder that no
   *     group service resolves
   */
  public synchronized ServiceProcess start() {
    ServiceRun run = current;
    if (run != null && run.isAlive() && !stopRequested) {
      return this;
    }
    stopRequested = false;
    Path workingDirectory =
        definition.workingDirectory().orElse(Path.of("").toAbsolutePath()).toAbsolutePath();
    String executable = definition.command().get(0);
    String pathVariable = System.getenv("PATH");
    Path resolved =
        Executables.resolve(executable, workingDirectory, pathVariable)
            .orElseThrow(
                () ->
                    new ServiceStartException(
                        name(),
                        Executables.notFoundProblem(executable, workingDirectory, pathVariable),
                        List.of(),
                        null,
                        List.of(),
                        null));
    boolean choosePort = definition.port().isEmpty();
    int attempts = choosePort ? definition.portAttempts() : 1;
    boolean archiveRetried = false;
    for (int attempt = 1; ; attempt++) {
      Ports.Reservation reservation = reserve(choosePort);
      int port = reservation.port();
      List<String> command = new ArrayList<>();
      command.add(resolved.toString());
      for (String argument : definition.command().subList(1, definition.command().size())) {
        command.add(substitute(argument, port));
      }
      Map<String, String> environment = new LinkedHashMap<>();
      definition
          .environment()
          .forEach((key, value) -> environment.put(key, substitute(value, port)));
      long deadline = System.nanoTime() + definition.startTimeout().toNanos();
      ClassData.Launch launch = ClassData.prepare(command);
      this.launch = launch;
      run =
          ServiceRun.launch(
              definition, launch.command(), environment, port, reservation, launch::exited);
      current = run;
      LIVE.add(this);
      ServiceRun.Outcome outcome = run.awaitReady(definition.ready(), deadline);
      if (outcome == ServiceRun.Outcome.READY && !stopRequested) {
        launch.ready(run.pid());
        LOG.info("Service '{}' is ready at {} (pid {})", name(), url(), run.pid());
        return this;
      }
      if (outcome == ServiceRun.Outcome.EXITED
          && !stopRequested
          && !archiveRetried
          && launch.crashedOnArchive(run.exitValue(), run.recentOutput())) {
        archiveRetried = true;
        attempt--;
        run.terminate(Duration.ZERO);
        continue;
      }
      if (outcome == ServiceRun.Outcome.EXITED
          && !stopRequested
          && choosePort
          && attempt < attempts
          && run.diedOfTakenPort()) {
        LOG.warn(
            "Service '{}' exited because port {} was taken; retrying on another port ({}/{})",
            name(),
            port,
            attempt + 1,
            attempts);
        run.terminate(Duration.ZERO);
        continue;
      }
      throw fail(run, outcome);
    }
  }

  private ServiceStartException fail(ServiceRun run, ServiceRun.Outcome outcome) {
    String waitingFor = "waiting for " + definition.ready().describe();
    String problem;
    if (stopRequested) {
      problem = "was stopped while starting (" + waitingFor + ")";
    } else if (outcome == ServiceRun.Outcome.EXITED) {
      problem = "exited with code " + run.exitValue() + " before it was ready (" + waitingFor + ")";
    } else if (outcome == ServiceRun.Outcome.INTERRUPTED) {
      problem = "start was interrupted (" + waitingFor + "); the process was stopped";
    } else {
      problem =
          "did not become ready within "
              + definition.startTimeout().toMillis()
              + " ms ("
              + waitingFor
              + " on port "
              + run.port()
              + "); the process was stopped";
    }
    // Clean up even if interrupted (the waits inside would end at once), then keep the flag.
    boolean interrupted = Thread.interrupted();
    run.terminate(definition.stopGrace());
    LIVE.remove(this);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return run.failure(problem);
  }

  private Ports.Reservation reserve(boolean choosePort) {
    if (choosePort) {
      return ports.reserveFree(definition.host());
    }
    int port = definition.port().getAsInt();
    Optional<Ports.Reservation> reservation;
    try {
      reservation = ports.tryReserve(port);
    } catch (IOException e) {
      throw new ServiceStartException(
          name(), "could not reserve port " + port + ": " + e, List.of(), null, List.of(), e);
    }
    if (reservation.isEmpty()) {
      throw new ServiceStartException(
          name(),
          "could not be started: port "
              + port
              + " is already held by another service started by Charlatan; give each service its"
              + " own port, or leave the port unset to get a free one",
          List.of(),
          null,
          List.of(),
          null);
    }
    if (!Ports.isBindable(definition.host(), port)) {
      reservation.get().close();
      throw new ServiceStartException(
          name(),
          "could not be started: port "
              + port
              + " on "
              + definition.host()
              + " is already in use by another program (a leftover server?); stop it, or leave"
              + " the port unset to get a free one",
          List.of(),
          null,
          List.of(),
          null);
    }
    return reservation.get();
  }

  private String substitute(String text, int port) {
    Matcher matcher = PLACEHOLDER.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String other = matcher.group(1);
      Integer value = other == null ? Integer.valueOf(port) : otherPorts.get(other);
      if (value == null) {
        throw new IllegalArgumentException(
            "placeholder {port:"
                + other
                + "} in '"
                + text
                + "' of service '"
                + name()
                + "' names no service it depends on; "
                + (otherPorts.isEmpty()
                    ? "such placeholders work only in a ServiceGroup"
                    : "known: " + otherPorts.keySet()));
      }
      matcher.appendReplacement(result, String.valueOf(value));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  /**
   * Stops the service: SIGTERM to it and all its descendants, up to the definition's stop grace for
   * them to exit, then SIGKILL. Idempotent; safe to call from any thread, also while {@link
   * #start()} is waiting (which then fails).
   *
   * @return the exit code of the main process (e.g. 143 after SIGTERM, 137 after SIGKILL), or -1 if
   *     it was never started
   */
  public int stop() {
    ServiceRun run = current;
    if (run == null) {
      return -1;
    }
    stopRequested = true;
    int code = run.terminate(launch.stopGrace(definition.stopGrace()));
    LIVE.remove(this);
    return code;
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** The service's name, as in logs and errors. */
  @Override
  public String name() {
    return definition.name();
  }

  /** The definition this service was started from. */
  public ServiceDefinition definition() {
    return definition;
  }

  /** The host the service is reached on. */
  public String host() {
    return definition.host();
  }

  /**
   * The port of the current (or last) run.
   *
   * @throws IllegalStateException if the service was never started
   */
  public int port() {
    return started().port();
  }

  /**
   * The base URL, {@code http://host:port}.
   *
   * @throws IllegalStateException if the service was never started
   */
  @Override
  public URI url() {
    return URI.create(base());
  }

  /**
   * The URL of a path (with an optional query) on this service, e.g. {@code url("/health")}.
   *
   * @throws IllegalArgumentException if the path does not start with {@code /}
   * @throws IllegalStateException if the service was never started
   */
  public URI url(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("path (" + path + ") must start with '/'");
    }
    return URI.create(base() + path);
  }

  private String base() {
    return definition.scheme() + "://" + authority(host(), port());
  }

  /** The operating-system id of the main process. */
  public long pid() {
    return started().pid();
  }

  /** The command as run, after substitution, with the executable resolved to a path. */
  public List<String> command() {
    return started().command();
  }

  /** Whether the main process is alive (it may have exited by itself). */
  public boolean isRunning() {
    ServiceRun run = current;
    return run != null && run.isAlive();
  }

  /**
   * Waits for the process to exit by itself, as a one-shot command does (e.g. a database's {@code
   * initdb}), and returns its exit code; empty if it still runs when the time is up (it is not
   * stopped). Its last lines of output are then read.
   *
   * @throws IllegalStateException if the service was never started
   * @throws InterruptedException if interrupted while waiting
   */
  public OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    ServiceRun run = started();
    if (!run.awaitExit(timeout.toNanos())) {
      return OptionalInt.empty();
    }
    int code = stop();
    return OptionalInt.of(code);
  }

  /** The exit code, once the main process has exited; empty while it runs or before start. */
  public OptionalInt exitCode() {
    ServiceRun run = current;
    return run == null || run.isAlive() ? OptionalInt.empty() : OptionalInt.of(run.exitValue());
  }

  /** The last lines of output (stdout and stderr as they arrived), oldest first. */
  @Override
  public List<String> recentOutput() {
    ServiceRun run = current;
    return run == null ? List.of() : run.recentOutput();
  }

  @Override
  public String toString() {
    ServiceRun run = current;
    return "ServiceProcess["
        + name()
        + (run == null ? "" : " pid " + run.pid() + " " + base())
        + "]";
  }

  private ServiceRun started() {
    ServiceRun run = current;
    if (run == null) {
      throw new IllegalStateException(
          "service '" + name() + "' was never started: call start() first");
    }
    return run;
  }

  static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  private static void stopAllLive() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (ServiceProcess service : LIVE) {
      stops.add(CompletableFuture.runAsync(service::stop));
    }
    CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
  }
}

package io.charlatan.process;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One spawned process of a service: its output, its port reservation, and how it ends. */
final class ServiceRun {
  enum Outcome {
    READY,
    EXITED,
    TIMED_OUT,
    INTERRUPTED
  }

  private static final Logger LOG = LoggerFactory.getLogger(ServiceProcess.class);
  private static final Pattern BIND_FAILURE =
      Pattern.compile(
          "(?i)address already in use|EADDRINUSE|BindException|port \\d+ is (already )?(in use|taken)");
  private static final Duration PUMP_DRAIN = Duration.ofSeconds(1);
  private static final Duration KILL_WAIT = Duration.ofSeconds(5);
  private static final long DESCENDANT_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final ServiceDefinition definition;
  private final List<String> command;
  private final int port;
  private final Ports.Reservation reservation;
  private final Signal signal = new Signal();
  private final OutputLog output;
  private final Logger serviceLog;
  private final BufferedWriter logFile;
  private final Process process;
  private final List<Thread> pumps = new ArrayList<>();
  private final Optional<Watchdog> watchdog;
  private final String groupTarget;
  private final Runnable afterExit;
  private volatile boolean stopping;
  private volatile boolean wasReady;
  private Integer exitCode;
  private Exception lastReadinessError;

  private ServiceRun(
      ServiceDefinition definition,
      List<String> command,
      int port,
      Ports.Reservation reservation,
      BufferedWriter logFile,
      Process process,
      Optional<Watchdog> watchdog,
      Runnable afterExit) {
    this.definition = definition;
    this.afterExit = afterExit;
    this.command = command;
    this.port = port;
    this.reservation = reservation;
    this.logFile = logFile;
    this.process = process;
    this.watchdog = watchdog;
    this.groupTarget = "-" + process.pid();
    this.output = new OutputLog(definition.outputLines(), signal::fire);
    this.serviceLog = LoggerFactory.getLogger("io.charlatan.service." + definition.name());
  }

  /**
   * Spawns the process. The command's first element is already an absolute path; {@code setsid}
   * (where present) gives the service its own process group, so that it and all it forks can be
   * signalled, and killed by the watchdog if this JVM dies.
   */
  static ServiceRun launch(
      ServiceDefinition definition,
      List<String> command,
      java.util.Map<String, String> environment,
      int port,
      Ports.Reservation reservation,
      Runnable afterExit) {
    BufferedWriter logFile = null;
    try {
      if (definition.logFile().isPresent()) {
        Path file = definition.logFile().get().toAbsolutePath();
        Files.createDirectories(file.getParent());
        logFile = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
      }
      Optional<Watchdog> watchdog = Watchdog.get();
      List<String> spawned = new ArrayList<>();
      watchdog.ifPresent(w -> spawned.add(Watchdog.setsid().orElseThrow().toString()));
      spawned.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(spawned);
      if (!definition.inheritsEnvironment()) {
        builder.environment().clear();
      }
      builder.environment().putAll(environment);
      definition.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process process = builder.start();
      ServiceRun run =
          new ServiceRun(
              definition, command, port, reservation, logFile, process, watchdog, afterExit);
      run.begin();
      return run;
    } catch (IOException e) {
      closeQuietly(logFile);
      reservation.close();
      throw new ServiceStartException(
          definition.name(),
          "could not be started: " + e.getMessage(),
          command,
          null,
          List.of(),
          e);
    }
  }

  private void begin() {
    watchdog.ifPresent(w -> w.watch(groupTarget));
    String name = definition.name();
    pumps.add(OutputPump.start(name + "-stdout", process.getInputStream(), this::line));
    pumps.add(OutputPump.start(name + "-stderr", process.getErrorStream(), this::line));
    var unused =
        process
            .onExit()
            .thenRun(
                () -> {
                  signal.fire();
                  if (wasReady && !stopping) {
                    LOG.warn(
                        "Service '{}' (pid {}) exited by itself with code {}",
                        name,
                        process.pid(),
                        process.exitValue());
                  }
                  afterExit.run();
                });
  }

  private void line(String line) {
    // Logged before it is kept: keeping it may make the service ready, and a line a readiness
    // check saw is then in the log too.
    serviceLog.atLevel(definition.outputLevel()).log("{}", line);
    output.add(line);
    if (logFile != null) {
      synchronized (logFile) {
        try {
          logFile.write(line);
          logFile.newLine();
          logFile.flush();
        } catch (IOException e) {
          // The file is closed once the process has stopped; late lines of escaped children go.
        }
      }
    }
  }

  Outcome awaitReady(Ready ready, long deadlineNanos) {
    ProcessProbe probe =
        new ProcessProbe(definition.name(), definition.host(), port, process.pid(), output);
    long poll = definition.pollInterval().toNanos();
    if (ready instanceof ImmediateReady) {
      // Started is ready, also for a one-shot command that has already finished.
      output.endStartup();
      wasReady = true;
      return Outcome.READY;
    }
    while (true) {
      if (!process.isAlive()) {
        return Outcome.EXITED;
      }
      try {
        if (ready.isReady(probe)) {
          if (definition.verifiesPortOwner() && !probe.listensOnPort()) {
            throw new IllegalStateException(
                "port " + port + " answers, but another program listens on it");
          }
          // A port taken by someone else can look "open" while our process is dying of it.
          if (!process.isAlive()) {
            return Outcome.EXITED;
          }
          output.endStartup();
          wasReady = true;
          return Outcome.READY;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.INTERRUPTED;
      } catch (Exception notReady) {
        lastReadinessError = notReady;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        return Outcome.TIMED_OUT;
      }
      try {
        signal.await(Math.min(poll, remaining));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Outcome.INTERRUPTED;
      }
    }
  }

  /** Whether the process died because its port was taken by someone else. */
  boolean diedOfTakenPort() {
    // The process has exited, but its last lines (which say why) may still be in the pipe.
    drainOutput();
    if (output.recent().stream().anyMatch(line -> BIND_FAILURE.matcher(line).find())) {
      return true;
    }
    return !Ports.isBindable(definition.host(), port);
  }

  /**
   * Stops the process and everything it started: TERM to the process group (or, without one, to the
   * process and its descendants), up to {@code grace} for all to exit, then KILL. Idempotent.
   *
   * @return the exit code of the service's main process
   */
  synchronized int terminate(Duration grace) {
    if (exitCode != null) {
      return exitCode;
    }
    stopping = true;
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(process.toHandle());
    process.descendants().forEach(tree::add);
    if (watchdog.isPresent()) {
      watchdog.get().signal("TERM", groupTarget);
    } else {
      tree.forEach(ProcessHandle::destroy);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    boolean allGone = awaitAll(tree, deadline);
    if (watchdog.isPresent()) {
      // Also reaches daemonized grandchildren that are no longer our descendants.
      watchdog.get().signal("KILL", groupTarget);
    }
    if (!allGone) {
      if (!grace.isZero()) {
        // What the service did not finish (flushing, a coverage agent's dump) is lost: say so.
        LOG.warn(
            "Service '{}' (pid {}) did not exit within {} ms of SIGTERM and is killed with"
                + " SIGKILL; what it does on shutdown is cut short. If it needs longer, give its"
                + " definition a longer stopGrace(...)",
            definition.name(),
            process.pid(),
            grace.toMillis());
      }
      tree.stream().filter(Liveness::isAlive).forEach(ProcessHandle::destroyForcibly);
      awaitAll(tree, System.nanoTime() + KILL_WAIT.toNanos());
    }
    exitCode = process.isAlive() ? -1 : process.exitValue();
    finish();
    // At once rather than only from onExit, which may not run before this JVM exits.
    afterExit.run();
    return exitCode;
  }

  /**
   * Waits until every process of the tree has exited. The main process is our child, so its exit is
   * an event; the JDK only polls other processes every 300 ms or more, so they are polled here at a
   * finer interval to keep stops fast.
   */
  private boolean awaitAll(List<ProcessHandle> tree, long deadlineNanos) {
    try {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining > 0 && !process.waitFor(remaining, TimeUnit.NANOSECONDS)) {
        return false;
      }
      while (true) {
        if (tree.stream().noneMatch(Liveness::isAlive)) {
          return true;
        }
        remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
          return false;
        }
        LockSupport.parkNanos(Math.min(remaining, DESCENDANT_POLL_NANOS));
        if (Thread.interrupted()) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Waits, up to a second, for the output pumps to read what the process wrote. */
  private void drainOutput() {
    long drainUntil = System.nanoTime() + PUMP_DRAIN.toNanos();
    for (Thread pump : pumps) {
      try {
        long remaining = drainUntil - System.nanoTime();
        if (remaining > 0) {
          TimeUnit.NANOSECONDS.timedJoin(pump, remaining);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
  }

  private void finish() {
    drainOutput();
    if (logFile != null) {
      synchronized (logFile) {
        closeQuietly(logFile);
      }
    }
    watchdog.ifPresent(w -> w.forget(groupTarget));
    reservation.close();
  }

  private static void closeQuietly(BufferedWriter writer) {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      LOG.debug("Could not close a service log file", e);
    }
  }

  ServiceStartException failure(String problem) {
    Exception cause = lastReadinessError;
    String detail =
        cause == null || cause.getMessage() == null
            ? ""
            : "\n  last readiness check said: " + cause.getMessage();
    Integer code = process.isAlive() ? null : process.exitValue();
    return new ServiceStartException(
        definition.name(), problem + detail, command, code, output.recent(), cause);
  }

  /** Waits up to the time for the main process to exit; whether it has. */
  boolean awaitExit(long nanos) throws InterruptedException {
    return process.waitFor(nanos, TimeUnit.NANOSECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  List<String> command() {
    return command;
  }

  List<String> recentOutput() {
    return output.recent();
  }
}

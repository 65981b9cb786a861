package io.charlatan.process;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One small shell process per JVM that kills the services' process groups when the JVM is gone,
 * however it went (even {@code kill -9}): it reads commands from a pipe whose other end only this
 * JVM holds, and the end of that pipe means the JVM died.
 *
 * <p>It also delivers signals to whole process groups, which Java cannot do itself.
 */
final class Watchdog {
  private static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);

  /**
   * The watchdog's program. It ignores INT/HUP/TERM so that a Ctrl-C meant for the build does not
   * take it away before it has cleaned up. On end of input it sends TERM to every group still
   * registered, waits up to one second, then KILLs what is left.
   */
  private static final String SCRIPT =
      """
      trap '' INT HUP TERM QUIT
      targets=''
      while read -r op a b; do
        case "$op" in
          add) targets="$targets $a" ;;
          del) kept=''; for t in $targets; do [ "$t" = "$a" ] || kept="$kept $t"; done; targets=$kept ;;
          sig) kill "-$a" "$b" 2>/dev/null ;;
        esac
      done
      [ -z "$targets" ] && exit 0
      for t in $targets; do kill -TERM "$t" 2>/dev/null; done
      i=0
      while [ $i -lt 10 ]; do
        alive=''
        for t in $targets; do kill -0 "$t" 2>/dev/null && alive="$alive $t"; done
        [ -z "$alive" ] && exit 0
        targets=$alive; i=$((i+1)); sleep 0.1
      done
      for t in $targets; do kill -KILL "$t" 2>/dev/null; done
      """;

  private static final Optional<Path> SETSID = findSetsid();
  private static Watchdog instance;

  private final Process process;
  private final OutputStream commands;
  private boolean broken;

  private Watchdog(Process process) {
    this.process = process;
    this.commands = process.getOutputStream();
  }

  /** The command prefix that puts a process in a new session and process group, if any. */
  static Optional<Path> setsid() {
    return SETSID;
  }

  /** The JVM's watchdog, started on first use; empty where no POSIX shell can run. */
  static synchronized Optional<Watchdog> get() {
    if (instance == null && SETSID.isPresent()) {
      try {
        List<String> command = List.of(SETSID.get().toString(), "/bin/sh", "-c", SCRIPT);
        Process process =
            new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        instance = new Watchdog(process);
      } catch (IOException e) {
        LOG.warn("Could not start the watchdog; services may outlive a crashed JVM", e);
        return Optional.empty();
      }
    }
    return Optional.ofNullable(instance);
  }

  /** Kill this target (a pid, or minus a process group id) if the JVM dies. */
  void watch(String target) {
    send("add " + target);
  }

  /** Forget a target that is gone. */
  void forget(String target) {
    send("del " + target);
  }

  /** Sends a signal (e.g. TERM, KILL) to a target (a pid, or minus a process group id). */
  void signal(String signal, String target) {
    send("sig " + signal + " " + target);
  }

  long pid() {
    return process.pid();
  }

  private synchronized void send(String line) {
    if (broken) {
      return;
    }
    try {
      commands.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
      commands.flush();
    } catch (IOException e) {
      broken = true;
      LOG.warn(
          "The watchdog process (pid {}) is gone; services may outlive a crashed JVM",
          process.pid(),
          e);
    }
  }

  private static Optional<Path> findSetsid() {
    if (File.separatorChar != '/') {
      return Optional.empty();
    }
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      Path path = Path.of(candidate);
      if (Files.isExecutable(path) && Files.isExecutable(Path.of("/bin/sh"))) {
        return Optional.of(path);
      }
    }
    return Optional.empty();
  }
}

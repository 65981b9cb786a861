package io.charlatan.junit;

import io.charlatan.process.Running;
import io.charlatan.process.ServiceProcess;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The last lines of the log of a running thing, attached to a failed test's error (as a suppressed
 * exception, so the error keeps its type) for every {@link Running} thing the test's fixtures hold:
 * service processes, Redis, PostgreSQL, the imposter server and imposters. The report then shows
 * the useful lines of each log, not the whole of it.
 */
public final class ServiceLogTail extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private ServiceLogTail(String message) {
    super(message, null, false, false);
  }

  /** The log tails of the running things among these values, each once. */
  static List<ServiceLogTail> of(List<Object> values, int lines) {
    IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    List<ServiceLogTail> tails = new ArrayList<>();
    for (Object value : values) {
      if (value != null && seen.put(value, Boolean.TRUE) == null) {
        describe(value).ifPresent(log -> tails.add(tail(log, lines)));
      }
    }
    return tails;
  }

  private static final class Log {
    final String service;
    final List<String> lines;

    Log(String service, List<String> lines) {
      this.service = service;
      this.lines = lines;
    }
  }

  private static Optional<Log> describe(Object value) {
    if (value instanceof ServiceProcess service) {
      String state =
          service.isRunning()
              ? "at " + service.url() + " (running)"
              : service.exitCode().isPresent()
                  ? "(exited with code " + service.exitCode().getAsInt() + ")"
                  : "(not started)";
      return Optional.of(new Log("'" + service.name() + "' " + state, service.recentOutput()));
    }
    if (value instanceof Running running) {
      List<String> lines;
      String where;
      try {
        where = running.url().toString();
        lines = running.recentOutput();
      } catch (RuntimeException e) {
        // A report must not fail because a thing it describes is already gone.
        where = "(gone: " + e.getMessage() + ")";
        lines = List.of();
      }
      return Optional.of(new Log("'" + running.name() + "' at " + where, lines));
    }
    return Optional.empty();
  }

  private static ServiceLogTail tail(Log log, int lines) {
    List<String> all = log.lines;
    List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
    StringBuilder message =
        new StringBuilder("log of ")
            .append(log.service)
            .append(", last ")
            .append(last.size())
            .append(" of ")
            .append(all.size())
            .append(" lines kept:");
    if (last.isEmpty()) {
      message.append(" (empty)");
    }
    for (String line : last) {
      message.append("\n    | ").append(line);
    }
    return new ServiceLogTail(message.toString());
  }
}

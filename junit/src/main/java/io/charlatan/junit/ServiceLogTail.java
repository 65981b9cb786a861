package io.charlatan.junit;

import io.charlatan.backing.PostgresServer;
import io.charlatan.backing.RedisServer;
import io.charlatan.process.ServiceProcess;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;

/**
 * The last lines of a service's log, attached to a failed test's error (as a suppressed exception,
 * so the error keeps its type) for every service the test's fixtures hold: {@link ServiceProcess},
 * {@link RedisServer}, {@link PostgresServer}. The report then shows the useful lines of each log,
 * not the whole of it.
 */
public final class ServiceLogTail extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private ServiceLogTail(String message) {
    super(message, null, false, false);
  }

  /** The log tails of the services among these values, each service once. */
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
              ? "running"
              : service.exitCode().isPresent()
                  ? "exited with code " + service.exitCode().getAsInt()
                  : "not started";
      return Optional.of(
          new Log("'" + service.name() + "' (" + state + ")", service.recentOutput()));
    }
    return BACKING ? Backing.describe(value) : Optional.empty();
  }

  /**
   * Whether charlatan-backing is on the classpath: an optional dependency, so its types are named
   * only in {@link Backing}, which is loaded only when it is there.
   */
  private static final boolean BACKING = present("io.charlatan.backing.RedisServer");

  private static boolean present(String className) {
    try {
      Class.forName(className, false, ServiceLogTail.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static final class Backing {
    private Backing() {}

    static Optional<Log> describe(Object value) {
      if (value instanceof RedisServer redis) {
        return Optional.of(new Log("Redis at " + redis.uri(), redis.recentOutput()));
      }
      if (value instanceof PostgresServer postgres) {
        return Optional.of(new Log("PostgreSQL at " + postgres.jdbcUrl(), postgres.recentOutput()));
      }
      return Optional.empty();
    }
  }

  private static ServiceLogTail tail(Log log, int lines) {
    List<String> all = log.lines;
    List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
    StringBuilder message =
        new StringBuilder("log of service ")
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

package io.charlatan.process;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The output of one run of a service: the last lines for error messages, and every line printed
 * while it starts (bounded) so that a log-line readiness check misses none.
 */
final class OutputLog {
  /** Lines kept for readiness checks while starting; beyond it the oldest are dropped. */
  static final int STARTUP_LINES = 10_000;

  private final int capacity;
  private final ArrayDeque<String> recent;
  private List<String> startup = new ArrayList<>();
  private long startupDropped;
  private final Runnable onLine;

  OutputLog(int capacity, Runnable onLine) {
    this.capacity = capacity;
    this.recent = new ArrayDeque<>(capacity);
    this.onLine = onLine;
  }

  void add(String line) {
    synchronized (this) {
      if (recent.size() == capacity) {
        recent.removeFirst();
      }
      recent.addLast(line);
      if (startup != null) {
        if (startup.size() == STARTUP_LINES) {
          int drop = STARTUP_LINES / 2;
          startup = new ArrayList<>(startup.subList(drop, startup.size()));
          startupDropped += drop;
        }
        startup.add(line);
      }
    }
    onLine.run();
  }

  /** The last lines, oldest first. */
  synchronized List<String> recent() {
    return List.copyOf(recent);
  }

  /**
   * Scans startup lines from the absolute line number {@code from}; returns the absolute number of
   * the first matching line, or -(next line number) - 1 when none matches.
   */
  synchronized long find(Pattern pattern, long from) {
    if (startup == null) {
      return -1;
    }
    long start = Math.max(from, startupDropped);
    for (long i = start; i < startupDropped + startup.size(); i++) {
      if (pattern.matcher(startup.get((int) (i - startupDropped))).find()) {
        return i;
      }
    }
    return -(startupDropped + startup.size()) - 1;
  }

  /** Frees the startup lines once the service is ready. */
  synchronized void endStartup() {
    startup = null;
  }
}

package io.charlatan.imposters.internal.engine;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How much CPU the JVM's optimizing compiler (C2) has used so far, in milliseconds: on Linux the
 * CPU time of its threads from {@code /proc/self/task}; elsewhere the JIT's total compilation time
 * as the JVM reports it (both compilers). The warm-up reads it to see when the request path is
 * compiled: C1 keeps compiling small things for long after, C2's work on the path is what matters.
 */
final class CompilerTime implements java.util.function.LongSupplier {
  private static final Path TASKS = Path.of("/proc/self/task");
  private static final String C2_THREAD = "C2 CompilerThre";

  /** Milliseconds per clock tick of {@code /proc}'s CPU times (USER_HZ, 100 on Linux). */
  private static final long TICK_MILLIS = 10;

  @Override
  public long getAsLong() {
    long ticks = c2Ticks(TASKS);
    if (ticks >= 0) {
      return ticks * TICK_MILLIS;
    }
    return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
  }

  /** The C2 threads' user and system ticks under a task directory; -1 when none is found. */
  static long c2Ticks(Path tasks) {
    if (!Files.isDirectory(tasks)) {
      return -1;
    }
    long ticks = -1;
    try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
      for (Path thread : threads) {
        long used = compilerTicks(thread.resolve("stat"));
        if (used >= 0) {
          ticks = Math.max(ticks, 0) + used;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return ticks;
  }

  /** A thread's user plus system ticks if it is a C2 compiler thread, else -1. */
  private static long compilerTicks(Path stat) {
    try {
      return ticksOfC2(Files.readAllLines(stat).stream().findFirst().orElse(""));
    } catch (IOException e) {
      // The thread ended between the listing and the read.
      return -1;
    }
  }

  /**
   * The user plus system ticks of a {@code stat} line if its command is a C2 compiler thread's,
   * else -1. The command is in parentheses and may hold spaces and parentheses itself: the fields
   * after it are counted from its last closing one ({@code utime} and {@code stime} are the 14th
   * and 15th fields of the line).
   */
  static long ticksOfC2(String line) {
    int open = line.indexOf('(');
    int close = line.lastIndexOf(')');
    if (open < 0 || close < open || !line.substring(open + 1, close).startsWith(C2_THREAD)) {
      return -1;
    }
    // After the command: the state (3rd field), then fields 4 to 13, then utime and stime.
    String[] rest = line.substring(close + 1).trim().split(" ", 14);
    if (rest.length < 14) {
      return -1;
    }
    try {
      return Long.parseLong(rest[11]) + Long.parseLong(rest[12]);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

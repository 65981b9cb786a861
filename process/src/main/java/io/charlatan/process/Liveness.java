package io.charlatan.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Whether a process still runs. A killed process whose parent has died stays a zombie until the
 * init process reaps it, which some containers do only every few seconds; the JDK counts zombies as
 * alive, so on Linux this reads the state from {@code /proc} and counts them as gone.
 */
final class Liveness {
  private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

  private Liveness() {}

  static boolean isAlive(ProcessHandle handle) {
    if (!handle.isAlive()) {
      return false;
    }
    return !PROC || !isZombie(handle.pid());
  }

  static boolean isAlive(long pid) {
    return ProcessHandle.of(pid).map(Liveness::isAlive).orElse(false);
  }

  private static boolean isZombie(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      // Format: "pid (command) S ..."; the command may contain ')' so take the last one.
      int end = stat.lastIndexOf(')');
      char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
      return state == 'Z' || state == 'X';
    } catch (NoSuchFileException gone) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

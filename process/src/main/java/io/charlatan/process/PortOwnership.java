package io.charlatan.process;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Tells whether a listening TCP port belongs to a process tree, so that a port taken by some other
 * program is not mistaken for the service being ready. Linux only (reads {@code /proc}); elsewhere,
 * or when the answer cannot be read, ownership is assumed.
 */
final class PortOwnership {
  private static final List<Path> TABLES =
      List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
  private static final String LISTEN = "0A";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private PortOwnership() {}

  static boolean listensOn(ProcessHandle root, int port) {
    Set<String> sockets = listeningSockets(port);
    if (sockets == null || sockets.isEmpty()) {
      return true;
    }
    // The service itself usually holds the socket; listing descendants scans all of /proc.
    Boolean owned = holdsAny(root, sockets);
    if (owned == null || owned) {
      return true;
    }
    for (ProcessHandle descendant : (Iterable<ProcessHandle>) root.descendants()::iterator) {
      owned = holdsAny(descendant, sockets);
      if (owned == null || owned) {
        return true;
      }
    }
    return false;
  }

  /** Whether the process holds one of the sockets; null when its descriptors cannot be read. */
  private static Boolean holdsAny(ProcessHandle process, Set<String> sockets) {
    Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        if (sockets.contains(readLink(fd))) {
          return true;
        }
      }
      return false;
    } catch (IOException unreadable) {
      return null;
    }
  }

  /** The {@code socket:[inode]} names of sockets listening on the port, or null if unknown. */
  private static Set<String> listeningSockets(int port) {
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    Set<String> sockets = new HashSet<>();
    boolean readAny = false;
    for (Path table : TABLES) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException missing) {
        continue;
      }
      readAny = true;
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] fields = WHITESPACE.split(line.trim(), -1);
        if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
          sockets.add("socket:[" + fields[9] + "]");
        }
      }
    }
    return readAny ? sockets : null;
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException | UnsupportedOperationException gone) {
      return "";
    }
  }
}

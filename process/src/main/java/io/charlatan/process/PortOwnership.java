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
      List.of(Path.of("/proc/net/tcp6"), Path.of("/proc/net/tcp"));
  private static final String LISTEN = "0A";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");

  private PortOwnership() {}

  static boolean listensOn(ProcessHandle root, int port) {
    Set<String> sockets = listeningSockets(port);
    if (sockets.isEmpty()) {
      return true;
    }
    // The service itself usually holds the socket; listing descendants scans all of /proc.
    if (holdsAny(root, sockets)) {
      return true;
    }
    return root.descendants().anyMatch(descendant -> holdsAny(descendant, sockets));
  }

  /**
   * Whether the process holds one of the sockets. A live process whose descriptors cannot be read
   * is given the benefit of the doubt; one that exits while being read holds nothing.
   */
  private static boolean holdsAny(ProcessHandle process, Set<String> sockets) {
    Path fds = Path.of("/proc", Long.toString(process.pid()), "fd");
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(fds)) {
      for (Path fd : entries) {
        if (sockets.contains(readLink(fd))) {
          return true;
        }
      }
      return false;
    } catch (IOException unreadable) {
      return process.isAlive();
    }
  }

  /**
   * The {@code socket:[inode]} names of sockets listening on the port; empty when none is found or
   * the tables cannot be read. Each table costs milliseconds to read on a machine with much memory
   * (the kernel walks its whole connection hash), so the second is read only when the first has no
   * listener: Java and most servers listen on IPv6 sockets, which also take IPv4 connections.
   */
  private static Set<String> listeningSockets(int port) {
    String hexPort = String.format(Locale.ROOT, ":%04X", port);
    Set<String> sockets = new HashSet<>();
    for (Path table : TABLES) {
      try {
        for (String line : Files.readAllLines(table)) {
          String[] fields = WHITESPACE.split(line.trim(), -1);
          if (fields.length > 9 && fields[1].endsWith(hexPort) && fields[3].equals(LISTEN)) {
            sockets.add("socket:[" + fields[9] + "]");
          }
        }
      } catch (IOException unreadable) {
        continue;
      }
      if (!sockets.isEmpty()) {
        break;
      }
    }
    return sockets;
  }

  private static String readLink(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException | UnsupportedOperationException gone) {
      return "";
    }
  }
}

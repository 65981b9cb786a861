package io.charlatan.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out ports so that no two live services get the same one: not in this JVM (a set), nor in
 * other JVMs on the machine, such as parallel Surefire forks (a lock file per port, released by the
 * operating system if the JVM dies).
 */
final class Ports {
  /** Chooses a candidate port; the system one asks the kernel for a free ephemeral port. */
  @FunctionalInterface
  interface Candidates {
    int next(String host) throws IOException;
  }

  private static final int MAX_CANDIDATES = 100;

  static final Ports SHARED =
      new Ports(
          Path.of(System.getProperty("java.io.tmpdir"), "charlatan-ports"), Ports::kernelChoice);

  private final Path lockDirectory;
  private final Candidates candidates;
  private final Set<Integer> held = new HashSet<>();

  Ports(Path lockDirectory, Candidates candidates) {
    this.lockDirectory = lockDirectory;
    this.candidates = candidates;
  }

  /** Reserves a port that was free a moment ago and is held by no other live service. */
  Reservation reserveFree(String host) {
    IOException last = null;
    for (int i = 0; i < MAX_CANDIDATES; i++) {
      try {
        Optional<Reservation> reservation = tryReserve(candidates.next(host));
        if (reservation.isPresent()) {
          return reservation.get();
        }
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException(
        "no free port found on "
            + host
            + " in "
            + MAX_CANDIDATES
            + " tries"
            + (last == null ? ": all were held by other services" : ": " + last),
        last);
  }

  /** Reserves the given port, or returns empty if another live service holds it. */
  Optional<Reservation> tryReserve(int port) throws IOException {
    synchronized (held) {
      if (!held.add(port)) {
        return Optional.empty();
      }
    }
    try {
      Files.createDirectories(lockDirectory);
      FileChannel channel =
          FileChannel.open(
              lockDirectory.resolve(port + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldByAnotherRegistryInThisJvm) {
        lock = null;
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      if (lock == null) {
        channel.close();
        release(port);
        return Optional.empty();
      }
      return Optional.of(new Reservation(port, channel));
    } catch (IOException | RuntimeException e) {
      release(port);
      throw e;
    }
  }

  private void release(int port) {
    synchronized (held) {
      held.remove(port);
    }
  }

  /** Whether a server socket could bind the port on the host right now. */
  static boolean isBindable(String host, int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int kernelChoice(String host) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    }
  }

  /** A port held for one service until closed. */
  final class Reservation implements AutoCloseable {
    private final int port;
    private final FileChannel channel;

    private Reservation(int port, FileChannel channel) {
      this.port = port;
      this.channel = channel;
    }

    int port() {
      return port;
    }

    @Override
    public void close() {
      try {
        // Lock files are never deleted: deleting one could let two holders lock different files.
        channel.close();
      } catch (IOException ignored) {
        // Closing releases the lock even when it reports an error.
      } finally {
        release(port);
      }
    }
  }
}

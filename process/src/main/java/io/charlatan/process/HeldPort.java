package io.charlatan.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port, held (bound, not listening) until {@link #release() released}: for a peer
 * whose port must be known before it starts, such as a Redis or an imposter that a service under
 * test is configured with while they all start side by side. Chosen below the kernel's ephemeral
 * range ({@code /proc/sys/net/ipv4/ip_local_port_range}; 32768 when unknown), from which the kernel
 * gives the local ports of outgoing connections and of {@code bind(0)}: a port from that range, let
 * go a moment before its server binds it, can meanwhile become the local port of a connection made
 * by anything on the machine (the service starting beside it, say), and the server then fails with
 * "address in use". Below the range only another holder, or a server on a fixed port, could take
 * it; the ports of services started with {@code {port}} come from the kernel's range, so never meet
 * these. Its socket is given SO_REUSEADDR as it is released, so that a copy of it that a process
 * being started at that moment inherited does not stop the server's bind.
 *
 * <pre>{@code
 * HeldPort peer = HeldPort.reserve();
 * ServiceDefinition service =
 *     ServiceDefinition.commandLine("java -jar my-service.jar")
 *         .env("PEER_URL", "http://127.0.0.1:" + peer.port())
 *         .build();
 * // start the service; then, just before the peer starts on it:
 * int port = peer.release();
 * }</pre>
 */
public final class HeldPort implements AutoCloseable {
  /** The lowest port handed out: below it are the ports that services commonly listen on. */
  static final int FLOOR = 10_000;

  /** Where Linux says which ports it hands out by itself. */
  static final Path RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private static final int TRIES = 100;

  private final int port;
  private Socket held;

  private HeldPort(Socket held) {
    this.held = held;
    this.port = held.getLocalPort();
  }

  /**
   * A free port on 127.0.0.1 below the ephemeral range, held until {@link #release()} or {@link
   * #close()}.
   *
   * @throws UncheckedIOException if none could be bound in 100 tries (the message says which range)
   */
  public static HeldPort reserve() {
    return reserve(ephemeralFloor(RANGE_FILE));
  }

  /** {@link #reserve()} below {@code ceiling} (exclusive); the kernel's choice when too low. */
  static HeldPort reserve(int ceiling) {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    IOException last = null;
    for (int i = 0; i < TRIES; i++) {
      int candidate =
          ceiling - FLOOR < TRIES ? 0 : ThreadLocalRandom.current().nextInt(FLOOR, ceiling);
      Socket socket = null;
      try {
        // Bound, not listening: a client that connects meanwhile (the service started beside the
        // peer) is refused, and leaves no accepted connection on the port to stop its server's
        // bind. Without SO_REUSEADDR, so that no server can bind the port while it is held (it
        // is set just before the socket is closed: see closeQuietly).
        socket = new Socket();
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(loopback, candidate));
        return new HeldPort(socket);
      } catch (IOException e) {
        last = e;
        closeQuietly(socket);
      }
    }
    throw new UncheckedIOException(
        "no free port on "
            + loopback
            + " between "
            + FLOOR
            + " and "
            + ceiling
            + " in "
            + TRIES
            + " tries; free some, or lower the kernel's ephemeral range"
            + " (net.ipv4.ip_local_port_range)",
        last);
  }

  /** The first port of the kernel's ephemeral range, as that file says; 32768 when unreadable. */
  static int ephemeralFloor(Path rangeFile) {
    // Read line by line: Files.readString of a /proc file (size 0) returned its first byte only.
    try (java.io.BufferedReader reader = Files.newBufferedReader(rangeFile)) {
      String range = String.valueOf(reader.readLine()).trim();
      int end = range.indexOf('\t') >= 0 ? range.indexOf('\t') : range.indexOf(' ');
      return Integer.parseInt(end < 0 ? range : range.substring(0, end));
    } catch (IOException | RuntimeException e) {
      return 32768;
    }
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** Lets the port go, for its server to bind at once; returns its number. Idempotent. */
  public synchronized int release() {
    close();
    return port;
  }

  /** Lets the port go if still held. */
  @Override
  public synchronized void close() {
    closeQuietly(held);
    held = null;
  }

  private static void closeQuietly(Socket socket) {
    if (socket != null) {
      try {
        // The JDK opens sockets without close-on-exec: a process that any thread of this JVM is
        // starting holds a copy of the socket from its fork until it closes its copies before its
        // exec, and the port stays bound by that copy after our close. With SO_REUSEADDR on it,
        // the copy (bound, never listening) no longer stops a server that binds with SO_REUSEADDR
        // (the JDK's, Netty's and Redis's listening sockets all do) from binding and listening.
        try {
          socket.setReuseAddress(true);
        } finally {
          socket.close();
        }
      } catch (IOException ignored) {
        // Closing a server socket frees its port even when it reports an error.
      }
    }
  }

  @Override
  public String toString() {
    return "HeldPort[" + port + (held == null ? ", released]" : ", held]");
  }
}

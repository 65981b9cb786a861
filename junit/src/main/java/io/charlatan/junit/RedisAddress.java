package io.charlatan.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;

/**
 * Where the session's Redis ({@code redisServer} of {@link RedisFixtures}) listens, known before it
 * starts: a free loopback port, held (bound) until the server starts on it, so that nothing started
 * meanwhile is given it, and let go when the run ends if the server never started. A service
 * fixture that asks for this instead of {@code redisServer} starts beside Redis, as the services of
 * a deployment start in any order; the service must then wait for Redis, or retry, as it would in
 * production.
 */
public final class RedisAddress implements AutoCloseable {
  private final int port;
  private ServerSocket held;

  private RedisAddress(ServerSocket held) {
    this.held = held;
    this.port = held.getLocalPort();
  }

  /** A free loopback port, held until {@link #release()}. */
  static RedisAddress reserve() {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return new RedisAddress(socket);
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for Redis: " + e.getMessage(), e);
    }
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:<port>}, as {@link io.charlatan.backing.RedisServer#url()} says. */
  public URI url() {
    return URI.create("redis://127.0.0.1:" + port);
  }

  /** Lets the port go, for the server to bind at once; its number. */
  synchronized int release() {
    close();
    return port;
  }

  /** Lets the port go if still held. */
  @Override
  public synchronized void close() {
    if (held != null) {
      try {
        held.close();
      } catch (IOException e) {
        throw new UncheckedIOException("could not let port " + port + " go", e);
      } finally {
        held = null;
      }
    }
  }

  @Override
  public String toString() {
    return "RedisAddress[" + url() + "]";
  }
}

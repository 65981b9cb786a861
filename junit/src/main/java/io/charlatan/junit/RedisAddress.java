package io.charlatan.junit;

import io.charlatan.process.HeldPort;
import java.net.URI;

/**
 * Where the session's Redis ({@code redisServer} of {@link RedisFixtures}) listens, known before it
 * starts: a free loopback port, held until the server starts on it (a {@link HeldPort}: below the
 * kernel's ephemeral range, so that nothing started meanwhile is given it), and let go when the run
 * ends if the server never started. A service fixture that asks for this instead of {@code
 * redisServer} starts beside Redis, as the services of a deployment start in any order; the service
 * must then wait for Redis, or retry, as it would in production.
 */
public final class RedisAddress implements AutoCloseable {
  private final HeldPort port;

  private RedisAddress(HeldPort port) {
    this.port = port;
  }

  /** A free loopback port, held until {@link #release()}. */
  static RedisAddress reserve() {
    return new RedisAddress(HeldPort.reserve());
  }

  /** The port. */
  public int port() {
    return port.port();
  }

  /** {@code redis://127.0.0.1:<port>}, as {@link io.charlatan.backing.RedisServer#url()} says. */
  public URI url() {
    return URI.create("redis://127.0.0.1:" + port.port());
  }

  /** Lets the port go, for the server to bind at once; its number. */
  int release() {
    return port.release();
  }

  /** Lets the port go if still held. */
  @Override
  public void close() {
    port.close();
  }

  @Override
  public String toString() {
    return "RedisAddress[" + url() + "]";
  }
}

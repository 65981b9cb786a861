package io.charlatan.backing;

import io.charlatan.process.Resettable;
import io.charlatan.process.Running;
import io.charlatan.process.ServiceDefinition;
import io.charlatan.process.ServiceProbe;
import io.charlatan.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * A real Redis server for tests: started on a free port of 127.0.0.1, with no persistence, in a
 * temporary directory of its own; ready when it answers PING. Closing it stops the server (and
 * anything it started) and deletes its directory.
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *   // connect to redis.url(); between tests: redis.reset();
 * }
 * }</pre>
 */
public final class RedisServer implements Running, Resettable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisServer.class);
  private static final String HOST = "127.0.0.1";

  private final ServiceProcess process;
  private final Binary binary;
  private final Path directory;
  private final String name;
  private Resp connection;

  private RedisServer(ServiceProcess process, Binary binary, Path directory, String name) {
    this.process = process;
    this.name = name;
    this.binary = binary;
    this.directory = directory;
  }

  /** Starts a server with the default options (see {@link RedisOptions}). */
  public static RedisServer start() {
    return start(RedisOptions.defaults());
  }

  /**
   * Starts a server.
   *
   * @throws BackingServiceException if no binary can be found, or it does not start; the message
   *     says what was tried
   */
  public static RedisServer start(RedisOptions options) {
    return start(
        options, RedisBinaries.find(options), java.util.List.of(), "redis", options.port());
  }

  /** Starts a server of this binary, with more arguments (e.g. a cluster node's) and a name. */
  static RedisServer start(
      RedisOptions options,
      Binary binary,
      java.util.List<String> moreArguments,
      String name,
      int port) {
    Path directory;
    try {
      directory = Files.createTempDirectory("charlatan-redis");
    } catch (IOException e) {
      throw new BackingServiceException(
          "cannot create a directory for Redis: " + e.getMessage(), e);
    }
    java.util.List<String> command =
        new java.util.ArrayList<>(
            java.util.List.of(
                binary.path().toString(),
                "--port",
                "{port}",
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                directory.toString(),
                "--daemonize",
                "no"));
    command.addAll(moreArguments);
    ServiceDefinition.Builder definition =
        ServiceDefinition.command(command)
            .name(name)
            .host(HOST)
            .scheme("redis")
            // Redis's banner and its overcommit warning are noise in a test's log.
            .outputLevel(Level.DEBUG)
            .workingDirectory(directory)
            .ready(RedisServer::answersPing)
            .startTimeout(options.startTimeout());
    if (port != 0) {
      definition.port(port);
    }
    try {
      ServiceProcess process = ServiceProcess.start(definition.build());
      LOG.debug("Redis at {} runs {}", process.url(), binary.source());
      return new RedisServer(process, binary, directory, name);
    } catch (RuntimeException e) {
      Trees.delete(directory);
      throw new BackingServiceException(
          "Redis from " + binary.source() + " did not start: " + e.getMessage(), e);
    }
  }

  private static boolean answersPing(ServiceProbe probe) throws IOException {
    try (Resp resp = new Resp(probe.host(), probe.port())) {
      String reply = resp.call("PING");
      if (!reply.equals("+PONG")) {
        throw new IOException("PING answered " + reply);
      }
      return true;
    }
  }

  /** The host the server listens on: {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** The port the server listens on. */
  public int port() {
    return process.port();
  }

  /** {@code "redis"}, or a cluster node's name such as {@code "redis-master-1"}. */
  @Override
  public String name() {
    return name;
  }

  /** {@code redis://127.0.0.1:port}: give it to your client or service. */
  @Override
  public URI url() {
    return process.url();
  }

  /** The binary that runs, and how it was found (for logs and reports). */
  public String binary() {
    return binary.source();
  }

  /** The server's own directory (deleted by {@link #close()}). */
  Path directory() {
    return directory;
  }

  /** Whether the server's process is still running. */
  boolean isRunning() {
    return process.isRunning();
  }

  /** The server's process id. */
  long pid() {
    return process.pid();
  }

  /** The server's output so far (its log), most recent last. */
  @Override
  public java.util.List<String> recentOutput() {
    return process.recentOutput();
  }

  /**
   * Deletes every key of every database ({@code FLUSHALL}): the per-test reset.
   *
   * @throws BackingServiceException if the server does not answer
   */
  @Override
  public synchronized void reset() {
    try {
      if (connection == null) {
        connection = new Resp(HOST, port());
      }
      String reply = connection.call("FLUSHALL");
      if (!reply.equals("+OK")) {
        throw new BackingServiceException("Redis answered FLUSHALL with " + reply);
      }
    } catch (IOException e) {
      closeConnection();
      throw new BackingServiceException(
          "Redis at " + url() + " did not answer FLUSHALL: " + e.getMessage(), e);
    }
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public synchronized void close() {
    closeConnection();
    process.stop();
    Trees.delete(directory);
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException ignored) {
        // The server is going away anyway.
      }
      connection = null;
    }
  }
}

package io.charlatan.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main job: starts a {@link Sandbox}, prints DAS's URL, a token and example {@code curl}
 * commands, and keeps it running until Ctrl-C or SIGTERM, then stops everything and exits 0. The
 * one optional argument is DAS's port (default: a free one).
 *
 * <p>Run it from the repository's root with {@code mvn -B -q -pl sandbox -am -Psandbox compile} (a
 * fixed port: add {@code -Dexec.args=8080}).
 */
public final class SandboxMain {
  private SandboxMain() {}

  /**
   * Runs the sandbox until the JVM is told to stop.
   *
   * @param args DAS's port, optional
   * @throws InterruptedException if interrupted while running
   */
  public static void main(String[] args) throws InterruptedException {
    // A command-line program: its output is the point, so it writes to stdout.
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // Ctrl-C and SIGTERM: stop everything in order (DAS before the Redis it uses), then exit 0.
    onSignal("INT", stop::countDown, err);
    onSignal("TERM", stop::countDown, err);
    // Any other way out of the JVM: the hook stops everything too, while the JVM waits for it.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> stopAndWait(stop, stopped, Duration.ofSeconds(30)), "sandbox-stop"));
    int code;
    try {
      code = run(args, out, err, stop);
    } finally {
      stopped.countDown();
    }
    System.exit(code);
  }

  /**
   * Runs {@code action} on a thread of its own when the signal arrives. The JDK's signal API is
   * reached by reflection because it lives in {@code jdk.unsupported}; without it (or for a signal
   * this JVM does not let a program handle), the shutdown hook still stops everything.
   */
  static void onSignal(String name, Runnable action, PrintStream err) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object signal = signalType.getConstructor(String.class).newInstance(name);
      InvocationHandler onHandle =
          (proxy, method, arguments) -> {
            if (method.getName().equals("handle")) {
              new Thread(action, "sandbox-signal").start();
            }
            return null;
          };
      Object handler =
          Proxy.newProxyInstance(
              SandboxMain.class.getClassLoader(), new Class<?>[] {handlerType}, onHandle);
      signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      err.println("sandbox: SIG" + name + " not handled (" + e + "); the shutdown hook stops all");
    }
  }

  /**
   * What the shutdown hook does: tells {@link #run} to stop, then waits until it has stopped
   * everything (the JVM halts as soon as the hooks end), at most {@code timeout}.
   *
   * @return whether everything stopped in time
   */
  static boolean stopAndWait(CountDownLatch stop, CountDownLatch stopped, Duration timeout) {
    stop.countDown();
    try {
      return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Whether {@code -Dsandbox.redis} asks for a Redis Cluster: {@code cluster}; {@code single} or
   * unset, one Redis.
   *
   * @throws IllegalArgumentException for any other value
   */
  static boolean cluster(String redis) {
    if (redis == null || redis.equals("single")) {
      return false;
    }
    if (redis.equals("cluster")) {
      return true;
    }
    throw new IllegalArgumentException(
        "sandbox.redis is '" + redis + "'; give single (one Redis, the default) or cluster");
  }

  /**
   * Starts the sandbox, prints its instructions, waits for {@code stop}, then stops it.
   *
   * @return 0 after a stop, 1 when it cannot start, 2 for bad arguments
   */
  static int run(String[] args, PrintStream out, PrintStream err, CountDownLatch stop)
      throws InterruptedException {
    int port;
    boolean cluster;
    try {
      port = port(args);
      cluster = cluster(System.getProperty("sandbox.redis"));
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(
          "usage: SandboxMain [port]   (no port: a free one; -Dsandbox.redis=cluster: DAS on a"
              + " Redis Cluster)");
      return 2;
    }
    Sandbox sandbox;
    try {
      sandbox = Sandbox.start(port, cluster, out, err);
    } catch (IOException | RuntimeException e) {
      err.println("sandbox cannot start: " + e.getMessage());
      return 1;
    }
    try {
      out.println(sandbox.instructions());
      stop.await();
      out.println("sandbox stopping");
    } finally {
      sandbox.close();
    }
    out.println("sandbox stopped");
    return 0;
  }

  private static int port(String[] args) {
    if (args.length == 0) {
      return 0;
    }
    if (args.length > 1) {
      throw new IllegalArgumentException("one argument at most, got " + args.length);
    }
    try {
      int port = Integer.parseInt(args[0]);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + args[0] + "' is not a port (0 to 65535)");
  }
}

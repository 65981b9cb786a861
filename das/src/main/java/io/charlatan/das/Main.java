package io.charlatan.das;

import io.charlatan.das.config.ConfigException;
import io.charlatan.das.config.DasConfig;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;

/**
 * Starts DAS from environment variables; exits 2 with a message naming the problem when it cannot.
 * On SIGTERM (or SIGINT) it stops taking requests, finishes the ones in flight, stops the outbound
 * workers after their current delivery and exits 0.
 */
public final class Main {
  private Main() {}

  /** The entry point. */
  public static void main(String[] args) {
    // The handlers are in place before the port opens: a client that sees DAS answer may stop it
    // at once. A signal during start-up stops DAS once it is up.
    CompletableFuture<Das> started = new CompletableFuture<>();
    Runnable stop =
        () -> {
          Das das = started.join();
          System.out.println("DAS stopping");
          das.close();
          System.out.println("DAS stopped");
          exit(0);
        };
    onSignal("TERM", stop);
    onSignal("INT", stop);
    try {
      started.complete(Das.start(DasConfig.from(System.getenv()), System.out, System.err));
    } catch (ConfigException | IOException e) {
      System.err.println("DAS cannot start: " + e.getMessage());
      exit(2);
    }
  }

  /**
   * Runs {@code action} on its own thread when the signal arrives. The JDK's signal API is reached
   * by reflection because it lives in {@code jdk.unsupported}; the JVM's default handling (exit 143
   * after the shutdown hooks) stays when it is not there.
   */
  static void onSignal(String name, Runnable action) {
    try {
      Class<?> signalType = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object signal = signalType.getConstructor(String.class).newInstance(name);
      InvocationHandler onHandle =
          (proxy, method, arguments) -> {
            // The JDK calls nothing but handle(Signal) on a signal handler. Not a daemon (as the
            // signal's thread is): the JVM must not end, with code 0, when the server's last
            // thread does, before the workers and Redis are closed.
            Thread stop = new Thread(action, "das-stop");
            stop.setDaemon(false);
            stop.start();
            return null;
          };
      Object handler =
          Proxy.newProxyInstance(
              Main.class.getClassLoader(), new Class<?>[] {handlerType}, onHandle);
      signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
    } catch (ReflectiveOperationException | RuntimeException e) {
      System.err.println("DAS: cannot handle SIG" + name + " (" + e + "); default handling stays");
    }
  }

  /**
   * Ends the JVM with {@code code}, from a thread of its own once the caller has returned (its work
   * is done; waited for up to a second), and the exit runs the shutdown hooks as usual. Waiting for
   * the caller lets everything it did finish first, the coverage agent's record of it included.
   */
  static void exit(int code) {
    Thread caller = Thread.currentThread();
    new Thread(() -> System.exit(afterReturnOf(caller, code, 1_000)), "das-exit").start();
  }

  /** {@code code}, once {@code caller} has ended or the time has passed, or at an interrupt. */
  static int afterReturnOf(Thread caller, int code, long millis) {
    try {
      caller.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return code;
  }
}

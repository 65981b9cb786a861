package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Runs the http request path of a fresh server before its users do: a private imposter on a
 * loopback port, that no API lists, counts or logs, answers a few thousand requests from a client
 * on a background thread, over kept connections and closed ones, so that the JVM has loaded and
 * compiled what a request needs by the time the first real requests come. Without it, the first
 * seconds of load on a new server ran at a fifth of the later rate (bench/imposters.md).
 */
public final class HttpWarmUp {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /**
   * The system property that turns the warm-up on: {@code on} (in the background once the server is
   * ready, as {@code bin/mb} sets it by default), {@code ready} (before the server is ready, until
   * the request path is compiled), or {@code off}, the default, so that the many short-lived
   * servers of a test suite do not pay for it.
   */
  public static final String PROPERTY = "charlatan.warmUp";

  /** The value of {@link #PROPERTY} that makes readiness wait for a whole warm-up. */
  static final String BEFORE_READY = "ready";

  /** Requests over kept connections, then connections closed after one request. */
  static final int KEPT_REQUESTS = 20_000;

  static final int CLOSED_REQUESTS = 2_000;

  /** Requests to an `inject` response, when the server allows injection. */
  static final int INJECTED_REQUESTS = 2_000;

  /** Whatever is left undone after this long is left to the real requests. */
  static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** The system property that sets that limit, in whole seconds (1 to 600). */
  public static final String SECONDS_PROPERTY = "charlatan.warmUp.seconds";

  /**
   * The limit: {@code -Dcharlatan.warmUp.seconds} if given, else {@link #LIMIT_NANOS}.
   *
   * @throws IllegalArgumentException naming the value when it is not a whole number of seconds from
   *     1 to 600
   */
  static long limitNanos(String seconds) {
    if (seconds == null) {
      return LIMIT_NANOS;
    }
    try {
      int value = Integer.parseInt(seconds.trim());
      if (value >= 1 && value <= 600) {
        return TimeUnit.SECONDS.toNanos(value);
      }
    } catch (NumberFormatException e) {
      // Refused below, with the value.
    }
    throw new IllegalArgumentException(
        "-D"
            + SECONDS_PROPERTY
            + "="
            + seconds
            + ": give the warm-up's limit as a whole number of seconds from 1 to 600");
  }

  private HttpWarmUp() {}

  /**
   * Starts the warm-up on a daemon thread, once per JVM, if {@code -Dcharlatan.warmUp=on}. Returns
   * at once: readiness and the first imposters do not wait for it.
   *
   * @return whether this call started it
   */
  public static boolean inBackground() {
    return inBackground(false);
  }

  /**
   * As {@link #inBackground()}; with injection allowed, an {@code inject} response is answered too,
   * so that the JavaScript engine is made and its glue compiled before the first injected request.
   *
   * @param injection whether the server allows injection ({@code --allowInjection})
   * @return whether this call started it
   */
  public static boolean inBackground(boolean injection) {
    return inBackground(injection, HttpWarmUp::startQuiet);
  }

  /**
   * As {@link #inBackground(boolean)}, with the private imposters started by {@code starter}: a
   * server's, so that they take the path its own imposters take (its switches, its kind of log and
   * metrics, with lines and counts of their own that nobody sees). A warm-up on another path leaves
   * the JIT to compile, and undo, the real path under the first real load.
   *
   * @param injection whether the server allows injection ({@code --allowInjection})
   * @param starter starts an imposter of the given creation request, held by no list
   * @return whether this call started it
   */
  public static boolean inBackground(
      boolean injection, java.util.function.Function<ObjectNode, HttpImposter> starter) {
    return startOnce(
        System.getProperty(PROPERTY, "off"),
        () -> run(KEPT_REQUESTS, CLOSED_REQUESTS, injection ? INJECTED_REQUESTS : 0, starter));
  }

  /**
   * Runs the whole warm-up now, once per JVM, if {@code -Dcharlatan.warmUp=ready}: the counts of
   * the background warm-up, then more rounds until the optimizing compiler has gone quiet (at most
   * {@link #LIMIT_NANOS}, or {@code -Dcharlatan.warmUp.seconds}), so that a load that starts when
   * the server is ready runs at its later speed from its first second. A server calls it before it
   * starts listening, and pays for it in start time (2-10 s on two cores, bench/imposters.md).
   *
   * @param injection whether the server allows injection ({@code --allowInjection})
   * @param eachRound what else to run in each round: the calls the server's API will answer (its
   *     first calls loaded classes and took branches that undid the warm-up's compiled code)
   * @param starter starts an imposter of the given creation request, held by no list
   * @return the requests answered; -1 if the setting is not {@code ready} or a warm-up ran before
   * @throws IllegalArgumentException if {@code -Dcharlatan.warmUp.seconds} is not a whole number of
   *     seconds from 1 to 600
   */
  public static int beforeReady(
      boolean injection,
      Runnable eachRound,
      java.util.function.Function<ObjectNode, HttpImposter> starter) {
    return beforeReady(System.getProperty(PROPERTY, "off"), injection, eachRound, starter);
  }

  /** As {@link #beforeReady(boolean, Runnable, java.util.function.Function)}, setting given. */
  static int beforeReady(
      String setting,
      boolean injection,
      Runnable eachRound,
      java.util.function.Function<ObjectNode, HttpImposter> starter) {
    if (!BEFORE_READY.equals(setting)) {
      return -1;
    }
    long limit = limitNanos(System.getProperty(SECONDS_PROPERTY));
    if (!STARTED.compareAndSet(false, true)) {
      return -1;
    }
    return run(
        KEPT_REQUESTS,
        CLOSED_REQUESTS,
        injection ? INJECTED_REQUESTS : 0,
        starter,
        new CompilerTime(),
        eachRound,
        limit);
  }

  /** Whether {@code -Dcharlatan.warmUp=ready}: readiness waits for a whole warm-up. */
  public static boolean isBeforeReady() {
    return BEFORE_READY.equals(System.getProperty(PROPERTY, "off"));
  }

  /** Runs the warm-up on a daemon thread if the setting is {@code on} and none ran before. */
  static boolean startOnce(String setting, Runnable warmUp) {
    if ("on".equals(setting) && STARTED.compareAndSet(false, true)) {
      Thread thread = new Thread(warmUp, "charlatan-http-warm-up");
      thread.setDaemon(true);
      thread.start();
      return true;
    }
    return false;
  }

  /**
   * Starts the private imposters, sends them the requests and stops them: the kept requests over
   * two connections at once (one per I/O thread, as a load test's do) to a stub without predicates
   * that keeps the connection, a tenth as many to a stub with predicates, then the closed ones to a
   * stub that leaves the Connection to the client: the paths a benchmark's requests take.
   *
   * @return how many requests were answered as expected
   */
  static int run(int kept, int closed) {
    return run(kept, closed, 0);
  }

  /** As {@link #run(int, int)}, then {@code injected} requests to an {@code inject} response. */
  static int run(int kept, int closed, int injected) {
    return run(kept, closed, injected, HttpWarmUp::startQuiet);
  }

  /** As {@link #run(int, int, int)}, with the imposters started by {@code starter}. */
  static int run(
      int kept,
      int closed,
      int injected,
      java.util.function.Function<ObjectNode, HttpImposter> starter) {
    return run(kept, closed, injected, starter, null);
  }

  /**
   * As {@link #run(int, int, int, java.util.function.Function)}; then, if {@code compilerMillis} is
   * given, from {@link #READY_CLIENTS} clients at once instead of {@link #BACKGROUND_CLIENTS}, more
   * rounds (a fifth of the kept requests, half the closed ones, a fifth of the injected ones) until
   * the compiler has been quiet for {@link #QUIET_ROUNDS} rounds in a row (see {@link #untilQuiet})
   * or {@link #LIMIT_NANOS} have passed since the start: the counts alone left C2 still compiling
   * the decoder when the first real load came, which then ran at half speed for seconds.
   *
   * @param compilerMillis the JIT's total compilation time so far, in ms; null for the counts only
   */
  static int run(
      int kept,
      int closed,
      int injected,
      java.util.function.Function<ObjectNode, HttpImposter> starter,
      java.util.function.LongSupplier compilerMillis) {
    return run(kept, closed, injected, starter, compilerMillis, () -> {}, LIMIT_NANOS);
  }

  /**
   * As above, running {@code eachRound} at the start of each round, and leaving what is left undone
   * after {@code limit} nanoseconds to the real requests.
   */
  static int run(
      int kept,
      int closed,
      int injected,
      java.util.function.Function<ObjectNode, HttpImposter> starter,
      java.util.function.LongSupplier compilerMillis,
      Runnable eachRound,
      long limit) {
    List<HttpImposter> started = new java.util.ArrayList<>();
    try {
      Targets targets =
          new Targets(
              start(starter, creation(false, "keep-alive"), started),
              start(starter, creation(true, "keep-alive"), started),
              start(starter, creation(false, null), started),
              injected > 0 ? start(starter, injecting(), started) : null,
              eachRound,
              compilerMillis == null ? BACKGROUND_CLIENTS : READY_CLIENTS);
      long deadline = System.nanoTime() + limit;
      int answered = targets.round(kept, closed, injected, deadline);
      if (compilerMillis != null) {
        answered +=
            untilQuiet(
                () -> targets.round(kept / 5, closed / 2, injected / 5, deadline),
                compilerMillis,
                deadline);
      }
      return answered;
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(HttpWarmUp.class).debug("http warm-up could not start", e);
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      started.forEach(HttpImposter::stop);
    }
  }

  /**
   * Compiler time per round, in ms, that always counts as quiet: C2's CPU is read in clock ticks of
   * 10 ms.
   */
  static final long QUIET_MILLIS = 10;

  /** A round is quiet when the compiler ran for at most this share of it (or QUIET_MILLIS). */
  static final int QUIET_SHARE_DIVISOR = 8;

  /** Quiet rounds in a row that end the warm-up. */
  static final int QUIET_ROUNDS = 3;

  /** A round of the warm-up; 0 answered means it cannot go on. */
  interface Round {
    int run() throws InterruptedException;
  }

  /**
   * Runs rounds until the compiler has been quiet for {@link #QUIET_ROUNDS} rounds in a row (it ran
   * for at most an eighth of the round, or {@link #QUIET_MILLIS}: C2 keeps compiling colder methods
   * as their counts grow), a round answers nothing, or the deadline passes.
   *
   * @return the requests the rounds answered
   */
  static int untilQuiet(Round round, java.util.function.LongSupplier compilerMillis, long deadline)
      throws InterruptedException {
    int answered = 0;
    int quiet = 0;
    long before = compilerMillis.getAsLong();
    while (quiet < QUIET_ROUNDS && System.nanoTime() < deadline) {
      long began = System.nanoTime();
      int done = round.run();
      long roundMillis = (System.nanoTime() - began) / 1_000_000;
      if (done == 0) {
        break;
      }
      answered += done;
      long after = compilerMillis.getAsLong();
      long allowed = Math.max(QUIET_MILLIS, roundMillis / QUIET_SHARE_DIVISOR);
      quiet = after - before <= allowed ? quiet + 1 : 0;
      before = after;
    }
    return answered;
  }

  /** The warm-up's imposters; {@code injecting} null without injection. */
  private record Targets(
      HttpImposter plain,
      HttpImposter matching,
      HttpImposter closing,
      HttpImposter injecting,
      Runnable eachRound,
      int connections) {
    /**
     * What {@code eachRound} does, then the kept requests over {@code connections} connections at
     * once, a tenth as many to the stub with predicates, the closed ones from as many clients at
     * once, the injected ones.
     */
    int round(int kept, int closed, int injected, long deadline) throws InterruptedException {
      eachRound.run();
      int answered = parallel(kept, share -> keptAlive(plain, KEPT, share, deadline));
      answered += quietly(() -> keptAlive(matching, MATCHED, kept / 10, deadline));
      answered += parallel(closed, share -> closedEach(closing, share, deadline));
      if (injecting != null && injected > 0) {
        answered += quietly(() -> keptAlive(injecting, KEPT, injected, deadline));
      }
      return answered;
    }

    /**
     * Sends {@code requests} split between {@link #connections} clients at once, one of them on
     * this thread: several connections per I/O thread, so that one wake-up finds several ready, as
     * under a load test's.
     */
    private int parallel(int requests, Share share) throws InterruptedException {
      java.util.concurrent.atomic.AtomicInteger answered =
          new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> others = new java.util.ArrayList<>();
      int each = requests / connections;
      for (int i = 1; i < connections; i++) {
        Thread other =
            new Thread(
                () -> answered.addAndGet(quietly(() -> share.send(each))),
                "charlatan-http-warm-up-" + (i + 1));
        other.setDaemon(true);
        other.start();
        others.add(other);
      }
      int own = requests - (connections - 1) * each;
      answered.addAndGet(quietly(() -> share.send(own)));
      for (Thread other : others) {
        other.join();
      }
      return answered.get();
    }
  }

  /** Sends a client's share of a part of the warm-up; the requests answered. */
  private interface Share {
    int send(int requests) throws IOException;
  }

  private static HttpImposter start(
      java.util.function.Function<ObjectNode, HttpImposter> starter,
      ObjectNode creation,
      List<HttpImposter> started) {
    HttpImposter imposter = starter.apply(creation);
    started.add(imposter);
    return imposter;
  }

  /** An imposter that reports nothing, outside any server. */
  private static HttpImposter startQuiet(ObjectNode creation) {
    return HttpImposter.start(
        creation,
        java.net.InetAddress.getLoopbackAddress().getHostAddress(),
        1,
        ImposterEvents.NONE);
  }

  /** Requests answered by a part of the warm-up; 0 when it stops early. */
  private interface Part {
    int run() throws IOException;
  }

  private static int quietly(Part part) {
    try {
      return part.run();
    } catch (IOException | RuntimeException e) {
      // Only a head start: the real requests do this work themselves then.
      LoggerFactory.getLogger(HttpWarmUp.class).debug("http warm-up stopped", e);
      return 0;
    }
  }

  /** An imposter whose stub's JavaScript answers {@code warm} and keeps the connection. */
  private static ObjectNode injecting() {
    ObjectNode creation = Js.object();
    creation.put("protocol", "http");
    creation.put("host", java.net.InetAddress.getLoopbackAddress().getHostAddress());
    creation
        .putArray("stubs")
        .addObject()
        .putArray("responses")
        .addObject()
        .put(
            "inject",
            "config => ({ statusCode: 200, headers: { Connection: 'keep-alive' }, body: 'warm' })");
    return creation;
  }

  /**
   * An imposter of one stub answering {@code warm}, or, with predicates, a first stub answering
   * {@code /matched} with a 201 before it; the Connection header given, or none.
   */
  private static ObjectNode creation(boolean predicates, String connection) {
    ObjectNode creation = Js.object();
    creation.put("protocol", "http");
    creation.put("host", java.net.InetAddress.getLoopbackAddress().getHostAddress());
    var stubs = creation.putArray("stubs");
    if (predicates) {
      ObjectNode matching = stubs.addObject();
      matching.putArray("predicates").addObject().putObject("equals").put("path", "/matched");
      ObjectNode is = matching.putArray("responses").addObject().putObject("is");
      is.put("statusCode", 201);
      is.putObject("headers").put("Connection", connection);
    }
    ObjectNode rest = stubs.addObject().putArray("responses").addObject().putObject("is");
    rest.put("body", "warm");
    if (connection != null) {
      rest.putObject("headers").put("Connection", connection);
    }
    return creation;
  }

  private static final byte[] KEPT =
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /**
   * Clients at once in the background warm-up: one per I/O thread, light beside the first real load
   * that it runs with.
   */
  static final int BACKGROUND_CLIENTS = 2;

  /**
   * Clients at once in a warm-up before readiness: many connections per I/O thread, as a load
   * test's (with two, the first real load took branches of the event loop that the warm-up had not,
   * which undid its compiled code).
   */
  static final int READY_CLIENTS = 16;

  /** With a body: a request's body takes branches of the decoder that a GET's does not. */
  private static final byte[] MATCHED =
      ("POST /matched?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: warm-up\r\n"
              + "Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"q\": true}")
          .getBytes(StandardCharsets.US_ASCII);

  private static final byte[] CLOSED =
      "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** The end of a chunked body: what the kept stub's answers end with. */
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static int keptAlive(HttpImposter imposter, byte[] request, int requests, long deadline)
      throws IOException {
    InetSocketAddress address =
        new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), imposter.port());
    int answered = 0;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(address, 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (answered < requests && System.nanoTime() < deadline) {
        out.write(request);
        if (!readUntilEnd(in, buffer)) {
          break;
        }
        answered++;
      }
    }
    return answered;
  }

  /** Reads one answer, up to the last chunk; false when the connection closed first. */
  static boolean readUntilEnd(InputStream in, byte[] buffer) throws IOException {
    int filled = 0;
    while (true) {
      int read = in.read(buffer, filled, buffer.length - filled);
      if (read < 0) {
        return false;
      }
      filled += read;
      if (endsWith(buffer, filled, LAST_CHUNK)) {
        return true;
      }
      if (filled == buffer.length) {
        return false;
      }
    }
  }

  private static boolean endsWith(byte[] buffer, int length, byte[] end) {
    if (length < end.length) {
      return false;
    }
    for (int i = 0; i < end.length; i++) {
      if (buffer[length - end.length + i] != end[i]) {
        return false;
      }
    }
    return true;
  }

  private static int closedEach(HttpImposter imposter, int requests, long deadline)
      throws IOException {
    InetSocketAddress address =
        new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), imposter.port());
    int answered = 0;
    byte[] buffer = new byte[4096];
    while (answered < requests && System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.setTcpNoDelay(true);
        socket.connect(address, 1000);
        socket.setSoTimeout(5000);
        socket.getOutputStream().write(CLOSED);
        InputStream in = socket.getInputStream();
        int total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          total += read;
        }
        if (total == 0) {
          break;
        }
        answered++;
      }
    }
    return answered;
  }
}

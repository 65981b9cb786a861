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
   * The system property that turns the warm-up on: {@code on}, as {@code bin/mb} sets it; off by
   * default, so that the many short-lived servers of a test suite do not pay for it.
   */
  public static final String PROPERTY = "charlatan.warmUp";

  /** Requests over kept connections, then connections closed after one request. */
  static final int KEPT_REQUESTS = 20_000;

  static final int CLOSED_REQUESTS = 2_000;

  /** Requests to an `inject` response, when the server allows injection. */
  static final int INJECTED_REQUESTS = 2_000;

  /** Whatever is left undone after this long is left to the real requests. */
  static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(10);

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
    return startOnce(
        System.getProperty(PROPERTY, "off"),
        () -> run(KEPT_REQUESTS, CLOSED_REQUESTS, injection ? INJECTED_REQUESTS : 0));
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
    List<HttpImposter> started = new java.util.ArrayList<>();
    try {
      HttpImposter plain = start(creation(false, "keep-alive"), started);
      HttpImposter matching = start(creation(true, "keep-alive"), started);
      HttpImposter closing = start(creation(false, null), started);
      long deadline = System.nanoTime() + LIMIT_NANOS;
      java.util.concurrent.atomic.AtomicInteger answered =
          new java.util.concurrent.atomic.AtomicInteger();
      Thread second =
          new Thread(
              () -> answered.addAndGet(quietly(() -> keptAlive(plain, KEPT, kept / 2, deadline))),
              "charlatan-http-warm-up-2");
      second.setDaemon(true);
      second.start();
      answered.addAndGet(quietly(() -> keptAlive(plain, KEPT, kept - kept / 2, deadline)));
      second.join();
      answered.addAndGet(quietly(() -> keptAlive(matching, MATCHED, kept / 10, deadline)));
      answered.addAndGet(quietly(() -> closedEach(closing, closed, deadline)));
      if (injected > 0) {
        HttpImposter injecting = start(injecting(), started);
        answered.addAndGet(quietly(() -> keptAlive(injecting, KEPT, injected, deadline)));
      }
      return answered.get();
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

  private static HttpImposter start(ObjectNode creation, List<HttpImposter> started) {
    HttpImposter imposter =
        HttpImposter.start(
            creation,
            java.net.InetAddress.getLoopbackAddress().getHostAddress(),
            1,
            ImposterEvents.NONE);
    started.add(imposter);
    return imposter;
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
    creation.put("port", 0);
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
    creation.put("port", 0);
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

  private static final byte[] MATCHED =
      "GET /matched?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: warm-up\r\n\r\n"
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

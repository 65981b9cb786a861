package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
    return startOnce(
        System.getProperty(PROPERTY, "off"), () -> run(KEPT_REQUESTS, CLOSED_REQUESTS));
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
   * Starts the private imposter, sends it the requests and stops it.
   *
   * @return how many requests were answered as expected
   */
  static int run(int kept, int closed) {
    HttpImposter imposter;
    try {
      imposter =
          HttpImposter.start(
              creation(),
              java.net.InetAddress.getLoopbackAddress().getHostAddress(),
              1,
              ImposterEvents.NONE);
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(HttpWarmUp.class).debug("http warm-up could not start", e);
      return 0;
    }
    long deadline = System.nanoTime() + LIMIT_NANOS;
    int answered = 0;
    try {
      InetSocketAddress address =
          new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), imposter.port());
      answered += keptAlive(address, kept, deadline);
      answered += closedEach(address, closed, deadline);
    } catch (IOException | RuntimeException e) {
      // Only a head start: the real requests do this work themselves then.
      LoggerFactory.getLogger(HttpWarmUp.class).debug("http warm-up stopped", e);
    } finally {
      imposter.stop();
    }
    return answered;
  }

  /** One stub with a predicate, one that answers everything else and keeps the connection. */
  private static ObjectNode creation() {
    ObjectNode creation = Js.object();
    creation.put("protocol", "http");
    creation.put("port", 0);
    var stubs = creation.putArray("stubs");
    ObjectNode matching = stubs.addObject();
    matching.putArray("predicates").addObject().putObject("equals").put("path", "/matched");
    matching.putArray("responses").addObject().putObject("is").put("statusCode", 201);
    ObjectNode rest = stubs.addObject().putArray("responses").addObject().putObject("is");
    rest.put("body", "warm");
    rest.putObject("headers").put("Connection", "keep-alive");
    return creation;
  }

  private static final byte[] KEPT =
      "GET /warm?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: warm-up\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  private static final byte[] CLOSED =
      "GET /matched HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII);

  /** The end of a chunked body: what the kept stub's answers end with. */
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static int keptAlive(InetSocketAddress address, int requests, long deadline)
      throws IOException {
    int answered = 0;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.connect(address, 1000);
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[4096];
      while (answered < requests && System.nanoTime() < deadline) {
        out.write(KEPT);
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

  private static int closedEach(InetSocketAddress address, int requests, long deadline)
      throws IOException {
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

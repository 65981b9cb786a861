package io.charlatan.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The smallest useful HTTP service, started as a child JVM by {@link ProcessSpawnBenchmark}: binds
 * 127.0.0.1 on the port given as its only argument and answers {@code 200 ok} to every request. It
 * prints nothing, so that output handling costs the same however it is started, and runs until it
 * is signalled.
 */
public final class MinimalService {
  private static final byte[] BODY = "ok\n".getBytes(StandardCharsets.US_ASCII);

  private MinimalService() {}

  /**
   * Starts the server and returns; the server's thread keeps the JVM alive.
   *
   * @param args the port to listen on
   * @throws IOException if the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: MinimalService PORT");
    }
    int port = Integer.parseInt(args[0]);
    HttpServer server = HttpServer.create(new InetSocketAddress(loopback(), port), 0);
    server.createContext("/", MinimalService::answer);
    server.start();
  }

  /** 127.0.0.1, without a name lookup. */
  static InetAddress loopback() throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.sendResponseHeaders(200, BODY.length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(BODY);
      }
    }
  }
}

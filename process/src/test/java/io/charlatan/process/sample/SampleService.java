package io.charlatan.process.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP service (JDK {@code HttpServer}) used as the example service under test: {@code
 * GET /health} answers {@code ok}, {@code GET /hello?name=N} answers a greeting. It stops
 * gracefully on SIGTERM.
 *
 * <p>Usage: {@code java io.charlatan.process.sample.SampleService PORT}
 */
public final class SampleService {
  private SampleService() {}

  /**
   * Serves on 127.0.0.1 and the port given as the only argument until terminated.
   *
   * @param args the port
   * @throws IOException if the port cannot be bound
   */
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/health", exchange -> answer(exchange, 200, "ok"));
    server.createContext("/hello", SampleService::hello);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    System.out.println("SampleService listening on port " + port);
  }

  private static void hello(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getQuery();
    if (query == null || !query.startsWith("name=")) {
      answer(
          exchange,
          400,
          "{\"error\":\"query parameter 'name' is required, e.g. /hello?name=Ann\"}");
      return;
    }
    answer(exchange, 200, "{\"greeting\":\"Hello, " + query.substring(5) + "!\"}");
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

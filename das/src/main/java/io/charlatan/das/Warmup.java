package io.charlatan.das;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Runs DAS's HTTP paths once before its port opens, so that its first client does not pay for
 * loading and initialising them: the JDK server's exchange handling and DAS's router (a health
 * check, and a new request refused for want of a token), and DAS's HTTP client as DAS calls its
 * peers (a GET whose answer is read as bytes, as User Management's lookups are; a POST whose answer
 * is discarded, as the outbound workers' deliveries are). Both ends are in this process: a server
 * of its own on a loopback port, stopped afterwards. Nothing is stored and no peer is called; the
 * health check reads Redis ({@code PING}, {@code HLEN}).
 */
final class Warmup {
  private Warmup() {}

  /** Sends the requests to {@code handler} with {@code http}; returns once both are answered. */
  static void run(HttpHandler handler, HttpClient http) throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    HttpServer server = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
    server.createContext("/", handler);
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
      http.sendAsync(
              HttpRequest.newBuilder(base.resolve("/healthz")).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray())
          .join();
      http.sendAsync(
              HttpRequest.newBuilder(base.resolve("/rest/das/requests"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .join();
    } finally {
      server.stop(0);
    }
  }
}

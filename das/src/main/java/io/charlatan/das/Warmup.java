package io.charlatan.das;

import io.charlatan.das.http.DasServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Runs DAS's HTTP paths once before its port opens, so that its first client does not pay for
 * loading and initialising them: DAS's server and router (a health check, and a new request refused
 * for want of a token), and DAS's HTTP client as DAS calls its peers (a GET whose answer is read as
 * bytes, as User Management's lookups are; a POST whose answer is discarded, as the outbound
 * workers' deliveries are). Both ends are in this process: DAS's server listens on a loopback port
 * of its own meanwhile, closed afterwards. Nothing is stored and no peer is called; the health
 * check reads Redis ({@code PING}, {@code HLEN}).
 */
final class Warmup {
  private Warmup() {}

  /** Sends the requests to {@code server} with {@code http}; returns once both are answered. */
  static void run(DasServer server, HttpClient http) throws IOException {
    InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    int port = server.listen(new InetSocketAddress(loopback, 0));
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
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
      server.stopListening();
    }
  }
}

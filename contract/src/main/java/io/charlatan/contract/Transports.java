package io.charlatan.contract;

import com.sun.net.httpserver.HttpHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The transports provided: {@link #http(URI)} over the wire, {@link #inProcess(HttpHandler)} with
 * no socket.
 *
 * <pre>{@code
 * Transport wire = Transports.http(URI.create("http://127.0.0.1:8080")); // e.g. service.url()
 * HttpHandler handler = exchange -> exchange.sendResponseHeaders(204, -1);  // your app's handler
 * Transport local = Transports.inProcess(handler); // no socket
 * }</pre>
 */
public final class Transports {
  private Transports() {}

  /**
   * Over HTTP to a server at this base URL (scheme, host, port; a path there is prefixed to the
   * spec's paths), with a new {@link HttpClient} (HTTP/1.1, 10 s connect timeout).
   *
   * @throws IllegalArgumentException unless the URL is absolute http or https
   */
  public static Transport http(URI baseUrl) {
    return http(
        baseUrl,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build());
  }

  /**
   * Over HTTP with a client of your own.
   *
   * @throws IllegalArgumentException unless the URL is absolute http or https, or if the client is
   *     null
   */
  public static Transport http(URI baseUrl, HttpClient client) {
    return new HttpTransport(baseUrl, client);
  }

  /**
   * In process: each request runs the handler on the caller's thread with an in-memory {@link
   * com.sun.net.httpserver.HttpExchange}, no socket, no server. The handler sees the request as the
   * JDK's HttpServer would give it (context path {@code /}); its exceptions are thrown to the
   * caller.
   *
   * @throws IllegalArgumentException if the handler is null
   */
  public static Transport inProcess(HttpHandler handler) {
    if (handler == null) {
      throw new IllegalArgumentException("handler is null");
    }
    return new InProcessTransport(handler);
  }
}

package io.charlatan.junit.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny data acquisition service, the sample service under test (JDK {@code HttpServer}): {@code
 * POST /rest/das/requests} with {@code {"source": url}} and an Authorization header stores the
 * request as VALIDATED, answers 202 with its id, and asks the downloader ({@code DOWNLOADER_URL})
 * to fetch the source with a callback URL, passing the Authorization header on. {@code GET
 * /rest/das/requests/ID} shows a stored request. It logs a line per request.
 *
 * <p>Usage: {@code java ...AcquisitionService PORT} with {@code DOWNLOADER_URL} and {@code
 * SELF_URL} in the environment.
 */
public final class AcquisitionService {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> STATES = new ConcurrentHashMap<>();
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private AcquisitionService() {}

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
    server.createContext("/rest/das/requests", AcquisitionService::requests);
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
    System.out.println("AcquisitionService listening on port " + port);
  }

  private static void requests(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    System.out.println(exchange.getRequestMethod() + " " + path);
    if (exchange.getRequestMethod().equals("GET")) {
      String id = path.substring(path.lastIndexOf('/') + 1);
      String state = STATES.get(id);
      answer(
          exchange,
          state == null ? 404 : 200,
          state == null ? "{}" : "{\"id\":\"" + id + "\",\"state\":\"" + state + "\"}");
      return;
    }
    String token = exchange.getRequestHeaders().getFirst("Authorization");
    if (token == null) {
      System.out.println("refused: no Authorization header");
      answer(exchange, 401, "{\"error\":\"an Authorization header is required\"}");
      return;
    }
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    String id = String.valueOf(IDS.incrementAndGet());
    STATES.put(id, "VALIDATED");
    String source = request.path("source").asText();
    answer(exchange, 202, "{\"id\":\"" + id + "\",\"state\":\"VALIDATED\"}");
    String callback = System.getenv("SELF_URL") + "/rest/das/callback/downloader/" + id;
    HttpRequest download =
        HttpRequest.newBuilder(
                URI.create(System.getenv("DOWNLOADER_URL") + "/rest/downloader/requests"))
            .header("Authorization", token)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.createObjectNode()
                        .put("source", source)
                        .put("callback", callback)
                        .toString()))
            .build();
    try {
      int status = HTTP.send(download, HttpResponse.BodyHandlers.discarding()).statusCode();
      System.out.println("downloader answered " + status + " for " + id);
      STATES.put(id, "DOWNLOADING");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

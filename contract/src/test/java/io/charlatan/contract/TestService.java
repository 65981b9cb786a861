package io.charlatan.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small DAS and Downloader for the tests: one JDK {@link HttpHandler}, served over a real socket
 * and in process. It misbehaves on purpose when the request asks it to (a title or source naming
 * the fault), so both transports see the same faults.
 */
final class TestService implements HttpHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ObjectNode> requests = new ConcurrentHashMap<>();
  private final AtomicInteger submissions = new AtomicInteger();

  /** Serves the handler on a free loopback port until closed. */
  static Served serve(TestService service) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", service);
    server.start();
    return new Served(server);
  }

  /** A served instance. */
  record Served(HttpServer server) implements AutoCloseable {
    URI url() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  int submissions() {
    return submissions.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    if (path.startsWith("/rest/downloader/")) {
      downloader(exchange, method, path);
      return;
    }
    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
      send(exchange, 401, error("no token"));
      return;
    }
    if (method.equals("POST") && path.equals("/rest/das/requests")) {
      submit(exchange);
    } else if (method.equals("GET") && path.equals("/rest/das/requests")) {
      ArrayNode all = JSON.createArrayNode();
      requests.values().forEach(all::add);
      send(exchange, 200, all.toString());
    } else if (method.equals("GET") && path.startsWith("/rest/das/requests/")) {
      ObjectNode stored = requests.get(path.substring("/rest/das/requests/".length()));
      if (stored == null) {
        send(exchange, 404, error("no such request"));
      } else {
        send(exchange, 200, stored.toString());
      }
    } else {
      send(exchange, 404, error("no route"));
    }
  }

  private void submit(HttpExchange exchange) throws IOException {
    submissions.incrementAndGet();
    JsonNode input;
    try {
      input = JSON.readTree(exchange.getRequestBody());
    } catch (IOException e) {
      send(exchange, 400, error("not JSON"));
      return;
    }
    if (input == null || !input.path("title").isTextual()) {
      send(exchange, 400, error("title is missing"));
      return;
    }
    String title = input.path("title").asText();
    ObjectNode stored = JSON.createObjectNode();
    for (String field : new String[] {"title", "orgUUID", "publicRequest", "source", "category"}) {
      stored.set(field, input.get(field));
    }
    String id = UUID.randomUUID().toString();
    stored.put("state", "VALIDATED").put("id", id);
    stored.putObject("timestamps").put("VALIDATED", 1_700_000_000L);
    switch (title) {
      case "undeclared-status" -> {
        send(exchange, 500, error("boom"));
        return;
      }
      case "bad-state" -> stored.put("state", "WEIRD");
      case "no-id-no-state" -> stored.remove(java.util.List.of("id", "state"));
      case "extra-field" -> stored.put("color", "red");
      case "bad-timestamp" -> stored.putObject("timestamps").put("VALIDATED", "yesterday");
      case "text-body" -> {
        byte[] bytes = "accepted".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(202, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
        return;
      }
      default -> requests.put(id, stored);
    }
    send(exchange, 202, stored.toString());
  }

  private static void downloader(HttpExchange exchange, String method, String path)
      throws IOException {
    if (method.equals("POST") && path.equals("/rest/downloader/requests")) {
      JsonNode input = JSON.readTree(exchange.getRequestBody());
      String source = input.path("source").asText();
      if (!source.contains("no-header")) {
        exchange.getResponseHeaders().set("X-Request-Id", "r-1");
      }
      ObjectNode download = JSON.createObjectNode();
      download.put("id", source.contains("bad-id") ? "not-a-uuid" : UUID.randomUUID().toString());
      download.put("state", "IN_PROGRESS");
      send(exchange, 200, download.toString());
    } else {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    }
  }

  private static String error(String message) {
    return JSON.createObjectNode().put("message", message).toString();
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}

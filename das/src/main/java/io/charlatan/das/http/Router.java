package io.charlatan.das.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * DAS's routing layer: method and path templates ({@code {name}} matches one non-empty segment) to
 * routes; errors become JSON {@code {"error": status, "message": ...}}; nothing escapes as a 500
 * with a stack trace.
 */
final class Router implements HttpHandler {
  /** A route's work: returns the status and JSON body. */
  @FunctionalInterface
  interface Route {
    Answer handle(Exchange exchange) throws IOException, HttpError;
  }

  /** A successful answer. */
  record Answer(int status, Object body, String contentType) {
    static Answer json(int status, Object body) {
      return new Answer(status, body, "application/json");
    }
  }

  private record Entry(String method, List<String> segments, Route route) {}

  private final List<Entry> entries = new ArrayList<>();
  private final ObjectMapper json;
  private final int maxBody;
  private final Consumer<String> errorLog;

  Router(ObjectMapper json, int maxBody, Consumer<String> errorLog) {
    this.json = json;
    this.maxBody = maxBody;
    this.errorLog = errorLog;
  }

  Router add(String method, String template, Route route) {
    entries.add(new Entry(method, List.of(template.substring(1).split("/", -1)), route));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      Answer answer = dispatch(exchange);
      send(exchange, answer.status(), answer.body(), answer.contentType(), Map.of());
    } catch (HttpError e) {
      send(
          exchange, e.status(), error(e.status(), e.getMessage()), "application/json", e.headers());
    } catch (RuntimeException e) {
      errorLog.accept(
          exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
      send(exchange, 500, error(500, "internal error"), "application/json", Map.of());
    } finally {
      exchange.close();
    }
  }

  private ObjectNode error(int status, String message) {
    ObjectNode node = json.createObjectNode();
    node.put("error", status);
    node.put("message", message);
    return node;
  }

  private Answer dispatch(HttpExchange exchange) throws IOException, HttpError {
    String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/", -1);
    boolean pathMatched = false;
    for (Entry entry : entries) {
      List<String> params = match(entry.segments(), path);
      if (params != null) {
        pathMatched = true;
        if (entry.method().equals(exchange.getRequestMethod())) {
          return entry.route().handle(new Exchange(exchange, params, maxBody));
        }
      }
    }
    if (pathMatched) {
      throw new HttpError(405, "method " + exchange.getRequestMethod() + " is not allowed here");
    }
    throw new HttpError(404, "no resource at " + exchange.getRequestURI().getRawPath());
  }

  /**
   * A path segment's text; a '+' stays a '+' (it is a space only in a query). The JDK's server has
   * refused malformed percent-encoding with a 400 before any handler runs.
   */
  private static String decodeSegment(String raw) {
    return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static List<String> match(List<String> template, String[] path) {
    if (template.size() != path.length) {
      return null;
    }
    List<String> params = new ArrayList<>();
    for (int i = 0; i < path.length; i++) {
      if (template.get(i).startsWith("{")) {
        if (path[i].isEmpty()) {
          return null;
        }
        params.add(decodeSegment(path[i]));
      } else if (!template.get(i).equals(path[i])) {
        return null;
      }
    }
    return params;
  }

  private void send(
      HttpExchange exchange,
      int status,
      Object body,
      String contentType,
      Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] bytes = body instanceof byte[] raw ? raw : json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

package io.charlatan.das.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * DAS's routing layer: method and path templates ({@code {name}} matches one non-empty segment) to
 * routes; errors become JSON {@code {"error": status, "message": ...}}; nothing escapes as a 500
 * with a stack trace.
 */
final class Router implements DasHandler {
  /** How long exchanges interrupted at the end of a stop's grace have to answer. */
  private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(1);

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
  private final Set<Thread> inFlight = ConcurrentHashMap.newKeySet();
  private volatile boolean stopping;

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
    inFlight.add(Thread.currentThread());
    try {
      Answer answer;
      Map<String, String> headers = new HashMap<>();
      try {
        if (stopping) {
          headers.put("Retry-After", "1");
          throw new HttpError(503, "DAS is stopping; send the request again (to another instance)");
        }
        answer = dispatch(exchange);
      } catch (HttpError e) {
        answer = new Answer(e.status(), error(e.status(), e.getMessage()), "application/json");
        headers.putAll(e.headers());
      } catch (RuntimeException e) {
        errorLog.accept(
            exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
        answer = new Answer(500, error(500, "internal error"), "application/json");
      }
      if (stopping) {
        headers.put("Connection", "close");
      }
      // A stop that outlasted its grace interrupted this thread (the route gave up on its peer);
      // writing on a socket channel from an interrupted thread would close it, not answer.
      boolean interrupted = Thread.interrupted();
      try {
        send(exchange, answer.status(), answer.body(), answer.contentType(), headers);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    } finally {
      exchange.close();
      inFlight.remove(Thread.currentThread());
      synchronized (inFlight) {
        inFlight.notifyAll();
      }
    }
  }

  @Override
  public void stopTaking() {
    stopping = true;
  }

  @Override
  public boolean awaitIdle(Duration grace) throws InterruptedException {
    boolean inTime = waitForNone(grace);
    if (!inTime) {
      inFlight.forEach(Thread::interrupt);
      waitForNone(AFTER_INTERRUPT);
    }
    return inTime;
  }

  private boolean waitForNone(Duration limit) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("asked to stop waiting for the exchanges in flight");
    }
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (inFlight) {
      while (!inFlight.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(inFlight, left);
      }
    }
    return true;
  }

  private ObjectNode error(int status, String message) {
    ObjectNode node = json.createObjectNode();
    node.put("error", status);
    node.put("message", message);
    return node;
  }

  private Answer dispatch(HttpExchange exchange) throws IOException, HttpError {
    String[] path = exchange.getRequestURI().getRawPath().substring(1).split("/", -1);
    // HEAD is GET without the body (RFC 9110, 9.3.2); send() leaves the body out.
    String method =
        exchange.getRequestMethod().equals("HEAD") ? "GET" : exchange.getRequestMethod();
    boolean pathMatched = false;
    for (Entry entry : entries) {
      List<String> params = match(entry.segments(), path);
      if (params != null) {
        pathMatched = true;
        if (entry.method().equals(method)) {
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
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * DAS's routing layer: method and path templates ({@code {name}} matches one non-empty segment) to
 * routes; errors become JSON {@code {"error": status, "message": ...}}; nothing escapes as a 500
 * with a stack trace.
 */
final class Router extends DasHandler {
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
    try {
      AtomicReference<Reply> reply = new AtomicReference<>();
      serve(
          new Incoming(
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              exchange.getRequestHeaders()::getFirst,
              exchange.getRequestBody()),
          reply::set);
      // A stop that outlasted its grace may have interrupted this thread (the route gave up on its
      // peer); writing on a socket channel from an interrupted thread would close it, not answer.
      // A pool thread's interrupt is cleared before its next task anyway.
      Thread.interrupted();
      send(exchange, reply.get());
    } finally {
      exchange.close();
    }
  }

  @Override
  void serve(Incoming request, Consumer<Reply> deliver) {
    inFlight.add(Thread.currentThread());
    try {
      deliver.accept(reply(request));
    } finally {
      inFlight.remove(Thread.currentThread());
      synchronized (inFlight) {
        inFlight.notifyAll();
      }
    }
  }

  private Reply reply(Incoming request) {
    Map<String, String> headers = new HashMap<>();
    int status;
    String contentType = "application/json";
    byte[] body;
    try {
      if (stopping) {
        headers.put("Retry-After", "1");
        throw new HttpError(503, "DAS is stopping; send the request again (to another instance)");
      }
      Answer answer = dispatch(request);
      body = answer.body() instanceof byte[] raw ? raw : json.writeValueAsBytes(answer.body());
      status = answer.status();
      contentType = answer.contentType();
    } catch (HttpError e) {
      status = e.status();
      body = error(status, e.getMessage());
      headers.putAll(e.headers());
    } catch (IOException | RuntimeException e) {
      errorLog.accept(request.method() + " " + request.uri() + " failed: " + e);
      status = 500;
      body = error(500, "internal error");
    }
    if (stopping) {
      headers.put("Connection", "close");
    }
    headers.put("Content-Type", contentType);
    return new Reply(status, headers, body);
  }

  @Override
  Reply refusal(int status, String message, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    return new Reply(status, all, error(status, message));
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

  /** DAS's JSON error; a JSON node's text is its JSON, with no checked exception to handle. */
  private byte[] error(int status, String message) {
    ObjectNode node = json.createObjectNode();
    node.put("error", status);
    node.put("message", message);
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private Answer dispatch(Incoming request) throws IOException, HttpError {
    String[] path = request.uri().getRawPath().substring(1).split("/", -1);
    // HEAD is GET without the body (RFC 9110, 9.3.2); the server leaves the body out.
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    boolean pathMatched = false;
    for (Entry entry : entries) {
      List<String> params = match(entry.segments(), path);
      if (params != null) {
        pathMatched = true;
        if (entry.method().equals(method)) {
          return entry.route().handle(new Exchange(request, params, maxBody));
        }
      }
    }
    if (pathMatched) {
      throw new HttpError(405, "method " + request.method() + " is not allowed here");
    }
    throw new HttpError(404, "no resource at " + request.uri().getRawPath());
  }

  /**
   * A path segment's text; a '+' stays a '+' (it is a space only in a query). The server has
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

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }
}

package io.charlatan.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Ready when an HTTP GET of a path answers an expected status. Made by {@link
 * Ready#whenHttp(String)}; immutable.
 */
public final class HttpReady implements Ready {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private final String path;
  private final List<Integer> statuses;

  HttpReady(String path, List<Integer> statuses) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "HTTP readiness path (" + path + ") must start with '/', e.g. \"/health\"");
    }
    this.path = path;
    this.statuses = statuses;
  }

  /**
   * The same check, ready only when the status is one of those given.
   *
   * @throws IllegalArgumentException if none is given or one is outside 100..599
   */
  public HttpReady returns(int... expected) {
    if (expected == null || expected.length == 0) {
      throw new IllegalArgumentException("returns(...) needs at least one HTTP status, e.g. 200");
    }
    for (int status : expected) {
      if (status < 100 || status > 599) {
        throw new IllegalArgumentException(
            "HTTP status (" + status + ") must be between 100 and 599");
      }
    }
    return new HttpReady(path, Arrays.stream(expected).boxed().collect(Collectors.toList()));
  }

  @Override
  public boolean isReady(ServiceProbe probe) throws Exception {
    URI uri = URI.create("http://" + ServiceProcess.authority(probe.host(), probe.port()) + path);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
    int status;
    try {
      status = Client.INSTANCE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IOException("GET " + uri + " failed: " + describe(e), e);
    }
    if (statuses.isEmpty() ? status / 100 == 2 : statuses.contains(status)) {
      return true;
    }
    throw new IllegalStateException("GET " + uri + " answered " + status);
  }

  /**
   * The exception and its causes as "type: message", since the JDK's client throws some (a refused
   * connection) without a message of their own.
   */
  private static String describe(Throwable e) {
    StringBuilder text = new StringBuilder();
    for (Throwable t = e; t != null && text.length() < 500; t = t.getCause()) {
      if (text.length() > 0) {
        text.append(" <- ");
      }
      text.append(t.getClass().getName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return text.toString();
  }

  @Override
  public String describe() {
    return "GET " + path + " to answer " + (statuses.isEmpty() ? "2xx" : statuses);
  }

  /** One client per JVM, created on first use: creating one costs tens of milliseconds. */
  private static final class Client {
    static final HttpClient INSTANCE =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(REQUEST_TIMEOUT)
            .build();
  }
}

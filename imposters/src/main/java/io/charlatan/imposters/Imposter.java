package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
import io.charlatan.process.Resettable;
import io.charlatan.process.Running;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A handle on one imposter of a {@link Mountebank}: where it listens, what it received, and a way
 * to wait for requests. Closing it deletes the imposter.
 */
public final class Imposter implements Running, Resettable {
  /** How many of the server's log lines about an imposter {@link #recentOutput()} gives. */
  static final int LOG_LINES = 200;

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final MountebankClient client;
  private final int port;

  Imposter(MountebankClient client, int port) {
    this.client = client;
    this.port = port;
  }

  /** The port the imposter listens on. */
  public int port() {
    return port;
  }

  /**
   * The imposter's name as created, else {@code imposter:<port>}; asks the server, so it names an
   * imposter created elsewhere too.
   */
  @Override
  public String name() {
    String name = state().path("name").asText("");
    return name.isEmpty() ? "imposter:" + port : name;
  }

  /**
   * The imposter server's log lines about this imposter (Mountebank's {@code [http:4545 name]}
   * scope), oldest first, at most the last 200: what it received, which stub answered, errors.
   */
  @Override
  public List<String> recentOutput() {
    String scope = ":" + port;
    return client.logLines(
        message ->
            message.startsWith("[")
                && (message.contains(scope + "]") || message.contains(scope + " ")),
        LOG_LINES);
  }

  /** The imposter's base URL, e.g. {@code http://127.0.0.1:4545}. */
  @Override
  public URI url() {
    return URI.create("http://" + client.imposterHost() + ":" + port);
  }

  /** The imposter as Mountebank's JSON, with recorded requests. */
  public String json() {
    return state().toString();
  }

  /** How many requests it has received, recorded or not. */
  public int numberOfRequests() {
    return state().path("numberOfRequests").asInt();
  }

  /** The recorded requests, oldest first. */
  public List<RecordedRequest> requests() {
    return requestsOf(state());
  }

  /**
   * Waits until at least {@code count} requests were recorded, returning as soon as they are.
   *
   * @return the recorded requests, at least {@code count}
   * @throws RequestsNotReceivedError when the timeout passes first, listing what did arrive
   * @throws IllegalArgumentException for a negative count or a null or negative timeout
   */
  public List<RecordedRequest> waitForRequests(int count, Duration timeout) {
    return waitForRequests(count, timeout, RequestPattern.any());
  }

  /**
   * Waits until at least {@code count} recorded requests match the pattern, returning as soon as
   * they do.
   *
   * @return the matching requests, at least {@code count}
   * @throws RequestsNotReceivedError when the timeout passes first, listing what did arrive and the
   *     closest miss: the request that met the most of the pattern, and what it missed
   * @throws IllegalArgumentException for a negative count, a null or negative timeout, or a null
   *     pattern
   */
  public List<RecordedRequest> waitForRequests(
      int count, Duration timeout, RequestPattern pattern) {
    if (count < 0) {
      throw new IllegalArgumentException("count (" + count + ") must not be negative");
    }
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout (" + timeout + ") must be zero or positive");
    }
    if (pattern == null) {
      throw new IllegalArgumentException("pattern is null: use RequestPattern.any()");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<RecordedRequest> requests = requests();
      List<RecordedRequest> matching = new ArrayList<>();
      requests.stream().filter(pattern::matches).forEach(matching::add);
      if (matching.size() >= count) {
        return matching;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw notReceived(count, timeout, pattern, requests, matching);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  private RequestsNotReceivedError notReceived(
      int count,
      Duration timeout,
      RequestPattern pattern,
      List<RecordedRequest> requests,
      List<RecordedRequest> matching) {
    StringBuilder message =
        new StringBuilder("imposter on port ")
            .append(port)
            .append(" received ")
            .append(matching.size())
            .append(" of the ")
            .append(count)
            .append(" requests expected within ")
            .append(timeout.toMillis())
            .append(" ms (")
            .append(pattern)
            .append(')');
    if (requests.isEmpty()) {
      message
          .append("; nothing arrived: is the service under test pointed at ")
          .append(url())
          .append('?');
    }
    for (RecordedRequest request : requests) {
      message.append("\n  received: ").append(request);
    }
    RecordedRequest closest = null;
    List<String> fewest = null;
    for (RecordedRequest request : requests) {
      List<String> misses = pattern.misses(request);
      if (!misses.isEmpty() && (fewest == null || misses.size() < fewest.size())) {
        closest = request;
        fewest = misses;
      }
    }
    if (closest != null) {
      message
          .append("\n  closest miss: ")
          .append(closest)
          .append(", which lacks: ")
          .append(String.join("; ", fewest));
    }
    return new RequestsNotReceivedError(message.toString(), requests);
  }

  /** Forgets the recorded requests and resets the count. */
  @Override
  public void reset() {
    client.call("DELETE", "/imposters/" + port + "/savedRequests", null);
  }

  /** Deletes the imposter; idempotent. */
  @Override
  public void close() {
    client.call("DELETE", "/imposters/" + port, null);
  }

  private JsonNode state() {
    return client.call("GET", "/imposters/" + port, null);
  }

  private static List<RecordedRequest> requestsOf(JsonNode imposter) {
    List<RecordedRequest> requests = new ArrayList<>();
    imposter.path("requests").forEach(request -> requests.add(RecordedRequest.of(request)));
    return requests;
  }

  @Override
  public String toString() {
    return "Imposter[" + url() + "]";
  }
}

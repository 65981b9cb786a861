package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
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
public final class Imposter implements AutoCloseable {
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

  /** The imposter's base URL, e.g. {@code http://127.0.0.1:4545}. */
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
    if (count < 0) {
      throw new IllegalArgumentException("count (" + count + ") must not be negative");
    }
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout (" + timeout + ") must be zero or positive");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<RecordedRequest> requests = requests();
      if (requests.size() >= count) {
        return requests;
      }
      if (System.nanoTime() - deadline >= 0) {
        StringBuilder message =
            new StringBuilder("imposter on port ")
                .append(port)
                .append(" received ")
                .append(requests.size())
                .append(" of the ")
                .append(count)
                .append(" requests expected within ")
                .append(timeout.toMillis())
                .append(" ms");
        if (requests.isEmpty()) {
          message
              .append("; nothing arrived: is the service under test pointed at ")
              .append(url())
              .append('?');
        }
        for (RecordedRequest request : requests) {
          message.append("\n  received: ").append(request);
        }
        throw new RequestsNotReceivedError(message.toString(), requests);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Forgets the recorded requests and resets the count. */
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

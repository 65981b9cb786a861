package io.charlatan.imposters;

import java.util.List;

/**
 * An imposter did not receive the requests a test expected: too few arrived in time ({@link
 * Imposter#waitForRequests(int, java.time.Duration, RequestPattern)}), or another number than
 * verified ({@link Imposter#verify(int, RequestPattern)}). It reads as a test failure, and its
 * message lists what did arrive and the closest miss.
 */
public class RequestsNotReceivedError extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final transient List<RecordedRequest> received;

  RequestsNotReceivedError(String message, List<RecordedRequest> received) {
    super(message);
    this.received = List.copyOf(received);
  }

  /** The requests that did arrive. */
  public List<RecordedRequest> received() {
    return received;
  }
}

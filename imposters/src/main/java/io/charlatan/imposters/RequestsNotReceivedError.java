package io.charlatan.imposters;

import java.util.List;

/**
 * An imposter did not receive the requests a test waited for. It reads as a test failure and lists
 * what did arrive.
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

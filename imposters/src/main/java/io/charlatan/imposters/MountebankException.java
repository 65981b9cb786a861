package io.charlatan.imposters;

import java.util.List;

/**
 * The Mountebank API refused a request, or could not be reached. Carries the HTTP status and
 * Mountebank's error codes (such as {@code bad data} or {@code no such resource}); the message
 * shows the whole error body.
 */
public class MountebankException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final List<String> codes;

  MountebankException(String message, int status, List<String> codes, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.codes = List.copyOf(codes);
  }

  /** The HTTP status of the answer; 0 when the API could not be reached. */
  public int status() {
    return status;
  }

  /** Mountebank's error codes, in order; empty when the API could not be reached. */
  public List<String> codes() {
    return codes;
  }
}

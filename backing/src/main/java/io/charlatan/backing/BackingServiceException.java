package io.charlatan.backing;

/**
 * A backing service could not be found or started; the message says what was tried and how to fix
 * it.
 */
public final class BackingServiceException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BackingServiceException(String message) {
    super(message);
  }

  BackingServiceException(String message, Throwable cause) {
    super(message, cause);
  }
}

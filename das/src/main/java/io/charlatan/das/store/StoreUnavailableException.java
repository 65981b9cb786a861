package io.charlatan.das.store;

/** Redis could not be reached or answered an error: the request is answered 503. */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

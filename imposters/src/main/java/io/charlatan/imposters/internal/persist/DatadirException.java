package io.charlatan.imposters.internal.persist;

/**
 * A data directory ({@code --datadir}) that cannot be read or written; the message names the file.
 */
public final class DatadirException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  DatadirException(String message) {
    super(message);
  }

  DatadirException(String message, Throwable cause) {
    super(message, cause);
  }
}

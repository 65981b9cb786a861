package io.charlatan.das.config;

/** Thrown at start when a configuration variable is missing or malformed; the message names it. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ConfigException(String message) {
    super(message);
  }

  ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}

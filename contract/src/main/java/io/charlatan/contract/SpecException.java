package io.charlatan.contract;

/** A spec that cannot be loaded: missing, not YAML or JSON, or not a valid OpenAPI/Swagger spec. */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  SpecException(String message) {
    super(message);
  }

  SpecException(String message, Throwable cause) {
    super(message, cause);
  }
}

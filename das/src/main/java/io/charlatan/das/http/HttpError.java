package io.charlatan.das.http;

import java.util.Map;

/** An answer other than success: status, message, extra headers. */
final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final transient Map<String, String> headers;

  HttpError(int status, String message) {
    this(status, message, Map.of());
  }

  HttpError(int status, String message, Map<String, String> headers) {
    super(message);
    this.status = status;
    this.headers = headers;
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }
}

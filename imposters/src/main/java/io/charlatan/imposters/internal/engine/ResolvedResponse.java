package io.charlatan.imposters.internal.engine;

import java.util.List;
import java.util.Map;

/**
 * What an imposter sends for one request: a status, headers in order, a body, and the delay of a
 * {@code wait} behavior; or a fault instead of a response.
 */
final class ResolvedResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final long waitMillis;
  private final String fault;

  ResolvedResponse(
      int status,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      long waitMillis,
      String fault) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.waitMillis = waitMillis;
    this.fault = fault;
  }

  int status() {
    return status;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The body bytes; shared, not copied: callers must not change them. */
  byte[] body() {
    return body;
  }

  long waitMillis() {
    return waitMillis;
  }

  String fault() {
    return fault;
  }

  /** The value of the Connection header the response names, or null. */
  String connectionHeader() {
    for (Map.Entry<String, String> header : headers) {
      if (header.getKey().equalsIgnoreCase("Connection")) {
        return header.getValue();
      }
    }
    return null;
  }

  /**
   * Whether the connection closes after this response: as its Connection header says, or, when it
   * names none, as the client asked (Node's rule).
   */
  boolean closesConnection(boolean clientKeepsAlive) {
    String connection = connectionHeader();
    return connection == null ? !clientKeepsAlive : connection.equalsIgnoreCase("close");
  }
}

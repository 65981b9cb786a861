package io.charlatan.imposters.internal.engine;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;

/**
 * What an imposter sends for one request: a status, headers in order, a body, and the delay of a
 * {@code wait} behavior; or a fault instead of a response. Immutable: a stub's response that needs
 * nothing of the request is resolved once and sent many times.
 */
final class ResolvedResponse {
  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final long waitMillis;
  private final String fault;
  private final String connection;
  private final boolean hasDate;
  private final boolean hasLength;
  private final boolean hasTransferEncoding;
  private volatile HttpHeaders validated;

  ResolvedResponse(
      int status,
      List<Map.Entry<String, String>> headers,
      byte[] body,
      long waitMillis,
      String fault) {
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
    this.waitMillis = waitMillis;
    this.fault = fault;
    String connectionValue = null;
    boolean date = false;
    boolean length = false;
    boolean chunked = false;
    for (Map.Entry<String, String> header : this.headers) {
      String name = header.getKey();
      if (connectionValue == null && name.equalsIgnoreCase("Connection")) {
        connectionValue = header.getValue();
      }
      date |= name.equalsIgnoreCase("Date");
      length |= name.equalsIgnoreCase("Content-Length");
      chunked |= name.equalsIgnoreCase("Transfer-Encoding");
    }
    this.connection = connectionValue;
    this.hasDate = date;
    this.hasLength = length;
    this.hasTransferEncoding = chunked;
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
    return connection;
  }

  /** Whether it names a Date header. */
  boolean hasDate() {
    return hasDate;
  }

  /** Whether it names a Content-Length header. */
  boolean hasLength() {
    return hasLength;
  }

  /** Whether it names a Transfer-Encoding header. */
  boolean hasTransferEncoding() {
    return hasTransferEncoding;
  }

  /**
   * Its headers in order, checked by Netty as each response's headers are (a name that is not a
   * token, a value with a line break); built at the first call, which throws what Netty throws for
   * a header it refuses, as every later call does. Read only: copy them into a response.
   *
   * @throws IllegalArgumentException for a header Netty refuses
   */
  HttpHeaders validatedHeaders() {
    HttpHeaders built = validated;
    if (built == null) {
      built = DefaultHttpHeadersFactory.headersFactory().newHeaders();
      for (Map.Entry<String, String> header : headers) {
        built.add(header.getKey(), header.getValue());
      }
      validated = built;
    }
    return built;
  }

  /**
   * Whether the connection closes after this response: as its Connection header says, or, when it
   * names none, as the client asked (Node's rule).
   */
  boolean closesConnection(boolean clientKeepsAlive) {
    return connection == null ? !clientKeepsAlive : connection.equalsIgnoreCase("close");
  }
}

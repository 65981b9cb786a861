package io.charlatan.imposters.internal.server;

import java.util.List;
import java.util.Map;

/**
 * A request to the Mountebank REST API, independent of how it arrived (over HTTP, or in-process
 * from the Java client).
 *
 * @param method the HTTP method, upper case
 * @param path the path without the query, e.g. {@code /imposters/4545}
 * @param query the query parameters
 * @param host the Host header, used to build absolute links; null if absent
 * @param apiKey the {@code x-api-key} header, or null
 * @param body the body text, empty if none
 * @param headers the other headers that matter to the API (CORS: {@code origin}, {@code
 *     access-control-request-headers}), by lower-case name
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    String host,
    String apiKey,
    String body,
    Map<String, String> headers) {

  /** A request with no other headers. */
  public ApiRequest(
      String method,
      String path,
      Map<String, List<String>> query,
      String host,
      String apiKey,
      String body) {
    this(method, path, query, host, apiKey, body, Map.of());
  }

  /** A header by lower-case name, or null. */
  String header(String name) {
    return headers.get(name);
  }

  /** The first value of a query parameter, or null. */
  String parameter(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Whether a query flag equals "true", ignoring case, as Mountebank reads its flags. */
  boolean flag(String name) {
    return "true".equalsIgnoreCase(parameter(name));
  }
}

package io.charlatan.contract;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as the contract sees it, and as a {@link Transport} sends it.
 *
 * @param method the method in upper case, e.g. {@code POST}
 * @param path the path from the root of the server, base path included, percent-encoded
 * @param query the query parameters by name, decoded; never null
 * @param headers the headers by name; never null
 * @param body the body as text; empty for none, never null
 */
public record ContractRequest(
    String method,
    String path,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    String body) {

  /** Copies the maps, so the request does not change after it is checked. */
  public ContractRequest {
    query = Headers.copy(query);
    headers = Headers.copy(headers);
    body = body == null ? "" : body;
  }

  /** The path with the query string, encoded, as a request line carries it. */
  public String pathAndQuery() {
    return query.isEmpty() ? path : path + "?" + Headers.queryString(query);
  }
}

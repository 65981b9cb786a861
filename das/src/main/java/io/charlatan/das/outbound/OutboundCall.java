package io.charlatan.das.outbound;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A call to a peer recorded in the Redis stream: a POST of {@code body} to {@code url} with the
 * caller's {@code authorization}, on behalf of request {@code requestId} of {@code orgUUID}.
 *
 * @param requestId the acquisition request the call belongs to
 * @param orgUUID its organization; null in a call recorded by a DAS that did not record it
 * @param url where to POST
 * @param body the JSON body
 * @param authorization the caller's Authorization header, passed on byte for byte
 */
public record OutboundCall(
    String requestId, String orgUUID, String url, String body, String authorization) {

  /** The stream entry's fields, alternating names and values. */
  public List<String> fields() {
    return List.of(
        "requestId",
        requestId,
        "orgUUID",
        orgUUID,
        "url",
        url,
        "body",
        body,
        "authorization",
        authorization);
  }

  /** Reads a stream entry written by {@link #fields()}; empty when a field is missing. */
  static Optional<OutboundCall> from(Map<String, String> fields) {
    Map<String, String> f = new HashMap<>(fields);
    if (!f.keySet().containsAll(List.of("requestId", "url", "body", "authorization"))) {
      return Optional.empty();
    }
    return Optional.of(
        new OutboundCall(
            f.get("requestId"),
            f.get("orgUUID"),
            f.get("url"),
            f.get("body"),
            f.get("authorization")));
  }
}

package io.charlatan.imposters;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a {@link Responder} answers: a status, headers and a body. Immutable. */
public final class StubResponse {
  private final int status;
  private final Map<String, String> headers;
  private final String body;

  private StubResponse(int status, Map<String, String> headers, String body) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
  }

  /**
   * A response with this status and body.
   *
   * @throws IllegalArgumentException unless 100 &lt;= status &lt;= 999
   */
  public static StubResponse of(int status, String body) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status (" + status + ") must be between 100 and 999");
    }
    return new StubResponse(status, Map.of(), body == null ? "" : body);
  }

  /** The same response with one more header. */
  public StubResponse withHeader(String name, String value) {
    if (name == null || name.isBlank() || value == null) {
      throw new IllegalArgumentException(
          "header name (" + name + ") and value (" + value + ") are required");
    }
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new StubResponse(status, more, body);
  }

  ObjectNode toIs() {
    ObjectNode is = JsonNodeFactory.instance.objectNode();
    is.put("statusCode", status);
    if (!headers.isEmpty()) {
      ObjectNode json = is.putObject("headers");
      headers.forEach(json::put);
    }
    is.put("body", body);
    return is;
  }
}

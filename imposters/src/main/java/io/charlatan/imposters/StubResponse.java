package io.charlatan.imposters;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link Responder} answers: a status, headers and a body, or a {@link Fault}. Immutable.
 *
 * <pre>{@code
 * StubResponse user = StubResponse.of(200, "{\"id\":7}").withHeader("Content-Type", "application/json");
 * StubResponse reset = StubResponse.fault(Fault.CONNECTION_RESET_BY_PEER);
 * }</pre>
 */
public final class StubResponse {
  private final int status;
  private final Map<String, String> headers;
  private final String body;
  private final Fault fault;

  private StubResponse(int status, Map<String, String> headers, String body, Fault fault) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
    this.fault = fault;
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
    return new StubResponse(status, Map.of(), body == null ? "" : body, null);
  }

  /**
   * No response but a fault: the connection is reset, or garbage is sent before it is closed.
   *
   * @throws IllegalArgumentException if the fault is null
   */
  public static StubResponse fault(Fault fault) {
    if (fault == null) {
      throw new IllegalArgumentException(
          "fault is null: use Fault.CONNECTION_RESET_BY_PEER or Fault.RANDOM_DATA_THEN_CLOSE");
    }
    return new StubResponse(0, Map.of(), "", fault);
  }

  /**
   * The same response with one more header.
   *
   * @throws IllegalArgumentException if the name is null or blank or the value null
   * @throws IllegalStateException on a fault, which sends no headers
   */
  public StubResponse withHeader(String name, String value) {
    if (fault != null) {
      throw new IllegalStateException(
          "a fault (" + fault + ") sends no headers: use StubResponse.of(status, body)");
    }
    if (name == null || name.isBlank() || value == null) {
      throw new IllegalArgumentException(
          "header name (" + name + ") and value (" + value + ") are required");
    }
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new StubResponse(status, more, body, null);
  }

  /** Mountebank's response object: {@code {"is": {...}}}, or {@code {"fault": "..."}}. */
  ObjectNode toResponse() {
    ObjectNode response = JsonNodeFactory.instance.objectNode();
    if (fault != null) {
      return response.put("fault", fault.name());
    }
    ObjectNode is = response.putObject("is");
    is.put("statusCode", status);
    if (!headers.isEmpty()) {
      ObjectNode json = is.putObject("headers");
      headers.forEach(json::put);
    }
    is.put("body", body);
    return response;
  }
}

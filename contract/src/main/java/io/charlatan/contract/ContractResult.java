package io.charlatan.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A response that kept the contract: status, headers and body, as a JSON tree or a record. */
public final class ContractResult {
  private final ContractResponse response;
  private final ObjectMapper json;

  ContractResult(ContractResponse response, ObjectMapper json) {
    this.response = response;
    this.json = json;
  }

  /** The status code. */
  public int status() {
    return response.status();
  }

  /** The headers by lower-case name; never null. */
  public Map<String, List<String>> headers() {
    return response.headers();
  }

  /** The first value of a header, the name matched ignoring case. */
  public Optional<String> header(String name) {
    return Headers.first(response.headers(), name);
  }

  /** The body as text; empty if none. */
  public String bodyText() {
    return response.body();
  }

  /**
   * The body as a JSON tree; a {@link MissingNode} if there is none.
   *
   * @throws IllegalStateException if the body is not JSON
   */
  public JsonNode body() {
    if (response.body().isEmpty()) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(response.body());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "response body is not JSON (" + e.getOriginalMessage() + "): " + abbreviate(), e);
    }
  }

  /**
   * The body mapped to a type of yours, e.g. a record; unknown properties are ignored.
   *
   * @throws IllegalStateException if the body does not map to the type, naming the property
   */
  public <T> T as(Class<T> type) {
    try {
      return json.readValue(response.body(), type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "response body does not map to "
              + type.getName()
              + ": "
              + e.getOriginalMessage()
              + "; body: "
              + abbreviate(),
          e);
    }
  }

  /** The response as the transport returned it. */
  public ContractResponse response() {
    return response;
  }

  private String abbreviate() {
    String body = response.body();
    return body.length() <= 300 ? body : body.substring(0, 300) + "...";
  }

  @Override
  public String toString() {
    return "ContractResult[" + response.status() + " " + abbreviate() + "]";
  }
}

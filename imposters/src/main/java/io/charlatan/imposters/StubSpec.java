package io.charlatan.imposters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stub of an {@link ImposterSpec}: what requests it matches and its responses, cycled in order.
 * Immutable; each method returns a changed copy.
 *
 * <pre>{@code
 * StubSpec user =
 *     StubSpec.on("GET", "/users/7")
 *         .respond(200, "{\"id\":7}")
 *         .withHeader("Content-Type", "application/json");
 * StubSpec flaky = StubSpec.any().respond(503, "").respond(200, "ok"); // 503, 200, 503, ...
 * }</pre>
 */
public final class StubSpec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectNode stub;

  private StubSpec(ObjectNode stub) {
    this.stub = stub;
  }

  /** A stub matching every request. */
  public static StubSpec any() {
    ObjectNode stub = NODES.objectNode();
    stub.putArray("predicates");
    stub.putArray("responses");
    return new StubSpec(stub);
  }

  /** A stub matching requests with this method and path (case-insensitive, as Mountebank). */
  public static StubSpec on(String method, String path) {
    if (method == null || method.isBlank() || path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "method (" + method + ") and path (" + path + ") are required; the path starts with '/'");
    }
    StubSpec stub = any();
    ObjectNode equals = ((ArrayNode) stub.stub.get("predicates")).addObject().putObject("equals");
    equals.put("method", method);
    equals.put("path", path);
    return stub;
  }

  /**
   * With one more predicate, given as Mountebank JSON, e.g. {@code {"contains":{"body":"x"}}}.
   *
   * @throws IllegalArgumentException if the text is not a JSON object
   */
  public StubSpec when(String predicateJson) {
    JsonNode predicate;
    try {
      predicate = predicateJson == null ? null : JSON.readTree(predicateJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "predicate is not valid JSON (" + e.getOriginalMessage() + "): " + predicateJson, e);
    }
    if (predicate == null || !predicate.isObject()) {
      throw new IllegalArgumentException(
          "predicate must be a JSON object such as {\"equals\":{\"path\":\"/\"}}: "
              + predicateJson);
    }
    ObjectNode copy = stub.deepCopy();
    ((ArrayNode) copy.get("predicates")).add(predicate);
    return new StubSpec(copy);
  }

  /** With one more response: this status and body text. */
  public StubSpec respond(int status, String body) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("status (" + status + ") must be between 100 and 999");
    }
    ObjectNode copy = stub.deepCopy();
    ObjectNode is = ((ArrayNode) copy.get("responses")).addObject().putObject("is");
    is.put("statusCode", status);
    is.put("body", body == null ? "" : body);
    return new StubSpec(copy);
  }

  /** With a header on the last response added. */
  public StubSpec withHeader(String name, String value) {
    ObjectNode copy = stub.deepCopy();
    ObjectNode is = (ObjectNode) lastResponse(copy, "withHeader").get("is");
    if (is == null) {
      throw new IllegalStateException("withHeader applies to a response added with respond(...)");
    }
    ObjectNode headers =
        is.has("headers") ? (ObjectNode) is.get("headers") : is.putObject("headers");
    headers.put(name, value);
    return new StubSpec(copy);
  }

  /** With the last response delayed by this many milliseconds (a {@code wait} behavior). */
  public StubSpec withDelay(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("delay (" + millis + " ms) must not be negative");
    }
    ObjectNode copy = stub.deepCopy();
    lastResponse(copy, "withDelay").putArray("behaviors").addObject().put("wait", millis);
    return new StubSpec(copy);
  }

  /**
   * With one more response that is a fault instead of an answer.
   *
   * @throws IllegalArgumentException if the fault is null
   */
  public StubSpec fault(Fault fault) {
    if (fault == null) {
      throw new IllegalArgumentException(
          "fault is null: use Fault.CONNECTION_RESET_BY_PEER or Fault.RANDOM_DATA_THEN_CLOSE");
    }
    ObjectNode copy = stub.deepCopy();
    ((ArrayNode) copy.get("responses")).addObject().put("fault", fault.name());
    return new StubSpec(copy);
  }

  /**
   * With one more response that is a fault, by Mountebank's name: {@code CONNECTION_RESET_BY_PEER}
   * or {@code RANDOM_DATA_THEN_CLOSE}.
   *
   * @throws IllegalArgumentException for any other name
   */
  public StubSpec fault(String fault) {
    for (Fault known : Fault.values()) {
      if (known.name().equals(fault)) {
        return fault(known);
      }
    }
    throw new IllegalArgumentException(
        "fault (" + fault + ") must be CONNECTION_RESET_BY_PEER or RANDOM_DATA_THEN_CLOSE");
  }

  private static ObjectNode lastResponse(ObjectNode stub, String method) {
    ArrayNode responses = (ArrayNode) stub.get("responses");
    if (responses.isEmpty()) {
      throw new IllegalStateException(
          method + " needs a response first: call respond(...) before it");
    }
    return (ObjectNode) responses.get(responses.size() - 1);
  }

  ObjectNode toJson() {
    ObjectNode copy = stub.deepCopy();
    if (copy.get("predicates").isEmpty()) {
      copy.remove("predicates");
    }
    return copy;
  }
}

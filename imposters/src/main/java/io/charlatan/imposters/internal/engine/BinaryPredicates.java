package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/**
 * Predicates of a binary-mode tcp imposter, as Mountebank evaluates them: every string, of the
 * request and of the predicate's expected value, is read as base64 and compared as the text its
 * bytes make (before the case and {@code except} transforms, which then apply as in text mode).
 * {@code matches} and the {@code jsonpath} and {@code xpath} parameters are refused.
 */
final class BinaryPredicates {
  private BinaryPredicates() {}

  /** The request with each of its strings decoded. */
  static JsonNode decodedRequest(JsonNode request) {
    return decoded(request, false);
  }

  /**
   * A leaf predicate (not {@code not}, {@code or}, {@code and}) with its expected value decoded.
   *
   * @throws MbError {@code bad data} for {@code matches}, {@code jsonpath} or {@code xpath}, with
   *     Mountebank's message
   */
  static JsonNode leaf(JsonNode predicate, String operator) {
    for (String selector : new String[] {"jsonpath", "xpath"}) {
      if (Js.truthy(predicate.get(selector))) {
        throw MbError.badData(
            "the " + selector + " predicate parameter is not allowed in binary mode", null);
      }
    }
    if (operator.equals("matches")) {
      throw MbError.badData("the matches predicate is not allowed in binary mode", null);
    }
    JsonNode expected = predicate.get(operator);
    if (expected == null) {
      return predicate;
    }
    ObjectNode copy = predicate.deepCopy();
    // deepEquals turns every value into a string first, so numbers are decoded too.
    copy.set(operator, decoded(expected, operator.equals("deepEquals")));
    return copy;
  }

  private static JsonNode decoded(JsonNode value, boolean everyValue) {
    if (value.isArray()) {
      ArrayNode array = Js.NODES.arrayNode();
      value.forEach(element -> array.add(decoded(element, everyValue)));
      return array;
    }
    if (value.isObject()) {
      ObjectNode object = Js.object();
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        object.set(field.getKey(), decoded(field.getValue(), everyValue));
      }
      return object;
    }
    if (value.isTextual()) {
      return TextNode.valueOf(NodeBase64.decodeToText(value.textValue()));
    }
    if (everyValue) {
      return TextNode.valueOf(NodeBase64.decodeToText(value.isNull() ? "null" : Js.string(value)));
    }
    return value;
  }
}

package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;

/**
 * The predicates a proxy records for a request, from its {@code predicateGenerators}: one predicate
 * per key of each generator's {@code matches}, with the generator's other parameters ({@code
 * caseSensitive}, {@code except}, {@code jsonpath}, ...) copied first. {@code true} gives a {@code
 * deepEquals} of the request's value, an object an {@code equals} of the named sub-keys, {@code
 * predicateOperator} another operator, and {@code ignore} leaves keys out.
 */
final class PredicateGenerators {
  private PredicateGenerators() {}

  static ArrayNode generate(JsonNode generators, JsonNode original) {
    return generate(generators, original, null);
  }

  /**
   * The predicates of a recorded stub; an {@code inject} generator (JavaScript, given the request)
   * runs in the imposter's injection and adds the predicates it returns.
   */
  static ArrayNode generate(
      JsonNode generators,
      JsonNode original,
      io.charlatan.imposters.internal.inject.Injection injection) {
    ArrayNode predicates = Js.NODES.arrayNode();
    // One copy for all generators: as in Mountebank, what one generator ignores is gone for the
    // generators after it.
    JsonNode request = original.deepCopy();
    if (generators == null || !generators.isArray()) {
      return predicates;
    }
    for (JsonNode generator : generators) {
      if (injection != null && Js.truthy(generator.get("inject"))) {
        injection
            .generatePredicates(String.valueOf(Js.string(generator.get("inject"))), request)
            .forEach(predicates::add);
        continue;
      }
      JsonNode matches = generator.get("matches");
      if (matches == null || !matches.isObject()) {
        continue;
      }
      ObjectNode base = Js.object();
      for (Map.Entry<String, JsonNode> field : generator.properties()) {
        if (!List.of("matches", "predicateOperator", "ignore").contains(field.getKey())) {
          base.set(field.getKey(), field.getValue());
        }
      }
      String operator =
          generator.hasNonNull("predicateOperator")
              ? generator.get("predicateOperator").asText()
              : null;
      for (Map.Entry<String, JsonNode> match : matches.properties()) {
        String field = match.getKey();
        ObjectNode predicate = base.deepCopy();
        JsonNode value = request.get(field);
        if (match.getValue().isBoolean() && match.getValue().booleanValue() && operator == null) {
          JsonNode ignore = generator.path("ignore").get(field);
          putDefined(
              predicate.putObject("deepEquals"), field, valueOf(generator, without(value, ignore)));
        } else if ("exists".equals(operator)) {
          predicate.set("exists", existsOf(request));
        } else if (operator != null) {
          predicate.set(operator, valueOf(generator, request));
        } else {
          putDefined(
              predicate.putObject("equals"), field, equalsOf(value, match.getValue(), generator));
        }
        predicates.add(predicate);
      }
    }
    return predicates;
  }

  private static JsonNode equalsOf(JsonNode value, JsonNode matcher, JsonNode generator) {
    if (value == null || !value.isObject() || !matcher.isObject()) {
      return valueOf(generator, value);
    }
    ObjectNode result = Js.object();
    for (Map.Entry<String, JsonNode> key : matcher.properties()) {
      JsonNode sub = value.get(key.getKey());
      putDefined(
          result,
          key.getKey(),
          Js.isObject(sub) ? equalsOf(sub, key.getValue(), generator) : valueOf(generator, sub));
    }
    return result;
  }

  private static JsonNode existsOf(JsonNode request) {
    ObjectNode result = Js.object();
    for (Map.Entry<String, JsonNode> field : request.properties()) {
      result.set(
          field.getKey(),
          field.getValue().isObject() ? existsOf(field.getValue()) : Js.NODES.booleanNode(true));
    }
    return result;
  }

  /** Removes the ignored keys from the value, in place (nested objects name nested keys). */
  private static JsonNode without(JsonNode value, JsonNode ignore) {
    if (ignore == null || value == null || !value.isObject()) {
      return value;
    }
    ObjectNode object = (ObjectNode) value;
    if (ignore.isTextual()) {
      object.remove(ignore.textValue());
    } else if (ignore.isArray()) {
      ignore.forEach(name -> without(object, name));
    } else if (ignore.isObject()) {
      for (Map.Entry<String, JsonNode> nested : ignore.properties()) {
        without(object.get(nested.getKey()), nested.getValue());
      }
    }
    return object;
  }

  /** Sets a key unless the value is undefined (null here), as JSON.stringify drops it. */
  private static void putDefined(ObjectNode object, String key, JsonNode value) {
    if (value != null) {
      object.set(key, value);
    }
  }

  /**
   * The value itself (null when the request has none), or what the generator's jsonpath or xpath
   * selects from it ("" when nothing).
   */
  private static JsonNode valueOf(JsonNode generator, JsonNode value) {
    if (!generator.has("jsonpath") && !generator.has("xpath")) {
      return value;
    }
    if (value == null) {
      return TextNode.valueOf("");
    }
    String text = Js.string(value);
    ObjectNode selectorOnly = Js.object();
    selectorOnly.put("caseSensitive", true);
    if (generator.has("jsonpath")) {
      selectorOnly.set("jsonpath", generator.get("jsonpath"));
    } else {
      selectorOnly.set("xpath", generator.get("xpath"));
    }
    JsonNode parsed;
    try {
      parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      parsed = TextNode.valueOf(text);
    }
    JsonNode selected = Selectors.select(selectorOnly, parsed, text);
    return selected == null ? TextNode.valueOf("") : selected;
  }
}

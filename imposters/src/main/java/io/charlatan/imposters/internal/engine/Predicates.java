package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Mountebank's predicates, evaluated against a request given as a JSON object ({@code method},
 * {@code path}, {@code query}, {@code headers}, {@code body}, ...). Semantics follow Mountebank
 * 2.9.1, quirks included: the first operator key of a predicate object is the only one evaluated;
 * comparisons ignore case unless {@code caseSensitive}; expected objects are subsets of actual
 * ones; a string that parses as JSON is compared field by field; arrays are compared as sets.
 */
public final class Predicates {
  static final List<String> OPERATORS =
      List.of(
          "equals",
          "deepEquals",
          "contains",
          "startsWith",
          "endsWith",
          "matches",
          "exists",
          "not",
          "or",
          "and",
          "inject");

  private static final ObjectMapper PARSER = JsonText.parser();

  private Predicates() {}

  /** The operator Mountebank would evaluate for this predicate object, or null if none. */
  static String operatorOf(JsonNode predicate) {
    if (predicate == null || !predicate.isObject()) {
      return null;
    }
    for (Iterator<String> names = predicate.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (OPERATORS.contains(name)) {
        return name;
      }
    }
    return null;
  }

  /**
   * Whether the request satisfies the predicate.
   *
   * @throws MbError {@code bad data} for a predicate without a known operator, or an invalid
   *     regular expression; {@code invalid injection} for {@code inject}
   */
  public static boolean evaluate(JsonNode predicate, JsonNode request) {
    return evaluate(predicate, new Request(request));
  }

  /**
   * Whether the request of a tcp imposter satisfies the predicate; in binary mode (base64 data),
   * strings are compared as what they decode to, as Mountebank does.
   *
   * @throws MbError as {@link #evaluate(JsonNode, JsonNode)}, and {@code bad data} for {@code
   *     matches}, {@code jsonpath} or {@code xpath} in binary mode
   */
  static boolean evaluate(JsonNode predicate, JsonNode request, boolean binary) {
    return evaluate(predicate, new Request(request, binary));
  }

  /**
   * A request being matched, with the normalized forms already computed: stubs share them, so a
   * request that meets a hundred stubs is lower-cased once per kind of predicate, not a hundred
   * times.
   */
  static final class Request {
    private final JsonNode json;
    private final JsonNode original;
    private final boolean binary;
    private final io.charlatan.imposters.internal.inject.Injection injection;
    private final Map<String, JsonNode> normalized = new java.util.HashMap<>();

    Request(JsonNode json) {
      this(json, false);
    }

    /**
     * A request of a tcp imposter; in binary mode its strings are base64 and predicates compare
     * what they decode to ({@link BinaryPredicates}).
     */
    Request(JsonNode json, boolean binary) {
      this(json, binary, null);
    }

    /**
     * A request of an imposter whose {@code inject} predicates run in this injection (null where
     * injection is not allowed: they are then refused).
     */
    Request(
        JsonNode json, boolean binary, io.charlatan.imposters.internal.inject.Injection injection) {
      this.json = binary ? BinaryPredicates.decodedRequest(json) : json;
      this.original = json;
      this.binary = binary;
      this.injection = injection;
    }

    JsonNode json() {
      return json;
    }

    JsonNode normalized(String key, java.util.function.Supplier<JsonNode> compute) {
      JsonNode known = normalized.get(key);
      if (known == null) {
        known = compute.get();
        normalized.put(key, known);
      }
      return known;
    }
  }

  static boolean evaluate(JsonNode predicate, Request request) {
    String operator = operatorOf(predicate);
    if (operator == null) {
      throw MbError.badData("missing predicate", predicate);
    }
    if (request.binary && !List.of("not", "or", "and", "inject").contains(operator)) {
      predicate = BinaryPredicates.leaf(predicate, operator);
    }
    return switch (operator) {
      case "not" -> !evaluate(predicate.get("not"), request);
      case "or" -> anyOf(predicate.get("or"), request);
      case "and" -> allOf(predicate.get("and"), request);
      case "inject" -> {
        if (request.injection == null) {
          throw MbError.invalidInjection(
              "JavaScript injection is not allowed unless mb is run with the --allowInjection flag",
              predicate);
        }
        // As given: a tcp imposter's function sees the base64 of binary data, as in Mountebank.
        yield request.injection.predicate(
            String.valueOf(Js.string(predicate.get("inject"))), request.original);
      }
      case "deepEquals" -> deepEquals(predicate, request);
      case "matches" -> matches(predicate, request);
      default -> compare(operator, predicate, request);
    };
  }

  private static boolean anyOf(JsonNode predicates, Request request) {
    for (JsonNode sub : iterable(predicates)) {
      if (evaluate(sub, request)) {
        return true;
      }
    }
    return false;
  }

  private static boolean allOf(JsonNode predicates, Request request) {
    for (JsonNode sub : iterable(predicates)) {
      if (!evaluate(sub, request)) {
        return false;
      }
    }
    return true;
  }

  private static Iterable<JsonNode> iterable(JsonNode array) {
    if (array == null || !array.isArray()) {
      throw MbError.typeError("'or' and 'and' predicates take an array of predicates", array);
    }
    return array;
  }

  private static boolean compare(String operator, JsonNode predicate, Request request) {
    Config config = Config.of(predicate);
    JsonNode expected = normalize(predicate.get(operator), config, false);
    JsonNode actual =
        request.normalized("compare" + config.key(), () -> normalize(request.json(), config, true));
    BiPredicate<JsonNode, JsonNode> test = operatorFunction(operator);
    return satisfied(expected, actual, config, test);
  }

  private static BiPredicate<JsonNode, JsonNode> operatorFunction(String operator) {
    return switch (operator) {
      case "equals" ->
          (expected, actual) -> {
            String left = Js.string(expected);
            String right = Js.string(actual);
            return left == null ? right == null : left.equals(right);
          };
      case "contains" -> (expected, actual) -> indexOf(actual, expected, 0) >= 0;
      case "startsWith" -> (expected, actual) -> indexOf(actual, expected, 0) == 0;
      case "endsWith" ->
          (expected, actual) -> {
            if (!expected.isTextual()) {
              // JavaScript: a non-string has no length, so the search starts at 0.
              return indexOf(actual, expected, 0) >= 0;
            }
            String text = Js.string(actual);
            return text != null && text.endsWith(expected.textValue());
          };
      case "exists" ->
          (expected, actual) -> {
            boolean present =
                actual != null && !(actual.isTextual() && actual.textValue().isEmpty());
            return Js.truthy(expected) == present;
          };
      default -> throw new IllegalArgumentException(operator);
    };
  }

  /**
   * JavaScript's {@code actual.indexOf(expected)} on a string; -1 for anything else (the operators
   * see one array element at a time).
   */
  private static int indexOf(JsonNode actual, JsonNode expected, int from) {
    String needle = Js.string(expected);
    if (actual == null || !actual.isTextual() || needle == null) {
      return -1;
    }
    return actual.textValue().indexOf(needle, from);
  }

  private static boolean matches(JsonNode predicate, Request request) {
    boolean caseSensitive = Js.truthy(predicate.get("caseSensitive"));
    // Values keep their case so that regular expressions stay intact (\W, \S); keys follow
    // the predicate's case sensitivity, and the match itself ignores case unless told not to.
    Config actualConfig =
        new Config(false, !caseSensitive, exceptPattern(predicate, true), predicate);
    Config expectedConfig = new Config(false, !caseSensitive, null, predicate);
    JsonNode expected = normalize(predicate.get("matches"), expectedConfig, false);
    JsonNode actual =
        request.normalized(
            "matches" + actualConfig.key(), () -> normalize(request.json(), actualConfig, true));
    int flags = caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    return satisfied(
        expected,
        actual,
        actualConfig,
        (regex, value) -> {
          String text = Js.string(value);
          try {
            return Pattern.compile(String.valueOf(Js.string(regex)), flags)
                .matcher(String.valueOf(text))
                .find();
          } catch (PatternSyntaxException e) {
            throw MbError.typeError("invalid regular expression: " + e.getDescription(), predicate);
          }
        });
  }

  private static boolean deepEquals(JsonNode predicate, Request request) {
    Config config = Config.of(predicate);
    JsonNode expected = normalize(forceStrings(predicate.get("deepEquals")), config, false);
    JsonNode actual =
        request.normalized(
            "deep" + config.key(), () -> normalize(forceStrings(request.json()), config, true));
    for (String key : Js.keys(expected)) {
      JsonNode expectedValue = Js.property(expected, key);
      JsonNode actualValue = Js.property(actual, key);
      if (Js.isObject(expectedValue) && actualValue != null && actualValue.isTextual()) {
        actualValue =
            normalize(forceStrings(tryJson(actualValue.textValue(), config)), config, false);
      }
      if (!Js.stableStringify(expectedValue).equals(Js.stableStringify(actualValue))) {
        return false;
      }
    }
    return true;
  }

  private static JsonNode forceStrings(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isNull()) {
      return TextNode.valueOf("null");
    }
    if (value.isArray()) {
      ArrayNode result = Js.NODES.arrayNode();
      value.forEach(element -> result.add(forceStrings(element)));
      return result;
    }
    if (value.isObject()) {
      ObjectNode result = Js.object();
      value.properties().forEach(e -> result.set(e.getKey(), forceStrings(e.getValue())));
      return result;
    }
    return TextNode.valueOf(Js.string(value));
  }

  private static boolean satisfied(
      JsonNode expected, JsonNode actual, Config config, BiPredicate<JsonNode, JsonNode> test) {
    if (!Js.truthy(actual)) {
      return false;
    }
    if (actual.isTextual()) {
      actual = tryJson(actual.textValue(), config);
    }
    for (String key : Js.keys(expected)) {
      JsonNode expectedValue = Js.property(expected, key);
      JsonNode actualValue = Js.property(actual, key);
      boolean ok;
      if (expectedValue.isArray() && actualValue != null && actualValue.isArray()) {
        ok = true;
        for (JsonNode one : expectedValue) {
          if (!anyMatches(one, actualValue, config, test)) {
            ok = false;
            break;
          }
        }
      } else if (actualValue != null && actualValue.isArray()) {
        ok =
            (config.exists && Js.truthy(expectedValue))
                || anyMatches(expectedValue, actualValue, config, test);
      } else if (!expectedValue.isArray() && actualValue == null && actual.isArray()) {
        // Predates array syntax: {equals: {examples: {key: 'third'}}} matches any element.
        ok = anyMatches(expected, actual, config, test);
        return ok;
      } else if (Js.isObject(expectedValue)) {
        ok = satisfied(expectedValue, actualValue, config, test);
      } else {
        ok = testOne(expectedValue, actualValue, config, test);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyMatches(
      JsonNode expected,
      JsonNode actualArray,
      Config config,
      BiPredicate<JsonNode, JsonNode> test) {
    for (JsonNode actual : actualArray) {
      if (testOne(expected, actual, config, test)) {
        return true;
      }
    }
    return false;
  }

  private static boolean testOne(
      JsonNode expected, JsonNode actual, Config config, BiPredicate<JsonNode, JsonNode> test) {
    JsonNode value = actual == null ? TextNode.valueOf("") : actual;
    if (Js.isObject(expected)) {
      return satisfied(expected, value, config, test);
    }
    return test.test(expected, value);
  }

  /** Parses JSON text and applies key and value case transforms; text that is not JSON stays. */
  private static JsonNode tryJson(String text, Config config) {
    JsonNode parsed;
    try {
      parsed = PARSER.readTree(text);
    } catch (JsonProcessingException notJson) {
      return TextNode.valueOf(text);
    }
    if (parsed == null || parsed.isMissingNode()) {
      return TextNode.valueOf(text);
    }
    return transform(parsed, config, false, false);
  }

  private static JsonNode normalize(JsonNode value, Config config, boolean withSelectors) {
    if (value == null) {
      return null;
    }
    return transform(value, config, withSelectors, true);
  }

  private static JsonNode transform(
      JsonNode value, Config config, boolean withSelectors, boolean sortArrays) {
    if (value.isArray()) {
      ArrayNode result = Js.NODES.arrayNode();
      for (JsonNode element : value) {
        JsonNode transformed = transform(element, config, withSelectors, sortArrays);
        result.add(transformed == null ? Js.NODES.nullNode() : transformed);
      }
      return sortArrays ? Js.sort(result) : result;
    }
    if (value.isObject()) {
      ObjectNode result = Js.object();
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        String key = config.lowerKeys ? Js.lower(field.getKey()) : field.getKey();
        JsonNode transformed = transform(field.getValue(), config, withSelectors, sortArrays);
        if (transformed != null) {
          result.set(key, transformed);
        } else {
          result.remove(key);
        }
      }
      return result;
    }
    if (value.isTextual()) {
      String text = value.textValue();
      if (config.lowerValues) {
        text = Js.lower(text);
      }
      if (config.except != null) {
        text = config.except.matcher(text).replaceAll("");
      }
      if (withSelectors && config.hasSelector()) {
        return Selectors.select(config.predicate, tryJson(text, config), text);
      }
      return TextNode.valueOf(text);
    }
    return value;
  }

  private static Pattern exceptPattern(JsonNode predicate, boolean caseSensitive) {
    JsonNode except = predicate.get("except");
    if (except == null || !Js.truthy(except)) {
      return null;
    }
    try {
      return Pattern.compile(
          Js.string(except), caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    } catch (PatternSyntaxException e) {
      throw MbError.typeError(
          "invalid regular expression in except: " + e.getDescription(), predicate);
    }
  }

  /** How a predicate normalizes values before comparing. */
  static final class Config {
    final boolean lowerValues;
    final boolean lowerKeys;
    final Pattern except;
    final JsonNode predicate;
    final boolean exists;

    Config(boolean lowerValues, boolean lowerKeys, Pattern except, JsonNode predicate) {
      this.lowerValues = lowerValues;
      this.lowerKeys = lowerKeys;
      this.except = except;
      this.predicate = predicate;
      this.exists = predicate.has("exists");
    }

    static Config of(JsonNode predicate) {
      boolean caseSensitive = Js.truthy(predicate.get("caseSensitive"));
      JsonNode keyCaseSensitive = predicate.get("keyCaseSensitive");
      boolean keysExplicitlyInsensitive =
          keyCaseSensitive != null
              && keyCaseSensitive.isBoolean()
              && !keyCaseSensitive.booleanValue();
      boolean lowerKeys = keysExplicitlyInsensitive || !caseSensitive;
      return new Config(
          !caseSensitive, lowerKeys, exceptPattern(predicate, caseSensitive), predicate);
    }

    boolean hasSelector() {
      return predicate.has("jsonpath") || predicate.has("xpath");
    }

    /** What decides how this config normalizes a request. */
    String key() {
      StringBuilder key = new StringBuilder();
      key.append(lowerValues).append('|').append(lowerKeys).append('|');
      if (except != null) {
        key.append(except.flags()).append(':').append(except.pattern());
      }
      if (hasSelector()) {
        key.append('|')
            .append(predicate.get("jsonpath"))
            .append(predicate.get("xpath"))
            .append(predicate.get("caseSensitive"))
            .append(predicate.get("keyCaseSensitive"));
      }
      return key.toString();
    }
  }
}

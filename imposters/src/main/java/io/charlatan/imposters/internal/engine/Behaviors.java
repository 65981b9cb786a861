package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Behaviors that change a response, run in their array order: {@code wait} (a delay), {@code copy}
 * (a value selected from the request replaces a token in the response) and {@code lookup} (a CSV
 * row found by a value of the request replaces tokens), and with {@code --allowInjection} {@code
 * decorate} (JavaScript), {@code shellTransform} (a command) and function-valued {@code wait}.
 */
final class Behaviors {
  private Behaviors() {}

  /** The behaviors of a response as a list, accepting the array and the older object form. */
  static List<JsonNode> of(JsonNode response) {
    // A _behaviors left after the upcast (beside repeat or behaviors) is ignored, as in mb.
    List<JsonNode> behaviors = new ArrayList<>();
    JsonNode value = response.get("behaviors");
    if (value != null && value.isArray()) {
      value.forEach(behaviors::add);
    } else if (value != null && value.isObject()) {
      behaviors.add(value);
    }
    return behaviors;
  }

  static long waitMillis(JsonNode response) {
    long total = 0;
    for (JsonNode behavior : of(response)) {
      JsonNode wait = behavior.get("wait");
      if (wait != null && wait.isNumber()) {
        total += Math.max(0, wait.longValue());
      }
    }
    return total;
  }

  /** Validation errors of a response's behaviors, as Mountebank reports them. */
  static List<MbError> validate(JsonNode response) {
    List<MbError> errors = new ArrayList<>();
    for (JsonNode behavior : of(response)) {
      if (!behavior.isObject()) {
        errors.add(MbError.badData("each behavior must be an object", behavior));
        continue;
      }
      errors.addAll(BehaviorSpecs.validate(behavior));
    }
    return errors;
  }

  /**
   * Whether a response has a behavior that runs injected code: {@code decorate}, {@code
   * shellTransform}, or a {@code wait} given as a string (a function, or a number as text).
   */
  static boolean scripted(JsonNode response) {
    for (JsonNode behavior : of(response)) {
      JsonNode wait = behavior.get("wait");
      if (behavior.has("decorate")
          || behavior.has("shellTransform")
          || (wait != null && wait.isTextual())) {
        return true;
      }
    }
    return false;
  }

  /** A response after its behaviors, and how long to wait before sending it. */
  record Transformed(JsonNode response, long waitMillis) {}

  /**
   * Runs every behavior of a response in its order, as Mountebank does: {@code copy} and {@code
   * lookup}, {@code decorate} and {@code shellTransform} change the response, {@code wait} adds to
   * the delay. Without injected code it completes at once.
   *
   * @param result the response to transform (an {@code is}, what a proxy or an injection gave);
   *     copied first
   * @param injection the imposter's injection, for decorate, shellTransform and function waits
   */
  static java.util.concurrent.CompletableFuture<Transformed> execute(
      JsonNode response,
      JsonNode result,
      JsonNode request,
      io.charlatan.imposters.internal.inject.Injection injection) {
    if (!scripted(response)) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          new Transformed(apply(response, result, request), waitMillis(response)));
    }
    java.util.concurrent.CompletableFuture<JsonNode> chain =
        java.util.concurrent.CompletableFuture.completedFuture(result.deepCopy());
    long[] wait = {0};
    for (JsonNode behavior : of(response)) {
      JsonNode delay = behavior.get("wait");
      JsonNode decorate = behavior.get("decorate");
      JsonNode shell = behavior.get("shellTransform");
      if (delay != null && delay.isNumber()) {
        wait[0] += Math.max(0, delay.longValue());
      } else if (delay != null && delay.isTextual()) {
        chain =
            chain.thenApply(
                current -> {
                  wait[0] += injection.waitMillis(delay.textValue());
                  return current;
                });
      } else if (decorate != null && decorate.isTextual()) {
        chain =
            chain.thenApply(current -> injection.decorate(decorate.textValue(), request, current));
      } else if (shell != null && shell.isTextual()) {
        chain =
            chain.thenCompose(
                current -> injection.shellTransform(shell.textValue(), request, current));
      } else {
        chain =
            chain.thenApply(
                current -> {
                  if (current.isObject()) {
                    applyOne(behavior, (ObjectNode) current, request);
                  }
                  return current;
                });
      }
    }
    return chain.thenApply(transformed -> new Transformed(transformed, wait[0]));
  }

  /** Applies copy and lookup to a copy of the {@code is} response, in order. */
  static JsonNode apply(JsonNode response, JsonNode is, JsonNode request) {
    List<JsonNode> behaviors = of(response);
    if (behaviors.isEmpty() || !is.isObject()) {
      return is;
    }
    ObjectNode result = (ObjectNode) is.deepCopy();
    for (JsonNode behavior : behaviors) {
      applyOne(behavior, result, request);
    }
    return result;
  }

  private static void applyOne(JsonNode behavior, ObjectNode result, JsonNode request) {
    JsonNode copy = behavior.get("copy");
    if (copy != null && copy.isObject()) {
      List<String> values = select(copy, request);
      replace(result, token -> replaceIndexed(token, Js.string(copy.get("into")), values));
    }
    JsonNode lookup = behavior.get("lookup");
    if (lookup != null && lookup.isObject()) {
      List<String> keys = select(lookup.get("key"), request);
      int index = lookup.path("key").path("index").asInt(0);
      // Without a key there, Mountebank compares the key column with String(undefined).
      Map<String, String> row =
          csvRow(
              lookup.path("fromDataSource").path("csv"),
              index >= 0 && index < keys.size() ? keys.get(index) : "undefined");
      String into = Js.string(lookup.get("into"));
      replace(result, text -> replaceColumns(text, into, row));
    }
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper PARSER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  /** The values selected from the request field named by {@code from}, as copy and lookup do. */
  private static List<String> select(JsonNode config, JsonNode request) {
    JsonNode value = from(request, config.get("from"));
    String text = value == null ? null : Js.string(value);
    JsonNode using = config.get("using");
    String method = Js.string(using.get("method"));
    String selector = Js.string(using.get("selector"));
    List<String> values = new ArrayList<>();
    if (text == null) {
      return values;
    }
    switch (String.valueOf(method)) {
      case "regex" -> {
        int flags = 0;
        if (Js.truthy(using.path("options").get("ignoreCase"))) {
          flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
        }
        if (Js.truthy(using.path("options").get("multiline"))) {
          flags |= Pattern.MULTILINE;
        }
        try {
          Matcher matcher = Pattern.compile(selector, flags).matcher(text);
          if (matcher.find()) {
            for (int i = 0; i <= matcher.groupCount(); i++) {
              // Mountebank replaces with split/join: joining with an undefined group uses ",".
              values.add(matcher.group(i) == null ? "," : matcher.group(i));
            }
          }
        } catch (PatternSyntaxException e) {
          throw MbError.badData(
              "invalid regular expression in copy: " + e.getDescription(), config);
        }
      }
      case "jsonpath" -> {
        JsonNode parsed = parseOrNull(text);
        if (parsed != null) {
          try {
            for (JsonNode node : Selectors.JsonPath.select(selector, parsed, config)) {
              // String(value) in JavaScript: JSON null reads "null".
              values.add(
                  node.isTextual() ? node.textValue() : node.isNull() ? "null" : Js.string(node));
            }
          } catch (MbError malformed) {
            // Mountebank selects nothing with a selector it cannot use.
            values.clear();
          }
        }
      }
      default -> {
        List<JsonNode> nodes =
            Selectors.XPathSelect.select(selector, using.get("ns"), text, config, true);
        if (nodes != null) {
          nodes.forEach(node -> values.add(Js.string(node)));
        }
      }
    }
    return values;
  }

  private static JsonNode from(JsonNode request, JsonNode from) {
    if (request == null || from == null) {
      return null;
    }
    if (from.isObject() && from.size() > 0) {
      Map.Entry<String, JsonNode> first = from.properties().iterator().next();
      return from(Js.property(request, first.getKey()), first.getValue());
    }
    String name = Js.string(from);
    for (String key : Js.keys(request)) {
      if (key.equalsIgnoreCase(name)) {
        JsonNode value = request.get(key);
        return value != null && value.isArray() ? value.get(0) : value;
      }
    }
    return null;
  }

  private static JsonNode parseOrNull(String text) {
    try {
      JsonNode parsed = PARSER.readTree(text);
      return parsed == null || parsed.isMissingNode() ? null : parsed;
    } catch (IOException notJson) {
      return null;
    }
  }

  private static String replaceIndexed(String text, String token, List<String> values) {
    String result = text;
    for (int i = 0; i < values.size(); i++) {
      result = result.replace(token + "[" + i + "]", values.get(i));
    }
    if (!values.isEmpty()) {
      result = result.replace(token, values.get(0));
    }
    return result;
  }

  private static String replaceColumns(String text, String token, Map<String, String> row) {
    String result = text;
    for (Map.Entry<String, String> column : row.entrySet()) {
      for (String quote : List.of("\"", "'", "")) {
        result =
            result.replace(token + "[" + quote + column.getKey() + quote + "]", column.getValue());
      }
    }
    return result;
  }

  /**
   * Replaces in every string and every key of the response, at any depth. As mb does it: values in
   * place, then each renamed key (in the order met) set under its new name, which keeps the place
   * of a key already there and else goes last, and removed under its old one.
   */
  private static void replace(JsonNode node, java.util.function.UnaryOperator<String> replacer) {
    if (node.isObject()) {
      ObjectNode object = (ObjectNode) node;
      Map<String, String> renames = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          field.setValue(TextNode.valueOf(replacer.apply(value.textValue())));
        } else {
          replace(value, replacer);
        }
        String renamed = replacer.apply(field.getKey());
        if (!renamed.equals(field.getKey())) {
          renames.put(field.getKey(), renamed);
        }
      }
      renames.forEach((key, renamed) -> object.set(renamed, object.remove(key)));
    } else if (node.isArray()) {
      ArrayNode array = (ArrayNode) node;
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, TextNode.valueOf(replacer.apply(array.get(i).textValue())));
        } else {
          replace(array.get(i), replacer);
        }
      }
    }
  }

  /** The first row whose key column equals the key; empty when none or the file is unreadable. */
  private static Map<String, String> csvRow(JsonNode csv, String key) {
    String path = Js.string(csv.get("path"));
    String delimiter = csv.hasNonNull("delimiter") ? csv.get("delimiter").asText() : ",";
    String keyColumn = Js.string(csv.get("keyColumn"));
    List<List<String>> rows;
    try {
      rows = Csv.parse(Files.readString(Path.of(path), StandardCharsets.UTF_8), delimiter);
    } catch (IOException | RuntimeException unreadable) {
      return Map.of();
    }
    if (rows.isEmpty() || !rows.get(0).contains(keyColumn)) {
      return Map.of();
    }
    List<String> headers = rows.get(0);
    for (List<String> row : rows.subList(1, rows.size())) {
      Map<String, String> values = new LinkedHashMap<>();
      for (int i = 0; i < headers.size() && i < row.size(); i++) {
        values.put(headers.get(i), row.get(i));
      }
      if (key.equals(values.get(keyColumn))) {
        return values;
      }
    }
    return Map.of();
  }
}

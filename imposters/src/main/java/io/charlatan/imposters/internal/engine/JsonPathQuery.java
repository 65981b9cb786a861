package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;

/**
 * JSONPath as Mountebank 2.9.1 evaluates it (with the jsonpath-plus library): child and descendant
 * names, {@code *}, bracketed names and indexes, unions of indexes, slices, {@code length}, script
 * indexes such as {@code (@.length-1)} and filters such as {@code ?(@.price < 10 && @.tag)}. A
 * selector it cannot read selects nothing, as there (no error), and so do negative indexes ({@code
 * [-1]}: use {@code [-1:]}) and indexes written with spaces.
 */
final class JsonPathQuery {
  private final String path;
  private int at;

  private JsonPathQuery(String path) {
    this.path = path;
  }

  /** Thrown for what the selector cannot mean; the selection is then empty. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable() {
      super(null, null, false, false);
    }
  }

  /** The nodes the selector picks in the document, in document order; empty if none. */
  static List<JsonNode> select(String selector, JsonNode root) {
    String path = selector;
    if (!path.startsWith("$")) {
      path = "$." + path;
    }
    try {
      return new JsonPathQuery(path).run(root);
    } catch (Unreadable | NumberFormatException | StringIndexOutOfBoundsException e) {
      return List.of();
    }
  }

  private List<JsonNode> run(JsonNode root) {
    at = 1;
    List<JsonNode> current = new ArrayList<>(List.of(root));
    while (at < path.length()) {
      char c = path.charAt(at);
      if (path.startsWith("..", at)) {
        at += 2;
        Step step = path.charAt(at) == '[' ? bracket() : name();
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode node : current) {
          descend(node, step, found);
        }
        current = found;
      } else if (c == '.') {
        at++;
        current = apply(name(), current);
      } else if (c == '[') {
        current = apply(bracket(), current);
      } else {
        throw new Unreadable();
      }
    }
    return current;
  }

  /** One step of the path, applied to one node. */
  private interface Step {
    void apply(JsonNode node, List<JsonNode> out);
  }

  private static List<JsonNode> apply(Step step, List<JsonNode> nodes) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode node : nodes) {
      step.apply(node, out);
    }
    return out;
  }

  /**
   * The step at a node, then at each of its descendants, parents before children; only objects and
   * arrays are visited (a string met on the way has no {@code [0]} or {@code length} here).
   */
  private static void descend(JsonNode node, Step step, List<JsonNode> out) {
    if (node.isContainerNode()) {
      step.apply(node, out);
      for (JsonNode child : node) {
        descend(child, step, out);
      }
    }
  }

  private Step name() {
    int end = at;
    while (end < path.length() && path.charAt(end) != '.' && path.charAt(end) != '[') {
      end++;
    }
    String name = path.substring(at, end);
    at = end;
    if (name.isEmpty()) {
      throw new Unreadable();
    }
    return name.equals("*") ? JsonPathQuery::all : (node, out) -> property(node, name, out);
  }

  private Step bracket() {
    int close = closing(at);
    String inside = path.substring(at + 1, close);
    at = close + 1;
    if (inside.equals("*")) {
      return JsonPathQuery::all;
    }
    if (inside.startsWith("?(") && inside.endsWith(")")) {
      String expression = inside.substring(2, inside.length() - 1);
      return (node, out) -> {
        if (node.isContainerNode()) {
          for (JsonNode child : node) {
            if (Js.truthy(new Filter(expression, child).evaluate())) {
              out.add(child);
            }
          }
        }
      };
    }
    if (inside.startsWith("(") && inside.endsWith(")")) {
      String expression = inside.substring(1, inside.length() - 1);
      return (node, out) -> {
        JsonNode key = new Filter(expression, node).evaluate();
        if (key != null) {
          property(node, Js.string(key), out);
        }
      };
    }
    if (isQuoted(inside)) {
      String name = inside.substring(1, inside.length() - 1);
      return (node, out) -> property(node, name, out);
    }
    if (inside.contains(":")) {
      return slice(inside);
    }
    if (inside.contains(",")) {
      List<String> names = List.of(inside.split(",", -1));
      if (names.stream().anyMatch(JsonPathQuery::isQuoted)) {
        return (node, out) -> {};
      }
      return (node, out) -> names.forEach(name -> property(node, name, out));
    }
    return (node, out) -> property(node, inside, out);
  }

  private static boolean isQuoted(String text) {
    return text.length() >= 2
        && ((text.startsWith("'") && text.endsWith("'"))
            || (text.startsWith("\"") && text.endsWith("\"")));
  }

  /** The index of the bracket closing the one at {@code open}, past quotes and parentheses. */
  private int closing(int open) {
    int depth = 0;
    char quote = 0;
    for (int i = open + 1; i < path.length(); i++) {
      char c = path.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '(' || c == '[') {
        depth++;
      } else if (c == ')' || (c == ']' && depth > 0)) {
        depth--;
      } else if (c == ']') {
        return i;
      }
    }
    throw new Unreadable();
  }

  private static Step slice(String inside) {
    String[] parts = inside.split(":", -1);
    if (parts.length > 3) {
      throw new Unreadable();
    }
    Integer start = bound(parts[0]);
    Integer end = bound(parts[1]);
    Integer given = parts.length == 3 ? bound(parts[2]) : null;
    // jsonpath-plus reads a missing or zero step as 1.
    int step = given == null || given == 0 ? 1 : given;
    if (step < 0) {
      throw new Unreadable();
    }
    return (node, out) -> {
      if (!node.isArray()) {
        return;
      }
      int size = node.size();
      int from = start == null ? 0 : start < 0 ? Math.max(0, size + start) : Math.min(start, size);
      int to = end == null ? size : end < 0 ? Math.max(0, size + end) : Math.min(end, size);
      for (int i = from; i < to; i += step) {
        out.add(node.get(i));
      }
    };
  }

  private static Integer bound(String text) {
    return text.isEmpty() ? null : Integer.valueOf(text);
  }

  private static void all(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      node.forEach(out::add);
    }
  }

  /** JavaScript's {@code node[name]}: a field, an array index, or an array's or string's length. */
  private static void property(JsonNode node, String name, List<JsonNode> out) {
    JsonNode value = propertyOf(node, name);
    if (value != null) {
      out.add(value);
    }
  }

  static JsonNode propertyOf(JsonNode node, String name) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      return node.get(name);
    }
    if (node.isArray() || node.isTextual()) {
      int size = node.isArray() ? node.size() : node.textValue().length();
      if (name.equals("length")) {
        return IntNode.valueOf(size);
      }
      if (name.matches("0|[1-9][0-9]{0,8}") && Integer.parseInt(name) < size) {
        int index = Integer.parseInt(name);
        return node.isArray()
            ? node.get(index)
            : TextNode.valueOf(String.valueOf(node.textValue().charAt(index)));
      }
    }
    return null;
  }

  /**
   * A filter or script expression over {@code @} (the node; {@code $} is not supported there), with
   * JavaScript's operators and comparisons: {@code === !== == != < <= > >= && || !}, parentheses,
   * string, number and literal operands, and {@code +} and {@code -} on numbers.
   */
  private static final class Filter {
    private final String text;
    private final JsonNode current;
    private int pos;

    Filter(String text, JsonNode current) {
      this.text = text;
      this.current = current;
    }

    JsonNode evaluate() {
      Object value = or();
      skipSpaces();
      if (pos != text.length()) {
        throw new Unreadable();
      }
      return toNode(value);
    }

    private static final Object UNDEFINED = new Object();

    private Object or() {
      Object left = and();
      while (take("||")) {
        Object right = and();
        left = truthy(left) ? left : right;
      }
      return left;
    }

    private Object and() {
      Object left = equality();
      while (take("&&")) {
        Object right = equality();
        left = truthy(left) ? right : left;
      }
      return left;
    }

    private Object equality() {
      Object left = relation();
      while (true) {
        if (take("===")) {
          left = strictEquals(left, relation());
        } else if (take("!==")) {
          left = !strictEquals(left, relation());
        } else if (take("==")) {
          left = looseEquals(left, relation());
        } else if (take("!=")) {
          left = !looseEquals(left, relation());
        } else {
          return left;
        }
      }
    }

    private Object relation() {
      Object left = additive();
      while (true) {
        String operator =
            take("<=") ? "<=" : take(">=") ? ">=" : take("<") ? "<" : take(">") ? ">" : null;
        if (operator == null) {
          return left;
        }
        left = compare(left, additive(), operator);
      }
    }

    private Object additive() {
      Object left = unary();
      while (true) {
        if (take("+")) {
          Object right = unary();
          left =
              left instanceof String || right instanceof String
                  ? jsString(left) + jsString(right)
                  : number(left) + number(right);
        } else if (peek('-')) {
          pos++;
          left = number(left) - number(unary());
        } else {
          return left;
        }
      }
    }

    private Object unary() {
      if (take("!")) {
        return !truthy(unary());
      }
      if (take("-")) {
        return -number(unary());
      }
      return operand();
    }

    private Object operand() {
      skipSpaces();
      if (pos >= text.length()) {
        throw new Unreadable();
      }
      char c = text.charAt(pos);
      if (c == '(') {
        pos++;
        Object value = or();
        if (!take(")")) {
          throw new Unreadable();
        }
        return value;
      }
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, pos + 1);
        if (end < 0) {
          throw new Unreadable();
        }
        String value = text.substring(pos + 1, end);
        pos = end + 1;
        return value;
      }
      if (Character.isDigit(c) || c == '.') {
        int start = pos;
        while (pos < text.length()
            && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
          pos++;
        }
        return Double.parseDouble(text.substring(start, pos));
      }
      if (c == '@') {
        pos++;
        return path(current);
      }
      if (text.startsWith("true", pos)) {
        pos += 4;
        return true;
      }
      if (text.startsWith("false", pos)) {
        pos += 5;
        return false;
      }
      if (text.startsWith("null", pos)) {
        pos += 4;
        return JsonNodeNull.NULL;
      }
      if (text.startsWith("undefined", pos)) {
        pos += 9;
        return UNDEFINED;
      }
      throw new Unreadable();
    }

    /** {@code @.a.b['c']} from the node it starts at. */
    private Object path(JsonNode start) {
      JsonNode node = start;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (c == '.' && pos + 1 < text.length() && isNameChar(text.charAt(pos + 1))) {
          int end = pos + 1;
          while (end < text.length() && isNameChar(text.charAt(end))) {
            end++;
          }
          node = propertyOf(node, text.substring(pos + 1, end));
          pos = end;
        } else if (c == '[') {
          int end = text.indexOf(']', pos);
          if (end < 0) {
            throw new Unreadable();
          }
          String inside = text.substring(pos + 1, end).trim();
          if (!isQuoted(inside)) {
            // jsonpath-plus fails on @.list[0] inside a filter; only quoted names work there.
            throw new Unreadable();
          }
          node = propertyOf(node, inside.substring(1, inside.length() - 1));
          pos = end + 1;
        } else {
          break;
        }
      }
      return node == null ? UNDEFINED : fromNode(node);
    }

    private static boolean isNameChar(char c) {
      return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private boolean take(String token) {
      skipSpaces();
      if (text.startsWith(token, pos)) {
        // "=" must not be read as part of "==", "<" of "<=", and so on.
        if ((token.equals("<") || token.equals(">") || token.equals("!"))
            && pos + 1 < text.length()
            && text.charAt(pos + 1) == '=') {
          return false;
        }
        if (token.equals("==") || token.equals("!=")) {
          if (pos + 2 < text.length() && text.charAt(pos + 2) == '=') {
            return false;
          }
        }
        pos += token.length();
        return true;
      }
      return false;
    }

    private boolean peek(char c) {
      skipSpaces();
      return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpaces() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    /** JSON values as JavaScript primitives: String, Double, Boolean, null, or the node. */
    private static Object fromNode(JsonNode node) {
      if (node.isTextual()) {
        return node.textValue();
      }
      if (node.isNumber()) {
        return node.doubleValue();
      }
      if (node.isBoolean()) {
        return node.booleanValue();
      }
      if (node.isNull()) {
        return JsonNodeNull.NULL;
      }
      return node;
    }

    private static JsonNode toNode(Object value) {
      if (value == UNDEFINED) {
        return null;
      }
      if (value instanceof JsonNode node) {
        return node;
      }
      if (value == JsonNodeNull.NULL) {
        return Js.NODES.nullNode();
      }
      if (value instanceof Boolean bool) {
        return Js.NODES.booleanNode(bool);
      }
      if (value instanceof Double number) {
        return number == Math.rint(number) && Math.abs(number) < 1e15
            ? Js.NODES.numberNode(number.longValue())
            : Js.NODES.numberNode(number);
      }
      return TextNode.valueOf((String) value);
    }

    private static boolean truthy(Object value) {
      if (value == UNDEFINED || value == JsonNodeNull.NULL) {
        return false;
      }
      if (value instanceof Boolean bool) {
        return bool;
      }
      if (value instanceof Double number) {
        return number != 0 && !number.isNaN();
      }
      if (value instanceof String string) {
        return !string.isEmpty();
      }
      return true;
    }

    private static double number(Object value) {
      if (value instanceof Double number) {
        return number;
      }
      if (value instanceof Boolean bool) {
        return bool ? 1 : 0;
      }
      if (value == JsonNodeNull.NULL) {
        return 0;
      }
      if (value instanceof String string) {
        return Js.toNumber(string);
      }
      return Double.NaN;
    }

    private static String jsString(Object value) {
      if (value == UNDEFINED) {
        return "undefined";
      }
      if (value == JsonNodeNull.NULL) {
        return "null";
      }
      if (value instanceof Double number) {
        return Js.numberToString(number);
      }
      if (value instanceof JsonNode node) {
        return Js.string(node);
      }
      return String.valueOf(value);
    }

    private static boolean strictEquals(Object left, Object right) {
      if (left instanceof JsonNode || right instanceof JsonNode) {
        return left == right;
      }
      return left.equals(right);
    }

    private static boolean looseEquals(Object left, Object right) {
      boolean leftNullish = left == UNDEFINED || left == JsonNodeNull.NULL;
      boolean rightNullish = right == UNDEFINED || right == JsonNodeNull.NULL;
      if (leftNullish || rightNullish) {
        return leftNullish && rightNullish;
      }
      if (left.getClass() == right.getClass()) {
        return strictEquals(left, right);
      }
      if (left instanceof JsonNode || right instanceof JsonNode) {
        return jsString(left).equals(jsString(right));
      }
      return number(left) == number(right);
    }

    private static boolean compare(Object left, Object right, String operator) {
      if (left instanceof String a && right instanceof String b) {
        int order = a.compareTo(b);
        return switch (operator) {
          case "<" -> order < 0;
          case "<=" -> order <= 0;
          case ">" -> order > 0;
          default -> order >= 0;
        };
      }
      double a = number(left);
      double b = number(right);
      return switch (operator) {
        case "<" -> a < b;
        case "<=" -> a <= b;
        case ">" -> a > b;
        default -> a >= b;
      };
    }
  }

  /** JavaScript's {@code null}, told apart from {@code undefined}. */
  private enum JsonNodeNull {
    NULL
  }
}

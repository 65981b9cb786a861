package io.charlatan.imposters.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * JavaScript value semantics over Jackson trees, as Mountebank (a Node program) applies them to
 * requests and predicates: truthiness, {@code toString}, property access, sorting and stable
 * stringification. A Java {@code null} stands for JavaScript's {@code undefined}.
 */
final class Js {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Js() {}

  static boolean isObject(JsonNode value) {
    return value != null && (value.isObject() || value.isArray());
  }

  static boolean truthy(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return false;
    }
    if (value.isBoolean()) {
      return value.booleanValue();
    }
    if (value.isTextual()) {
      return !value.textValue().isEmpty();
    }
    if (value.isNumber()) {
      double number = value.doubleValue();
      return number != 0 && !Double.isNaN(number);
    }
    return true;
  }

  /** JavaScript's {@code String(value)}; null for undefined and for null. */
  static String string(JsonNode value) {
    if (value == null || value.isNull() || value.isMissingNode()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isNumber()) {
      return number(value);
    }
    if (value.isBoolean()) {
      return value.booleanValue() ? "true" : "false";
    }
    if (value.isArray()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode element : value) {
        String part = string(element);
        parts.add(part == null ? "" : part);
      }
      return String.join(",", parts);
    }
    return "[object Object]";
  }

  private static final long SAFE_INTEGER = 1L << 53;

  private static String number(JsonNode value) {
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      long integer = value.longValue();
      if (Math.abs(integer) <= SAFE_INTEGER) {
        return Long.toString(integer);
      }
    }
    return numberToString(value.doubleValue());
  }

  /**
   * JavaScript's {@code Number.prototype.toString()}: the shortest digits that read back as the
   * same double, laid out as ECMAScript's Number::toString does (plain from 1e-6 to below 1e21,
   * exponential outside, e.g. {@code 1e+21}, {@code 1.5e-10}).
   */
  static String numberToString(double number) {
    if (Double.isNaN(number)) {
      return "NaN";
    }
    if (number == 0) {
      return "0";
    }
    if (Double.isInfinite(number)) {
      return number > 0 ? "Infinity" : "-Infinity";
    }
    if (number < 0) {
      return "-" + numberToString(-number);
    }
    // The shortest digits that read back as the same double (JDK 17's Double.toString is not
    // always shortest: it prints 4.9E-324 where JavaScript prints 5e-324).
    String scientific = null;
    for (int precision = 1; precision <= 17; precision++) {
      scientific = String.format(java.util.Locale.ROOT, "%." + (precision - 1) + "e", number);
      if (Double.parseDouble(scientific) == number) {
        break;
      }
    }
    int e = scientific.indexOf('e');
    String digits = scientific.substring(0, e).replace(".", "");
    int exponent = Integer.parseInt(scientific.substring(e + 1));
    digits = digits.replaceAll("0+$", "");
    if (digits.isEmpty()) {
      digits = "0";
    }
    int k = digits.length();
    int n = exponent + 1;
    if (k <= n && n <= 21) {
      return digits + "0".repeat(n - k);
    }
    if (0 < n && n <= 21) {
      return digits.substring(0, n) + "." + digits.substring(n);
    }
    if (-6 < n && n <= 0) {
      return "0." + "0".repeat(-n) + digits;
    }
    String sign = n - 1 < 0 ? "-" : "+";
    String mantissa = k == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return mantissa + "e" + sign + Math.abs(n - 1);
  }

  /** JavaScript's {@code value | 0}: ToInt32 of ToNumber. */
  static int toInt32(JsonNode value) {
    double number;
    if (value == null || value.isNull()) {
      number = 0;
    } else if (value.isNumber()) {
      number = value.doubleValue();
    } else if (value.isBoolean()) {
      number = value.booleanValue() ? 1 : 0;
    } else if (value.isTextual()) {
      number = toNumber(value.textValue());
    } else if (value.isArray() && value.size() <= 1) {
      number = value.isEmpty() ? 0 : toNumber(string(value));
    } else {
      number = Double.NaN;
    }
    if (Double.isNaN(number) || Double.isInfinite(number)) {
      return 0;
    }
    double truncated = number < 0 ? Math.ceil(number) : Math.floor(number);
    return (int) (long) (truncated % 4_294_967_296.0);
  }

  /** JavaScript's {@code Number(text)} for decimal and hexadecimal text; NaN otherwise. */
  static double toNumber(String text) {
    String trimmed = text.strip();
    if (trimmed.isEmpty()) {
      return 0;
    }
    try {
      if (trimmed.matches("0[xX][0-9a-fA-F]+")) {
        return Long.parseLong(trimmed.substring(2), 16);
      }
      if (trimmed.matches("[+-]?(Infinity|(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?)")) {
        return Double.parseDouble(trimmed);
      }
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  /** JavaScript property access {@code object[key]}; null for undefined. */
  static JsonNode property(JsonNode object, String key) {
    if (object == null) {
      return null;
    }
    if (object.isObject()) {
      return object.get(key);
    }
    if (object.isArray() || object.isTextual()) {
      int length = object.isArray() ? object.size() : object.textValue().length();
      if (key.equals("length")) {
        return NODES.numberNode(length);
      }
      int index = arrayIndex(key);
      if (index < 0 || index >= length) {
        return null;
      }
      return object.isArray()
          ? object.get(index)
          : TextNode.valueOf(String.valueOf(object.textValue().charAt(index)));
    }
    return null;
  }

  private static int arrayIndex(String key) {
    if (key.isEmpty() || key.length() > 9 || (key.length() > 1 && key.charAt(0) == '0')) {
      return -1;
    }
    for (int i = 0; i < key.length(); i++) {
      if (!Character.isDigit(key.charAt(i))) {
        return -1;
      }
    }
    return Integer.parseInt(key);
  }

  /** The keys of an object, or the indexes of an array, in order. */
  static List<String> keys(JsonNode value) {
    List<String> keys = new ArrayList<>();
    if (value.isObject()) {
      value.fieldNames().forEachRemaining(keys::add);
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        keys.add(Integer.toString(i));
      }
    }
    return keys;
  }

  static String lower(String text) {
    return text.toLowerCase(Locale.ROOT);
  }

  /** JSON text with object keys sorted, as {@code safe-stable-stringify} writes it. */
  static String stableStringify(JsonNode value) {
    if (value == null) {
      return "undefined";
    }
    if (value.isObject()) {
      Map<String, JsonNode> sorted = new TreeMap<>();
      value.properties().forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
      StringBuilder text = new StringBuilder("{");
      for (Map.Entry<String, JsonNode> entry : sorted.entrySet()) {
        if (text.length() > 1) {
          text.append(',');
        }
        text.append(TextNode.valueOf(entry.getKey()))
            .append(':')
            .append(stableStringify(entry.getValue()));
      }
      return text.append('}').toString();
    }
    if (value.isArray()) {
      StringBuilder text = new StringBuilder("[");
      for (Iterator<JsonNode> it = value.elements(); it.hasNext(); ) {
        text.append(stableStringify(it.next()));
        if (it.hasNext()) {
          text.append(',');
        }
      }
      return text.append(']').toString();
    }
    return value.toString();
  }

  /** Sorts an array in place the way Mountebank does to compare multi-valued fields. */
  static ArrayNode sort(ArrayNode array) {
    List<JsonNode> elements = new ArrayList<>();
    array.forEach(elements::add);
    elements.sort(Js::compare);
    array.removeAll();
    elements.forEach(array::add);
    return array;
  }

  private static int compare(JsonNode a, JsonNode b) {
    if (isObject(a) && isObject(b)) {
      return stableStringify(a).compareTo(stableStringify(b));
    }
    if (a.isNumber() && b.isNumber()) {
      return Double.compare(a.doubleValue(), b.doubleValue());
    }
    String left = string(a);
    String right = string(b);
    return String.valueOf(left).compareTo(String.valueOf(right));
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /**
   * {@code JSON.stringify(value, null, indent)}: JavaScript's layout, with {@code ": "} between
   * keys and values and no space before the colon.
   */
  static String stringify(JsonNode value, int indent) {
    // Sized up front: an imposter with 400k recorded requests is a 200 MB answer, and growing a
    // builder that big copies it over and over.
    long estimate = estimate(value, indent > 0 ? 2 : 1);
    StringBuilder out = new StringBuilder((int) Math.min(estimate, Integer.MAX_VALUE - 64));
    write(value, indent, "", out);
    return out.toString();
  }

  /** Roughly the length of the text, counting only recorded requests (the bulk of large ones). */
  private static long estimate(JsonNode value, int factor) {
    if (value.isPojo() && ((POJONode) value).getPojo() instanceof RawJson raw) {
      return (long) raw.compact().length() * factor + 16;
    }
    long total = 16;
    if (value.isContainerNode()) {
      for (JsonNode child : value) {
        total += estimate(child, factor);
      }
    }
    return total;
  }

  private static void write(JsonNode value, int indent, String margin, StringBuilder out) {
    String inner = margin + " ".repeat(indent);
    String newline = indent > 0 ? "\n" : "";
    String colon = indent > 0 ? ": " : ":";
    if (value.isObject()) {
      if (value.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append('{').append(newline);
      boolean first = true;
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        if (!first) {
          out.append(',').append(newline);
        }
        first = false;
        out.append(inner).append(TextNode.valueOf(field.getKey())).append(colon);
        write(field.getValue(), indent, inner, out);
      }
      out.append(newline).append(margin).append('}');
    } else if (value.isArray()) {
      if (value.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append('[').append(newline);
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          out.append(',').append(newline);
        }
        out.append(inner);
        write(value.get(i), indent, inner, out);
      }
      out.append(newline).append(margin).append(']');
    } else if (value.isNumber()) {
      out.append(string(value));
    } else if (value.isPojo() && ((POJONode) value).getPojo() instanceof RawJson raw) {
      raw.appendPretty(out, indent, margin);
    } else {
      out.append(value.toString());
    }
  }
}

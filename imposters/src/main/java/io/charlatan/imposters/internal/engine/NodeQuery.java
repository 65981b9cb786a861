package io.charlatan.imposters.internal.engine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query strings and form bodies read as Node's {@code querystring.parse} reads them for Mountebank:
 * only {@code &} separates pairs ({@code ;} is an ordinary character), {@code +} is a space, a pair
 * without {@code =} has an empty value, and a bad escape such as {@code %zz} stays as it is (where
 * a strict decoder would refuse the request).
 */
final class NodeQuery {
  private static final int MAX_KEYS = 1000;

  private NodeQuery() {}

  /**
   * The parameters in the order Node's object shows them (integer-like keys first, ascending, then
   * the others as they came), each with its values in order.
   */
  static Map<String, List<String>> parse(String text) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    if (text == null || text.isEmpty()) {
      return parameters;
    }
    int pairs = 0;
    for (String pair : text.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      if (++pairs > MAX_KEYS) {
        break;
      }
      int equals = pair.indexOf('=');
      String key = unescape(equals < 0 ? pair : pair.substring(0, equals));
      String value = equals < 0 ? "" : unescape(pair.substring(equals + 1));
      parameters.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return javaScriptOrder(parameters);
  }

  /** The query of a request target, without the {@code ?}; empty if none. */
  static String rawQuery(String uri) {
    int question = uri.indexOf('?');
    if (question < 0) {
      return "";
    }
    int hash = uri.indexOf('#', question);
    return hash < 0 ? uri.substring(question + 1) : uri.substring(question + 1, hash);
  }

  /** {@code +} as a space, valid {@code %XX} escapes as bytes, the rest as it is, read as UTF-8. */
  static String unescape(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%'
          && i + 2 < text.length()
          && hex(text.charAt(i + 1)) >= 0
          && hex(text.charAt(i + 2)) >= 0) {
        bytes.write(hex(text.charAt(i + 1)) * 16 + hex(text.charAt(i + 2)));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(encoded, 0, encoded.length);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /** JavaScript's own key order: array-index keys ascending first, then the rest as inserted. */
  private static Map<String, List<String>> javaScriptOrder(Map<String, List<String>> parameters) {
    List<String> indexes = new ArrayList<>();
    for (String key : parameters.keySet()) {
      if (isArrayIndex(key)) {
        indexes.add(key);
      }
    }
    if (indexes.isEmpty()) {
      return parameters;
    }
    indexes.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    Map<String, List<String>> ordered = new LinkedHashMap<>();
    indexes.forEach(key -> ordered.put(key, parameters.get(key)));
    parameters.forEach(ordered::putIfAbsent);
    return ordered;
  }

  private static boolean isArrayIndex(String key) {
    return key.matches("0|[1-9][0-9]{0,9}") && Long.parseLong(key) < 4_294_967_295L;
  }
}

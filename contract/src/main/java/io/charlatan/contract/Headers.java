package io.charlatan.contract;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** Multi-maps of headers and query parameters. */
final class Headers {
  private Headers() {}

  static Map<String, List<String>> copy(Map<String, List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (map != null) {
      map.forEach((name, values) -> copy.put(name, List.copyOf(values)));
    }
    return Collections.unmodifiableMap(copy);
  }

  static Map<String, List<String>> lowerCase(Map<String, List<String>> map) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (map != null) {
      map.forEach(
          (name, values) ->
              copy.merge(
                  name.toLowerCase(Locale.ROOT),
                  List.copyOf(values),
                  (a, b) -> {
                    List<String> both = new java.util.ArrayList<>(a);
                    both.addAll(b);
                    return List.copyOf(both);
                  }));
    }
    return Collections.unmodifiableMap(copy);
  }

  static Optional<String> first(Map<String, List<String>> map, String name) {
    for (Map.Entry<String, List<String>> entry : map.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
        return Optional.of(entry.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  static String queryString(Map<String, List<String>> query) {
    StringJoiner joiner = new StringJoiner("&");
    query.forEach(
        (name, values) -> {
          for (String value : values) {
            joiner.add(encode(name) + "=" + encode(value));
          }
        });
    return joiner.toString();
  }

  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

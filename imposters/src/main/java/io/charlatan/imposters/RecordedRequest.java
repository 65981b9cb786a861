package io.charlatan.imposters;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request an imposter received and recorded, as Mountebank shows it. Header names keep the case
 * the client sent; repeated query keys and headers have several values.
 */
public final class RecordedRequest {
  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final Map<String, List<String>> headers;
  private final String body;
  private final String requestFrom;
  private final Instant timestamp;
  private final String json;

  private RecordedRequest(JsonNode node) {
    this.method = node.path("method").asText();
    this.path = node.path("path").asText();
    this.query = multiMap(node.path("query"));
    this.headers = multiMap(node.path("headers"));
    this.body = node.path("body").asText("");
    this.requestFrom = node.path("requestFrom").asText();
    String time = node.path("timestamp").asText(null);
    this.timestamp = time == null ? null : Instant.parse(time);
    this.json = node.toString();
  }

  static RecordedRequest of(JsonNode node) {
    return new RecordedRequest(node);
  }

  private static Map<String, List<String>> multiMap(JsonNode object) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    if (object.isObject()) {
      for (Map.Entry<String, JsonNode> field : object.properties()) {
        List<String> values = new ArrayList<>();
        if (field.getValue().isArray()) {
          field.getValue().forEach(value -> values.add(value.asText()));
        } else {
          values.add(field.getValue().asText());
        }
        map.put(field.getKey(), List.copyOf(values));
      }
    }
    return Collections.unmodifiableMap(map);
  }

  /** The HTTP method, e.g. {@code POST}. */
  public String method() {
    return method;
  }

  /** The path, percent-encoding kept. */
  public String path() {
    return path;
  }

  /** The query parameters by name, in arrival order; never null. */
  public Map<String, List<String>> query() {
    return query;
  }

  /** The headers by name as sent, in arrival order; never null. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The first value of a header, the name matched ignoring case. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return Optional.of(header.getValue().get(0));
      }
    }
    return Optional.empty();
  }

  /** The body as text; empty if none. */
  public String body() {
    return body;
  }

  /** The client's address and port. */
  public String requestFrom() {
    return requestFrom;
  }

  /** When it was recorded. */
  public Instant timestamp() {
    return timestamp;
  }

  /** The request as Mountebank's JSON. */
  public String json() {
    return json;
  }

  @Override
  public String toString() {
    return method
        + " "
        + path
        + (query.isEmpty() ? "" : " " + query)
        + (body.isEmpty() ? "" : " body=" + abbreviate(body));
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }
}

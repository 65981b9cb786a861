package io.charlatan.imposters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a test expects an imposter to receive: method, path, query parameters, headers and body
 * (containing a text, or equal as JSON), each optional. Immutable. When the expected requests do
 * not arrive, {@link Imposter#verify(RequestPattern)} and {@link Imposter#waitForRequests(int,
 * java.time.Duration, RequestPattern)} show the closest miss: the received request that met the
 * most parts, and the parts it did not meet.
 *
 * <pre>{@code
 * RequestPattern download =
 *     RequestPattern.of("POST", "/rest/downloader/requests").withBodyContaining("\"source\"");
 * RequestPattern charge =
 *     RequestPattern.of("POST", "/charges").withJsonBody("{\"amount\": 5, \"currency\": \"EUR\"}");
 * }</pre>
 */
public final class RequestPattern {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Comparator<JsonNode> NUMBERS_BY_VALUE =
      RequestPattern::compareNumbersByValue;
  private final List<Part> parts;

  private RequestPattern(List<Part> parts) {
    this.parts = List.copyOf(parts);
  }

  private record Part(String description, Predicate<RecordedRequest> test) {}

  /** Requests of any method and path. */
  public static RequestPattern any() {
    return new RequestPattern(List.of());
  }

  /**
   * Requests with this method (ignoring case) and exact path.
   *
   * @throws IllegalArgumentException if either is null, or the path does not start with '/'
   */
  public static RequestPattern of(String method, String path) {
    if (method == null || path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "method (" + method + ") and path (" + path + ") are required; the path starts with '/'");
    }
    return any()
        .and("method " + method, request -> request.method().equalsIgnoreCase(method))
        .and("path " + path, request -> request.path().equals(path));
  }

  /** The same, also requiring a query parameter with this value. */
  public RequestPattern withQuery(String name, String value) {
    return and(
        "query " + name + "=" + value,
        request -> request.query().getOrDefault(name, List.of()).contains(value));
  }

  /** The same, also requiring a header (name ignoring case) with this value. */
  public RequestPattern withHeader(String name, String value) {
    return and(
        "header " + name + ": " + value,
        request ->
            request.headers().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .anyMatch(values -> values.contains(value)));
  }

  /** The same, also requiring the body to contain this text. */
  public RequestPattern withBodyContaining(String text) {
    return and("body containing " + text, request -> request.body().contains(text));
  }

  /**
   * The same, also requiring a body equal to this JSON as JSON: object members in any order, any
   * white space, numbers by value ({@code 5} equals {@code 5.0}).
   *
   * @throws IllegalArgumentException if the text is not JSON
   */
  public RequestPattern withJsonBody(String json) {
    JsonNode expected;
    try {
      expected = json == null ? null : JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "expected body is not JSON (" + e.getOriginalMessage() + "): " + json, e);
    }
    if (expected == null || expected.isMissingNode()) {
      throw new IllegalArgumentException("expected body (" + json + ") is not JSON");
    }
    return and("JSON body " + expected, request -> jsonEquals(expected, request.body()));
  }

  private static boolean jsonEquals(JsonNode expected, String body) {
    try {
      JsonNode actual = JSON.readTree(body);
      return actual != null && expected.equals(NUMBERS_BY_VALUE, actual);
    } catch (JsonProcessingException notJson) {
      return false;
    }
  }

  /** Numbers compare by value, so that 5, 5.0 and 5e0 are equal; other nodes as Jackson does. */
  private static int compareNumbersByValue(JsonNode one, JsonNode other) {
    if (one.isNumber() && other.isNumber()) {
      return one.decimalValue().compareTo(other.decimalValue());
    }
    return one.equals(other) ? 0 : 1;
  }

  private RequestPattern and(String description, Predicate<RecordedRequest> test) {
    List<Part> more = new ArrayList<>(parts);
    more.add(new Part(description, test));
    return new RequestPattern(more);
  }

  /** Whether a request meets every part. */
  public boolean matches(RecordedRequest request) {
    return parts.stream().allMatch(part -> part.test().test(request));
  }

  /** The parts a request does not meet, in words; empty when it matches. */
  List<String> misses(RecordedRequest request) {
    List<String> misses = new ArrayList<>();
    parts.stream()
        .filter(part -> !part.test().test(request))
        .forEach(part -> misses.add(part.description()));
    return misses;
  }

  @Override
  public String toString() {
    List<String> words = new ArrayList<>();
    parts.forEach(part -> words.add(part.description()));
    return words.isEmpty() ? "any request" : String.join(", ", words);
  }
}

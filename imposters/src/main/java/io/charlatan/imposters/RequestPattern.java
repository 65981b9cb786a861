package io.charlatan.imposters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What a test expects an imposter to receive: method, path, query parameters, headers and body
 * text, each optional. Immutable. When the expected requests do not arrive, {@link
 * Imposter#waitForRequests(int, Duration, RequestPattern)} shows the closest miss: the received
 * request that met the most parts, and the parts it did not meet.
 *
 * <pre>{@code
 * RequestPattern download =
 *     RequestPattern.of("POST", "/rest/downloader/requests").withBodyContaining("\"source\"");
 * }</pre>
 */
public final class RequestPattern {
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
